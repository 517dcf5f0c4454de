"""The find_spec, resolve_imports and stdlib_modules ops: where a module resolves, never running project code."""

import ast
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import sysconfig


# Stdlib modules whose import has visible side effects (a browser, printed text) or needs a display.
_NEVER_IMPORT = {"antigravity", "this", "__hello__", "__phello__", "idlelib", "turtledemo", "turtle", "tkinter"}


def _stdlib_dirs():
    dirs = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib"):
        if paths.get(key):
            dirs.add(os.path.realpath(paths[key]))
    dirs.add(os.path.realpath(os.path.dirname(os.__file__)))
    return dirs


_STDLIB_DIRS = _stdlib_dirs()


def _within(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _classify(origin, project_root):
    """project / stdlib / site-packages / builtin / other, for a module's origin path."""
    if origin in (None, ""):
        return "other"
    if origin in ("built-in", "builtin"):
        return "builtin"
    if origin == "frozen":
        return "stdlib"
    real = os.path.realpath(origin)
    parts = real.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts:
        return "site-packages"
    if any(_within(real, d) for d in _STDLIB_DIRS):
        return "stdlib"
    if _within(real, os.path.realpath(project_root)):
        return "project"
    return "other"


def _location(spec, project_root):
    if spec.origin == "built-in":
        return "builtin"
    if spec.origin == "frozen":
        return "stdlib"
    return _classify(_spec_origin(spec), project_root)


def _spec_origin(spec):
    if spec is None:
        return None
    if spec.origin not in (None, "namespace"):
        return spec.origin
    locations = list(spec.submodule_search_locations or [])
    return locations[0] if locations else None


def _extra_search_paths(file, project_root):
    """Folders pytest (rootdir-relative "prepend" import mode) and src layouts put on sys.path."""
    extra = []
    src = os.path.join(project_root, "src")
    if os.path.isdir(src):
        extra.append(src)
    if file:
        folder = os.path.dirname(os.path.join(project_root, file))
        # pytest inserts the first folder upward that is not a package.
        while os.path.isfile(os.path.join(folder, "__init__.py")) and _within(folder, project_root):
            folder = os.path.dirname(folder)
        if os.path.isdir(folder):
            extra.insert(0, folder)
    return extra


def _static_find(name, extra):
    """Finds a module without executing any package's __init__ (project code must not run here)."""
    parts = name.split(".")
    spec = None
    if parts[0] in sys.builtin_module_names:
        spec = importlib.machinery.BuiltinImporter.find_spec(parts[0])
    if spec is None and extra:
        spec = importlib.machinery.PathFinder.find_spec(parts[0], extra)
    if spec is None:
        try:
            spec = importlib.util.find_spec(parts[0])
        except (ImportError, ValueError, AttributeError):
            spec = None
    for i in range(1, len(parts)):
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), list(spec.submodule_search_locations))
    return spec


def _dynamic_find(name):
    """importlib's own find_spec, which imports parent packages (used for stdlib/site-packages only)."""
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    except Exception:  # noqa: BLE001 - a third-party __init__ may raise anything
        return None


def _find(name, file, project_root):
    extra = _extra_search_paths(file, project_root)
    spec = _static_find(name, extra)
    if spec is None and "." in name:
        top = _static_find(name.split(".")[0], extra)
        top_kind = _classify(_spec_origin(top), project_root) if top is not None else None
        if top_kind in ("stdlib", "builtin", "site-packages") and name.split(".")[0] not in _NEVER_IMPORT:
            spec = _dynamic_find(name)  # e.g. os.path: an attribute module, not a file in a package
    return spec


def find_spec(module, file=None):
    """Whether a module resolves in this interpreter (or inside the project), where it lives, and its
    origin. Never runs project code; caches are invalidated first so files created since are seen."""
    importlib.invalidate_caches()
    project_root = os.getcwd()
    spec = _find(module, file, project_root)
    if spec is None:
        return {"module": module, "found": False, "location": None, "origin": None, "isPackage": False}
    return {
        "module": module,
        "found": True,
        "location": _location(spec, project_root),
        "origin": _spec_origin(spec),
        "isPackage": spec.submodule_search_locations is not None,
    }


def _bound_names(tree):
    """Top-level names a module binds, and whether it can bind names we cannot see (star import,
    module __getattr__)."""
    names = set()
    opaque = False

    def targets(node):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                targets(elt)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    def walk(stmts):
        nonlocal opaque
        for stmt in stmts:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
                if stmt.name == "__getattr__":
                    opaque = True
            elif isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    targets(t)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                targets(stmt.target)
            elif isinstance(stmt, ast.Import):
                for a in stmt.names:
                    names.add(a.asname or a.name.split(".")[0])
            elif isinstance(stmt, ast.ImportFrom):
                for a in stmt.names:
                    if a.name == "*":
                        opaque = True
                    else:
                        names.add(a.asname or a.name)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                targets(stmt.target)
                walk(stmt.body)
                walk(stmt.orelse)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
                walk(stmt.body)
            elif isinstance(stmt, ast.If) or isinstance(stmt, ast.While):
                walk(stmt.body)
                walk(stmt.orelse)
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                walk(stmt.body)
                for h in stmt.handlers:
                    if h.name:
                        names.add(h.name)
                    walk(h.body)
                walk(stmt.orelse)
                walk(stmt.finalbody)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                # globals().update(...) and friends bind names we cannot see
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr == "update":
                    opaque = True
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for node in ast.walk(stmt):
                    if type(node).__name__ == "NamedExpr":  # a module-level walrus binds a global
                        targets(node.target)

    walk(tree.body)
    return names, opaque


def _missing_project_names(spec, names):
    """Names from `from M import a, b` that M (a project module, read statically) does not define."""
    missing = []
    source_path = spec.origin if spec.origin not in (None, "namespace") else None
    package_dirs = list(spec.submodule_search_locations or [])
    bound = set()
    opaque = False
    if source_path and source_path.endswith(".py") and os.path.isfile(source_path):
        try:
            with open(source_path, "rb") as fh:
                tree = ast.parse(fh.read(), source_path)
            bound, opaque = _bound_names(tree)
        except (SyntaxError, ValueError, OSError):
            return [], False
    elif source_path:
        return [], False  # an extension module: names cannot be read statically
    if opaque:
        return [], False
    for name in names:
        if name == "*" or name in bound:
            continue
        if any(os.path.isfile(os.path.join(d, name + ".py")) or os.path.isdir(os.path.join(d, name)) for d in package_dirs):
            continue
        missing.append(name)
    return missing, True


def _missing_stdlib_names(module, names):
    if module.split(".")[0] in _NEVER_IMPORT:
        return [], False
    try:
        mod = importlib.import_module(module)
    except Exception:  # noqa: BLE001
        return [], False
    missing = []
    for name in names:
        if name == "*" or hasattr(mod, name):
            continue
        if _dynamic_find(module + "." + name) is not None:
            continue
        missing.append(name)
    return missing, True


def _relative_spec(module, level, file, project_root):
    """Resolves `from ..pkg import x` written in `file` (project-relative) without importing."""
    if not file:
        return None
    folder = os.path.dirname(os.path.join(project_root, file))
    for _ in range(level - 1):
        folder = os.path.dirname(folder)
    if not module:
        init = os.path.join(folder, "__init__.py")
        if os.path.isfile(init):
            return importlib.util.spec_from_file_location("_rel", init, submodule_search_locations=[folder])
        if os.path.isdir(folder):
            spec = importlib.machinery.ModuleSpec("_rel", None, is_package=True)
            spec.submodule_search_locations = [folder]
            return spec
        return None
    parts = module.split(".")
    spec = importlib.machinery.PathFinder.find_spec(parts[0], [folder])
    for i in range(1, len(parts)):
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), list(spec.submodule_search_locations))
    return spec


def resolve_imports(imports, file=None):
    """Resolves a batch of imports as list_imports reports them ({module, level, names}).

    For `from M import a, b` the names are checked too when that is safe: statically for project
    modules, by importing for stdlib modules; third-party modules are not imported (checkedNames false)."""
    importlib.invalidate_caches()
    project_root = os.getcwd()
    results = []
    for item in imports:
        module = item.get("module")
        level = int(item.get("level") or 0)
        names = [n[0] if isinstance(n, (list, tuple)) else n for n in (item.get("names") or [])]
        if level > 0:
            spec = _relative_spec(module, level, file, project_root)
            label = "." * level + (module or "")
        else:
            spec = _find(module, file, project_root)
            label = module
        if spec is None:
            results.append({"module": label, "found": False, "location": None, "origin": None, "missingNames": [], "checkedNames": False})
            continue
        origin = _spec_origin(spec)
        location = _location(spec, project_root)
        missing, checked = [], False
        if names:
            if location == "project" or level > 0:
                missing, checked = _missing_project_names(spec, names)
            elif location in ("stdlib", "builtin"):
                missing, checked = _missing_stdlib_names(module, names)
        results.append(
            {
                "module": label,
                "found": True,
                "location": location,
                "origin": origin,
                "missingNames": missing,
                "checkedNames": checked,
            }
        )
    return {"results": results}


def stdlib_modules():
    """The interpreter's top-level stdlib module names (sys.stdlib_module_names on 3.10+)."""
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return sorted(names)
    found = set(sys.builtin_module_names)
    for d in _STDLIB_DIRS:
        try:
            entries = os.listdir(d)
        except OSError:
            continue
        for entry in entries:
            if entry in ("site-packages", "dist-packages") or entry.startswith("."):
                continue
            if entry.endswith(".py"):
                found.add(entry[:-3])
            elif os.path.isfile(os.path.join(d, entry, "__init__.py")):
                found.add(entry)
    return sorted(found)


OPS = {
    "find_spec": find_spec,
    "resolve_imports": resolve_imports,
    "stdlib_modules": stdlib_modules,
}
