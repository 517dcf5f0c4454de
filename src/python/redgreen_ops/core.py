"""Core helper ops: parse/compile checks, indentation facts, import listing and resolution, outlines.

Python 3.8+ stdlib only. Every op takes keyword arguments and returns JSON-serialisable data.
"""
import ast
import importlib
import importlib.machinery
import importlib.util
import io
import os
import sys
import sysconfig
import tokenize
import warnings
from collections import Counter

# Stdlib modules whose import has visible side effects (a browser, printed text) or needs a display.
_NEVER_IMPORT = {"antigravity", "this", "__hello__", "__phello__", "idlelib", "turtledemo", "turtle", "tkinter"}


# ---------------------------------------------------------------------------------------------- parse


def parse(source, filename="<unknown>", compile_check=True):
    """ast.parse (and, by default, a full compile) of a source string.

    compile() also catches what the parser accepts but the compiler rejects ('return' outside a
    function, misplaced nonlocal, TabError). Syntax warnings (e.g. an assert on a tuple) are returned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if compile_check:
                compile(source, filename, "exec", dont_inherit=True)
            else:
                ast.parse(source, filename)
        except SyntaxError as exc:  # includes IndentationError and TabError
            return {
                "ok": False,
                "error": type(exc).__name__,
                "msg": exc.msg,
                "line": exc.lineno,
                "col": exc.offset,
                "endLine": getattr(exc, "end_lineno", None),
                "text": (exc.text or "").rstrip("\r\n"),
            }
        except (ValueError, TypeError, RecursionError, MemoryError) as exc:
            return {"ok": False, "error": type(exc).__name__, "msg": str(exc), "line": None, "col": None}
    found = []
    for w in caught:
        if issubclass(w.category, (SyntaxWarning, DeprecationWarning)):
            found.append({"category": w.category.__name__, "msg": str(w.message), "line": w.lineno})
    return {"ok": True, "warnings": found}


# -------------------------------------------------------------------------------------- indentation


def _indent_kind(ws):
    has_tab = "\t" in ws
    has_space = " " in ws
    if has_tab and has_space:
        return "mixed"
    return "tabs" if has_tab else "spaces"


def check_indentation(source):
    """Tokenizes the source and reports how it indents: tabs or spaces, the indent width, and the lines
    that do not follow the file's own convention.

    lines: [line, indent text] for every indented logical line; steps: [line, columns added] for every
    INDENT token (a tab counts as one column, so steps of tab-indented files are in tabs)."""
    lines = []
    steps = []
    stack = [""]
    at_line_start = True
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.INDENT:
                parent = stack[-1]
                steps.append([tok.start[0], len(tok.string) - len(parent)])
                stack.append(tok.string)
            elif tok.type == tokenize.DEDENT:
                if len(stack) > 1:
                    stack.pop()
            if tok.type in (tokenize.NEWLINE, tokenize.NL):
                at_line_start = True
                continue
            if tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            if at_line_start:
                at_line_start = False
                row = tok.start[0]
                ws = tok.line[: tok.start[1]]
                if ws:
                    lines.append([row, ws])
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        if line is None and isinstance(exc, tokenize.TokenError) and len(exc.args) > 1:
            line = exc.args[1][0]
        msg = exc.msg if isinstance(exc, SyntaxError) else str(exc.args[0] if exc.args else exc)
        return {"ok": False, "error": type(exc).__name__, "msg": msg, "line": line}

    kinds = Counter(_indent_kind(ws) for _, ws in lines)
    if not lines:
        style = "none"
    elif kinds["mixed"] or (kinds["tabs"] and kinds["spaces"]):
        style = "mixed"
    else:
        style = "tabs" if kinds["tabs"] else "spaces"
    # The width is the most common step; a tie goes to the smaller step (4 beats 8 in a nested file).
    step_counts = Counter(s for _, s in steps if s > 0)
    width = None
    if step_counts:
        best = max(step_counts.values())
        width = min(s for s, c in step_counts.items() if c == best)
    majority = None
    if kinds:
        majority = "tabs" if kinds["tabs"] > kinds["spaces"] else "spaces"
    mixed_lines = [row for row, ws in lines if _indent_kind(ws) == "mixed"]
    minority_lines = [
        row for row, ws in lines if majority is not None and _indent_kind(ws) not in (majority, "mixed")
    ]
    odd_steps = [row for row, s in steps if width and s > 0 and s % width != 0]
    return {
        "ok": True,
        "style": style,
        "width": width,
        "tabLines": kinds["tabs"],
        "spaceLines": kinds["spaces"],
        "mixedLines": mixed_lines,
        "minorityLines": minority_lines,
        "oddStepLines": odd_steps,
        "lines": lines,
        "steps": steps,
    }


# -------------------------------------------------------------------------------------------- imports


def _guarded_by_import_error(handlers):
    for handler in handlers:
        if handler.type is None:
            return True
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for n in names:
            ident = n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None)
            if ident in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException"):
                return True
    return False


def _collect_imports(tree):
    found = []

    def visit(node, guarded, scope):
        for child in ast.iter_child_nodes(node):
            child_guarded = guarded
            child_scope = scope
            if isinstance(node, ast.Try) and child in node.body and _guarded_by_import_error(node.handlers):
                child_guarded = True
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                child_scope = "function" if not isinstance(child, ast.ClassDef) else "class"
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(
                        {
                            "kind": "import",
                            "module": alias.name,
                            "level": 0,
                            "names": [],
                            "asname": alias.asname,
                            "line": child.lineno,
                            "endLine": getattr(child, "end_lineno", child.lineno),
                            "guarded": child_guarded,
                            "scope": scope,
                        }
                    )
            elif isinstance(child, ast.ImportFrom):
                found.append(
                    {
                        "kind": "from",
                        "module": child.module,
                        "level": child.level or 0,
                        "names": [[a.name, a.asname] for a in child.names],
                        "asname": None,
                        "line": child.lineno,
                        "endLine": getattr(child, "end_lineno", child.lineno),
                        "guarded": child_guarded,
                        "scope": scope,
                    }
                )
            visit(child, child_guarded, child_scope)

    visit(tree, False, "module")
    return found


def list_imports(source, filename="<unknown>"):
    """Every import statement, in source order: module, imported names, relative level, lines, and
    whether it sits in a try that handles ImportError ("guarded")."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    return {"ok": True, "imports": _collect_imports(tree)}


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
        if any(
            os.path.isfile(os.path.join(d, name + ".py")) or os.path.isdir(os.path.join(d, name)) for d in package_dirs
        ):
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
            results.append(
                {"module": label, "found": False, "location": None, "origin": None, "missingNames": [], "checkedNames": False}
            )
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


def _project_file(spec, root):
    """The project-relative .py file a module spec loads, or None outside the project (or not a source file)."""
    origin = _spec_origin(spec)
    if not origin or not origin.endswith(".py") or _classify(origin, root) != "project":
        return None
    return os.path.relpath(os.path.realpath(origin), root).replace(os.sep, "/")


def _graph_targets(item, file, root, cache):
    """Project files one import statement executes: the module, its parent packages, and submodules it names."""
    level = item["level"]
    names = [n[0] for n in item["names"]]
    if level > 0:
        chain = [_relative_spec(item["module"], level, file, root)]
    else:
        extra = tuple(_extra_search_paths(file, root))
        parts = item["module"].split(".")
        chain = []
        for i in range(len(parts)):
            key = (".".join(parts[: i + 1]), extra)
            if key not in cache:
                cache[key] = _static_find(key[0], list(extra))
            chain.append(cache[key])
    spec = chain[-1]
    if spec is not None and spec.submodule_search_locations is not None:
        for name in names:
            if name != "*":
                chain.append(importlib.machinery.PathFinder.find_spec(name, list(spec.submodule_search_locations)))
    return [t for t in (_project_file(s, root) for s in chain if s is not None) if t is not None]


def import_graph(files):
    """For each project-relative Python file: the project files its imports (any scope) execute, and the targets of its
    star imports; a file that does not parse reports why. Read statically: no project code runs."""
    importlib.invalidate_caches()
    root = os.path.realpath(os.getcwd())
    cache = {}
    out = {}
    for file in files:
        try:
            with open(os.path.join(root, file), "rb") as fh:
                tree = ast.parse(fh.read(), file)
        except (SyntaxError, ValueError, OSError) as exc:
            out[file] = {"imports": [], "star": [], "error": "%s: %s" % (type(exc).__name__, exc)}
            continue
        imports, star = set(), set()
        for item in _collect_imports(tree):
            targets = _graph_targets(item, file, root, cache)
            imports.update(targets)
            if targets and any(n[0] == "*" for n in item["names"]):
                star.add(targets[-1])
        imports.discard(file)
        out[file] = {"imports": sorted(imports), "star": sorted(star)}
    return {"files": out}


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


# --------------------------------------------------------------------------------------------- outline

_CONTROL = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.Try,
    ast.With,
    ast.AsyncWith,
    ast.Return,
    ast.Raise,
    ast.Break,
    ast.Continue,
)


def _control_counts(body):
    counts = Counter()
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, _CONTROL) or type(node).__name__ in ("TryStar", "Match"):
            counts[type(node).__name__] += 1
        stack.extend(ast.iter_child_nodes(node))
    return dict(counts)


def outline(source, filename="<unknown>"):
    """Definitions (qualified name, kind, line range, signature digest) and per-scope control-flow
    statement counts; the risk estimate compares two outlines."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    defs = []

    def visit(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qual = prefix + node.name
                if isinstance(node, ast.ClassDef):
                    signature = ast.dump(ast.Tuple(elts=node.bases + [k.value for k in node.keywords], ctx=ast.Load()))
                    kind = "class"
                else:
                    signature = ast.dump(node.args) + "->" + (ast.dump(node.returns) if node.returns else "")
                    kind = "async" if isinstance(node, ast.AsyncFunctionDef) else "function"
                signature += "@" + "|".join(ast.dump(d) for d in node.decorator_list)
                defs.append(
                    {
                        "name": qual,
                        "kind": kind,
                        "line": node.decorator_list[0].lineno if node.decorator_list else node.lineno,
                        "endLine": getattr(node, "end_lineno", node.lineno),
                        "signature": signature,
                        "control": _control_counts(node.body) if kind != "class" else {},
                    }
                )
                visit(node.body, qual + ".")
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        visit([n for n in inner if isinstance(n, ast.AST)], prefix)

    visit(tree.body, "")
    return {"ok": True, "defs": defs, "moduleControl": _control_counts(tree.body)}


OPS = {
    "parse": parse,
    "check_indentation": check_indentation,
    "list_imports": list_imports,
    "find_spec": find_spec,
    "resolve_imports": resolve_imports,
    "import_graph": import_graph,
    "stdlib_modules": stdlib_modules,
    "outline": outline,
}
