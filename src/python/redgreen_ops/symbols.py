"""Project symbol index and import planning for the missing-import fix pattern.

import_plan: for `NameError: name 'X' is not defined` in a file, the ranked places X can be imported
             from (the project's own modules and the project's existing imports first, then the stdlib
             catalog candidates the caller passes, then installed packages the project declares) and the
             minimal edit that adds the import next to the file's other imports of the same group. Only
             homes binding what the file's usage needs count (a module for `random.randint`, asyncio.Queue
             only where its methods are awaited); an undecidable tie declines. The file's other unbound
             names that the same module provides join the statement (a deleted `from m import a, b, c`).

Python 3.8+ stdlib only. Project code is never imported or run: project and third-party modules are
read with ast; only stdlib modules are imported (to check that a candidate fits how the name is used).
"""
import ast
import builtins
import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import symtable
import sys
import sysconfig

from . import deps as _deps

_SKIP_DIRS = {"__pycache__", "node_modules", "site-packages", "dist-packages", "build", "dist", "htmlcov"}
_MAX_FILES = 5000
# Stdlib modules whose import has visible side effects or needs a display.
_NEVER_IMPORT = {"antigravity", "this", "__hello__", "__phello__", "idlelib", "turtledemo", "turtle", "tkinter"}
# Tie-break among stdlib homes of one name (Path: pathlib over zipfile; dumps: json over pickle).
_PREFERRED_STDLIB = [
    "os", "sys", "re", "json", "typing", "pathlib", "collections", "datetime", "time", "math", "itertools",
    "functools", "dataclasses", "enum", "logging", "subprocess", "asyncio", "shutil", "tempfile", "random",
    "uuid", "decimal", "contextlib", "abc", "copy", "hashlib", "base64", "io", "csv", "sqlite3", "string",
    "textwrap", "statistics", "fractions", "operator", "inspect", "types", "warnings", "traceback", "argparse",
    "threading", "heapq", "bisect", "struct", "secrets", "hmac", "urllib.parse", "unittest.mock", "unittest",
    "pickle", "glob", "fnmatch", "zipfile", "tarfile", "gzip", "socket", "signal", "platform", "pprint",
    "weakref", "queue", "concurrent.futures", "multiprocessing", "email", "html", "http", "xml.etree.ElementTree",
]



# ---------------------------------------------------------------------------------------- file facts

_FACTS_CACHE = {}  # abs path -> (mtime_ns, size, facts)


def _read_source(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8-sig", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_test_file(rel):
    base = os.path.basename(rel)
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def _module_name(root, rel):
    """Dotted module name as pytest's rootdir-relative import puts it: the first folder upward that is
    not a package is on sys.path. Returns (module, is_package)."""
    abs_path = os.path.join(root, rel)
    folder = os.path.dirname(abs_path)
    parts = []
    base = os.path.splitext(os.path.basename(rel))[0]
    is_package = base == "__init__"
    if not is_package:
        parts.append(base)
    while os.path.isfile(os.path.join(folder, "__init__.py")) and folder != root and folder.startswith(root):
        parts.append(os.path.basename(folder))
        folder = os.path.dirname(folder)
    if is_package and not parts:
        return None, True
    return ".".join(reversed(parts)), is_package


def _resolve_relative(module, level, importer_module, importer_is_package):
    """Absolute module name of `from <level dots><module> import ...` written in importer_module."""
    if not level:
        return module
    if importer_module is None:
        return None
    package = importer_module.split(".") if importer_is_package else importer_module.split(".")[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    if module:
        base = base + module.split(".")
    return ".".join(base) if base else None


def _targets(node, out):
    if isinstance(node, ast.Name):
        out.append(node.id)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            _targets(elt, out)
    elif isinstance(node, ast.Starred):
        _targets(node.value, out)


def _literal_strings(node):
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                out.append(elt.value)
            else:
                return None
        return out
    return None


def _file_facts(root, rel):
    abs_path = os.path.join(root, rel)
    try:
        st = os.stat(abs_path)
    except OSError:
        return None
    cached = _FACTS_CACHE.get(abs_path)
    if cached and cached[0] == st.st_mtime_ns and cached[1] == st.st_size:
        return cached[2]
    module, is_package = _module_name(root, rel)
    facts = {
        "rel": rel,
        "module": module,
        "isPackage": is_package,
        "isTest": _is_test_file(rel),
        "defines": {},  # name -> kind (function/async/class/variable)
        "reexports": {},  # name -> (absolute module, original name)
        "stars": [],  # absolute modules of `from x import *` at module level, in order
        "all": None,
        "decorated": [],
        "imports": [],  # every import: {kind, module(abs), name, asname, bound, level, line, scope}
        "ok": True,
    }
    try:
        tree = ast.parse(_read_source(abs_path), abs_path)
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
        facts["ok"] = False
        _FACTS_CACHE[abs_path] = (st.st_mtime_ns, st.st_size, facts)
        return facts

    def top_level(stmts):
        for stmt in stmts:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                facts["defines"][stmt.name] = "async" if isinstance(stmt, ast.AsyncFunctionDef) else "function"
                if stmt.decorator_list:
                    facts["decorated"].append(stmt.name)  # lru_cache, click.command: no longer a plain function
            elif isinstance(stmt, ast.ClassDef):
                facts["defines"][stmt.name] = "class"
            elif isinstance(stmt, ast.Assign):
                names = []
                for t in stmt.targets:
                    _targets(t, names)
                for n in names:
                    facts["defines"].setdefault(n, "variable")
                    if n == "__all__":
                        facts["all"] = _literal_strings(stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                names = []
                _targets(stmt.target, names)
                for n in names:
                    facts["defines"].setdefault(n, "variable")
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
                extra = _literal_strings(stmt.value)
                if extra and facts["all"] is not None:
                    facts["all"] = facts["all"] + extra
            elif isinstance(stmt, ast.ImportFrom):
                absolute = _resolve_relative(stmt.module, stmt.level, module, is_package)
                for alias in stmt.names:
                    if alias.name == "*" and absolute:
                        facts["stars"].append(absolute)
                    elif absolute:
                        facts["reexports"][alias.asname or alias.name] = (absolute, alias.name)
            elif isinstance(stmt, ast.If):
                # `if sys.version_info ...:` / `if TYPE_CHECKING:` blocks still define names for readers.
                top_level(stmt.body)
                top_level(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                top_level(stmt.body)
                for handler in stmt.handlers:
                    top_level(handler.body)

    top_level(tree.body)

    def collect(node, scope):
        for child in ast.iter_child_nodes(node):
            child_scope = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                child_scope = "function"
            elif isinstance(child, ast.ClassDef):
                child_scope = "class" if scope == "module" else scope
            if isinstance(child, ast.Import):
                for alias in child.names:
                    facts["imports"].append({
                        "kind": "import",
                        "module": alias.name,
                        "name": None,
                        "asname": alias.asname,
                        "bound": alias.asname or alias.name.split(".")[0],
                        "level": 0,
                        "line": child.lineno,
                        "scope": scope,
                    })
            elif isinstance(child, ast.ImportFrom):
                absolute = _resolve_relative(child.module, child.level, module, is_package)
                for alias in child.names:
                    if alias.name == "*":
                        continue
                    facts["imports"].append({
                        "kind": "from",
                        "module": absolute,
                        "name": alias.name,
                        "asname": alias.asname,
                        "bound": alias.asname or alias.name,
                        "level": child.level or 0,
                        "line": child.lineno,
                        "scope": scope,
                    })
            collect(child, child_scope)

    collect(tree, "module")
    _FACTS_CACHE[abs_path] = (st.st_mtime_ns, st.st_size, facts)
    return facts


def _is_venv(path):
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def project_files(root):
    """Project-relative paths of the project's .py files (virtualenvs, caches and hidden folders skipped)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and not d.endswith(".egg-info")
            and not _is_venv(os.path.join(folder, d))
        )
        for f in sorted(files):
            if f.endswith(".py"):
                found.append(os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/"))
                if len(found) >= _MAX_FILES:
                    return found
    return found


def project_facts(root):
    out = []
    for rel in project_files(root):
        facts = _file_facts(root, rel)
        if facts is not None and facts["ok"]:
            out.append(facts)
    return out


# ---------------------------------------------------------------------------------------- usage


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _usage(tree, name):
    """How `name` is used in a file: attributes read from it, called, awaited, subscripted, as a base."""
    parents = _parents(tree)
    usage = {"attrs": [], "called": False, "awaited": False, "subscripted": False, "base": False, "decorator": False,
             "count": 0, "bareOnly": True, "calls": []}
    attrs = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        usage["count"] += 1
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            attrs.add(parent.attr)
            usage["bareOnly"] = False
        elif isinstance(parent, ast.Call) and parent.func is node:
            usage["called"] = True
            if not any(isinstance(a, ast.Starred) for a in parent.args) and all(k.arg for k in parent.keywords):
                usage["calls"].append([len(parent.args), sorted(k.arg for k in parent.keywords)])
            if isinstance(parents.get(parent), ast.Await):
                usage["awaited"] = True
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            usage["subscripted"] = True
        elif isinstance(parent, ast.ClassDef) and node in parent.bases:
            usage["base"] = True
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node in parent.decorator_list:
            usage["decorator"] = True
    usage["attrs"] = sorted(attrs)
    return usage


def _module_bindings(tree):
    """Names bound at module level by unconditional imports (so we never add a duplicate)."""
    bound = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                bound.add(a.asname or a.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            for a in stmt.names:
                bound.add(a.asname or a.name)
    return bound


# ---------------------------------------------------------------------------------------- candidates


def _stdlib_top_names():
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return set(names)
    # Before 3.10: the stdlib folder's modules and packages, plus its C extensions in lib-dynload.
    found = set(sys.builtin_module_names)
    paths = sysconfig.get_paths()
    folders = {paths.get("stdlib"), paths.get("platstdlib")}
    folders |= {os.path.join(f, "lib-dynload") for f in list(folders) if f}
    for folder in folders:
        if not folder or not os.path.isdir(folder):
            continue
        for entry in os.listdir(folder):
            if entry in ("site-packages", "dist-packages"):
                continue
            if entry.endswith(".py"):
                found.add(entry[:-3])
            elif entry.endswith(".so") or entry.endswith(".pyd"):
                found.add(entry.split(".")[0])
            elif os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                found.add(entry)
    return found


_STDLIB_TOP = _stdlib_top_names()


def _static_spec(name):
    """find_spec without importing any package __init__ (PathFinder over the parent's search path)."""
    parts = name.split(".")
    try:
        spec = importlib.machinery.PathFinder.find_spec(parts[0])
        if spec is None and parts[0] in sys.builtin_module_names:
            spec = importlib.machinery.BuiltinImporter.find_spec(parts[0])
    except (ImportError, ValueError):
        return None
    for i in range(1, len(parts)):
        if spec is None or spec.submodule_search_locations is None:
            return None
        try:
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), list(spec.submodule_search_locations))
        except (ImportError, ValueError):
            return None
    return spec


def _installed(module):
    """Whether an installed (non-project) module exists, found without running its code."""
    spec = _static_spec(module)
    if spec is None:
        return False
    origin = spec.origin if spec.origin not in (None, "namespace") else None
    if origin is None:
        locations = list(spec.submodule_search_locations or [])
        origin = locations[0] if locations else None
    if origin is None:
        return True
    real = os.path.realpath(origin)
    root = os.path.realpath(os.getcwd())
    return not (real == root or real.startswith(root + os.sep)) or "site-packages" in real


_EXPORTS_CACHE = {}


def _static_exports(module):
    """Names a third-party module binds at top level, read from its source with ast (never imported)."""
    spec = _static_spec(module)
    if spec is None or spec.origin in (None, "namespace") or not str(spec.origin).endswith(".py"):
        return set()
    try:
        st = os.stat(spec.origin)
    except OSError:
        return set()
    key = (spec.origin, st.st_mtime_ns, st.st_size)
    if key not in _EXPORTS_CACHE:
        _EXPORTS_CACHE[key] = _read_exports(spec.origin)
    return _EXPORTS_CACHE[key]


def _read_exports(origin):
    try:
        tree = ast.parse(_read_source(origin), origin)
    except (SyntaxError, ValueError, OSError):
        return set()
    names = set()
    declared = None
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            out = []
            for t in stmt.targets:
                _targets(t, out)
            names.update(out)
            if "__all__" in out:
                declared = _literal_strings(stmt.value)
        elif isinstance(stmt, ast.ImportFrom):
            for a in stmt.names:
                if a.name != "*":
                    names.add(a.asname or a.name)
        elif isinstance(stmt, ast.Import):
            for a in stmt.names:
                if a.asname:
                    names.add(a.asname)
        elif isinstance(stmt, ast.If):
            for inner in stmt.body + stmt.orelse:
                if isinstance(inner, ast.ImportFrom):
                    for a in inner.names:
                        if a.name != "*":
                            names.add(a.asname or a.name)
    if declared:
        names.update(declared)
    return {n for n in names if not n.startswith("_")}


def _stdlib_object(module, name):
    """The stdlib object a candidate would bind, or a sentinel when it cannot be checked."""
    if module.split(".")[0] in _NEVER_IMPORT or module.split(".")[0] not in _STDLIB_TOP:
        return _UNKNOWN
    try:
        mod = importlib.import_module(module)
    except Exception:  # noqa: BLE001
        return _UNKNOWN
    if name is None:
        return mod
    return getattr(mod, name, _MISSING)


_UNKNOWN = object()
_MISSING = object()


def _fits(obj, usage, module=None):
    """Whether an object can be used the way the file uses the name; None when unknown."""
    if obj is _UNKNOWN:
        return None
    if obj is _MISSING:
        return False
    for attr in usage["attrs"]:
        if hasattr(obj, attr):
            continue
        if inspect.ismodule(obj) and _static_spec(obj.__name__ + "." + attr) is not None:
            continue  # a submodule: handled by importing it
        return False
    if usage["called"] or usage["decorator"]:
        if not callable(obj) or _calls_refused(obj, usage.get("calls") or []):
            return False
    if usage["awaited"] and not (inspect.iscoroutinefunction(obj) or inspect.isclass(obj)):
        return False
    if usage["called"] and not usage["awaited"] and inspect.iscoroutinefunction(obj):
        return False
    if usage["subscripted"] and (inspect.ismodule(obj) or not (
            hasattr(obj, "__class_getitem__") or hasattr(type(obj), "__getitem__") or hasattr(obj, "__getitem__"))):
        return False  # collections.abc.Callable[...] before Python 3.9, a module, a plain function
    if usage["base"] and not (inspect.isclass(obj) or callable(obj)):
        return False
    return True


def _calls_refused(obj, calls):
    """Whether the object's signature refuses every call the file makes (`version("toolz")` is not
    platform.version(), which takes no argument); False when the signature is unknown."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    refused = 0
    for positional, keywords in calls:
        try:
            sig.bind(*([None] * positional), **{k: None for k in keywords})
        except TypeError:
            refused += 1
    return bool(calls) and refused == len(calls)


def _candidate(module, name, asname, source, kind=None, evidence=0, level=0):
    return {"module": module, "name": name, "asname": asname, "source": source, "kind": kind,
            "evidence": evidence, "level": level}


def _key(c):
    return (c["module"], c["name"], c["asname"])


def _same_package(a, b):
    pa = a.rsplit(".", 1)[0] if a and "." in a else ""
    pb = b.rsplit(".", 1)[0] if b and "." in b else ""
    return pa == pb


def _origin(facts_by_module, module, name, depth=0):
    """Follows re-exports to the module that defines `name`."""
    f = facts_by_module.get(module)
    if f is None or depth > 8:
        return (module, name)
    if name in f["defines"]:
        return (module, name)
    if name in f["reexports"]:
        src_module, src_name = f["reexports"][name]
        return _origin(facts_by_module, src_module, src_name, depth + 1)
    # `from .more import *`: the last star module that exports the name binds it (a later star import wins).
    for star in reversed(f["stars"]):
        if _star_exports(facts_by_module.get(star), name):
            return _origin(facts_by_module, star, name, depth + 1)
    return (module, name)


def _star_exports(f, name):
    """Whether `from <f's module> import *` binds `name`: listed in __all__, else a public name it defines or imports."""
    if f is None:
        return False
    if f["all"] is not None:
        return name in f["all"]
    return not name.startswith("_") and (name in f["defines"] or name in f["reexports"])


def _project_candidates(facts, target, name, usage):
    """(evidence, definitions): how the project already imports `name`, and which modules define it."""
    evidence = {}
    module_popularity = {}
    for f in facts:
        for imp in f["imports"]:
            if imp["module"]:
                module_popularity[imp["module"]] = module_popularity.get(imp["module"], 0) + 1
            if f["rel"] == target["rel"] and imp["scope"] == "module":
                continue
            if imp["bound"] != name or not imp["module"]:
                continue
            if target.get("module") and imp["module"] == target["module"]:
                continue  # `from pkg import X` is what fails when pkg itself lost X
            if imp["kind"] == "from":
                c = _candidate(imp["module"], imp["name"], imp["asname"] if imp["asname"] != imp["name"] else None, "project-import")
            else:
                c = _candidate(imp["module"], None, imp["asname"], "project-import")
            k = _key(c)
            if k not in evidence:
                evidence[k] = dict(c, fromLibrary=False)
            evidence[k]["evidence"] += 1
            evidence[k]["fromLibrary"] = evidence[k]["fromLibrary"] or not f["isTest"]
    by_module = {f["module"]: f for f in facts if f["module"]}
    definitions = []
    # Importable: modules under the project root or the target's own root, and packages the project imports (src/).
    imported_tops = {m.split(".")[0] for m in module_popularity}
    reachable = {"", _import_root(target)}
    for f in facts:
        if f["module"] is None or f["rel"] == target["rel"] or f["module"] == target["module"]:
            continue
        if f["isTest"] or (_import_root(f) not in reachable and f["module"].split(".")[0] not in imported_tops):
            continue  # a test, or a script folder nothing puts on sys.path (a Sphinx doc/conf.py)
        kind = f["defines"].get(name)
        exported = name in f["reexports"] or (f["all"] is not None and name in f["all"])
        if kind or exported:
            c = _candidate(f["module"], name, None, "project", kind or "reexport", module_popularity.get(f["module"], 0))
            c["origin"] = list(_origin(by_module, f["module"], name))
            definitions.append(c)
        # A project module (or package) named like the missing name: `from pkg import name`.
        last = f["module"].rsplit(".", 1)
        if last[-1] == name and not f["isTest"]:
            if len(last) == 2:
                definitions.append(_candidate(last[0], name, None, "project", "module", module_popularity.get(f["module"], 0)))
            else:
                definitions.append(_candidate(name, None, None, "project", "module", module_popularity.get(f["module"], 0)))
            definitions[-1]["origin"] = [f["module"], None]
    found = list(evidence.values())
    if not target.get("isTest") and any(c["fromLibrary"] for c in found):
        # Library code imports the way library code does: tests' own helpers of the same name (a test utility's
        # awaitify) are no evidence against the package's import of it.
        found = [c for c in found if c["fromLibrary"]]
    return [{k: v for k, v in c.items() if k != "fromLibrary"} for c in found], definitions


def _import_root(f):
    """The folder on sys.path from which a file's module name resolves ("" for the project root)."""
    folder = os.path.dirname(f["rel"])
    depth = len((f.get("module") or "").split(".")) - (0 if f.get("isPackage") else 1) if f.get("module") else 0
    for _ in range(depth):
        folder = os.path.dirname(folder)
    return folder


def _choose_definition(definitions, target_module):
    """One module to import a project name from, or None when distinct definitions compete."""
    if not definitions:
        return None
    origins = {tuple(d.get("origin") or (d["module"], d["name"])) for d in definitions}
    if len(origins) > 1:
        near = [d for d in definitions if target_module and _same_package(d["module"], target_module)]
        near_origins = {tuple(d.get("origin") or (d["module"], d["name"])) for d in near}
        if len(near_origins) != 1:
            return None
        definitions = near
    # Among the defining module and the packages re-exporting it: the one the project imports most.
    return sorted(definitions, key=lambda d: (-d["evidence"], d["kind"] == "reexport", len(d["module"]), d["module"]))[0]


def _stdlib_rank(module):
    try:
        return _PREFERRED_STDLIB.index(module)
    except ValueError:
        return len(_PREFERRED_STDLIB) + (1 if "." in module else 0)


def _catalog_candidates(catalog, name, usage, tree=None):
    """The caller's stdlib/alias candidates that fit how the file uses the name, and whether an asyncio class
    and its thread-world namesake (asyncio.Queue / queue.Queue) both still fit with nothing to tell them apart."""
    checked = []
    for item in catalog or []:
        module = item.get("module")
        if not module or any(p.startswith("_") for p in module.split(".")):
            continue
        source = item.get("source") or "stdlib"
        c = _candidate(module, item.get("name"), item.get("asname"), source)
        if source == "stdlib":
            obj = _stdlib_object(module, c["name"])
            fit = _fits(obj, usage, module)
            if fit is False:
                continue
            c["object"] = obj
            # A submodule attribute (xml.etree used as xml.etree.ElementTree) needs `import pkg.sub`.
            if c["name"] is None and inspect.ismodule(obj):
                for attr in usage["attrs"]:
                    if not hasattr(obj, attr) and _static_spec(module + "." + attr) is not None:
                        c["module"] = module + "." + attr
                        c["bindsAs"] = module
                        break
        elif not _installed(module):
            continue
        checked.append(c)
    # typing.Counter and friends cannot be instantiated: when the name is called, keep the class they alias.
    objects = [c.get("object") for c in checked]
    kept = []
    for c in checked:
        origin = getattr(c.get("object"), "__origin__", None)
        if usage["called"] and origin is not None and any(o is origin for o in objects):
            continue
        # asyncio.tasks.sleep when asyncio.sleep is also a candidate: keep the public package.
        if any(o is not c and o["name"] == c["name"] and c["module"].startswith(o["module"] + ".") for o in checked):
            continue
        kept.append(c)
    kept, undecided = _settle_concurrency(kept, tree, name)
    for c in kept:
        c.pop("object", None)
    return kept, undecided


# ---------------------------------------------------------------------------------------- binding kinds


def _kind_fits(kind, usage):
    """Whether what a project candidate binds (module / function / class / variable) fits how the name is used."""
    if kind == "module":
        return not (usage["called"] or usage["subscripted"] or usage["base"] or usage["decorator"])
    if kind in ("function", "async"):
        return not (usage["subscripted"] or usage["base"] or any(not a.startswith("__") for a in usage["attrs"]))
    return True


def _definition_fits(d, usage, by_module, tree):
    """Whether a project definition binds what the usage needs; a re-export is judged by what it re-exports
    (`from random import random` in a project module does not provide the module random)."""
    origin = d.get("origin") or [d["module"], d["name"]]
    if d["kind"] != "reexport" or origin[1] is None:
        return _kind_fits(None if d["name"] in by_module.get(d["module"], {}).get("decorated", []) else d["kind"], usage)
    return _binding_fits(_candidate(origin[0], origin[1], None, "project"), usage, by_module, tree)


def _binding_fits(c, usage, by_module, tree=None):
    """Whether an existing import elsewhere in the project (`from random import random`) binds something this file
    can use the way it does (`random.randint(...)` needs the module; a thread's queue is not an asyncio one)."""
    module, name = c["module"], c["name"]
    top = module.split(".")[0]
    if module not in by_module and top in _STDLIB_TOP:
        obj = _stdlib_object(module, name)
        return _fits(obj, usage, module) is not False and not (tree is not None and _other_world(module, obj, tree, c["name"]))
    if name is None:
        return _kind_fits("module", usage)
    origin_module, origin_name = _origin(by_module, module, name)
    f = by_module.get(origin_module)
    if f is None:
        return True
    kind = None if origin_name in f["decorated"] else f["defines"].get(origin_name)
    if kind is None and (origin_module + "." + origin_name) in by_module:
        kind = "module"
    return _kind_fits(kind, usage)


def _declared_filter(local_tops):
    """module -> whether importing it stays within the project, the stdlib and the DECLARED dependencies (every
    installed package counts when the project declares none)."""
    declares, tops, _ = _deps.declared_modules()

    def allowed(module):
        top = module.split(".")[0]
        return not declares or top in local_tops or top in _STDLIB_TOP or top in tops
    return allowed


# ---------------------------------------------------------------------------------------- asyncio or threads


def _enclosing_function(node, parents):
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        node = parents.get(node)
    return node


def _instance_calls(tree, name):
    """Method calls on values the file makes with `name(...)` or annotates as `name`: (method, awaited, in_async,
    result_discarded, positional count or None when starred, keyword names or None when **)."""
    parents = _parents(tree)
    holders = set()
    for node in ast.walk(tree):
        value = getattr(node, "value", None) if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        made = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == name
        annotated = isinstance(node, (ast.AnnAssign, ast.arg)) and node.annotation is not None and any(
            isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.annotation))
        if not (made or annotated):
            continue
        if isinstance(node, ast.arg):
            holders.add(node.arg)
            continue
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
            holders.add(t.id if isinstance(t, ast.Name) else "." + t.attr if isinstance(t, ast.Attribute) else None)
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        recv = node.func.value
        key = recv.id if isinstance(recv, ast.Name) else "." + recv.attr if isinstance(recv, ast.Attribute) else None
        if key is None or key not in holders:
            continue
        func = _enclosing_function(node, parents)
        starred = any(isinstance(a, ast.Starred) for a in node.args)
        calls.append((node.func.attr, isinstance(parents.get(node), ast.Await), isinstance(func, ast.AsyncFunctionDef),
                      isinstance(parents.get(node), ast.Expr), None if starred else len(node.args),
                      None if any(k.arg is None for k in node.keywords) else [k.arg for k in node.keywords]))
    return calls


def _instances_fit(obj, calls):
    """Whether a class's methods can be called the way the file calls them on its instances."""
    if not inspect.isclass(obj):
        return True
    for method, awaited, in_async, discarded, nargs, kwargs in calls:
        attr = getattr(obj, method, _MISSING)
        if attr is _MISSING:
            return False
        if not callable(attr):
            continue
        coroutine = inspect.iscoroutinefunction(attr)
        if awaited and not coroutine:
            return False
        if coroutine and not awaited and (discarded or not in_async):
            return False
        if nargs is None or kwargs is None:
            continue
        try:
            inspect.signature(attr).bind(*([None] * (nargs + 1)), **{k: None for k in kwargs})
        except TypeError:
            return False
        except ValueError:
            continue
    return True


_THREAD_MODULES = {"threading", "queue", "concurrent", "multiprocessing", "_thread"}


def _concurrency(tree, name):
    """'async' or 'thread' when the file's code around `name` says which world it lives in, else None."""
    parents = _parents(tree)
    in_async = any(isinstance(_enclosing_function(n, parents), ast.AsyncFunctionDef)
                   for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name)
    tops = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            tops.add(node.module.split(".")[0])
    votes = set()
    if in_async or "asyncio" in tops:
        votes.add("async")
    if tops & _THREAD_MODULES:
        votes.add("thread")
    return votes.pop() if len(votes) == 1 else None


_THREAD_HOMES = ["queue", "threading", "concurrent.futures", "multiprocessing"]


def _other_world(module, obj, tree, name):
    """Whether a stdlib class is the wrong one of an asyncio / thread-world pair for this file (how its instances
    are called, else the file's context), when the other world has a class of the same name."""
    if not inspect.isclass(obj):
        return False
    is_async = module.split(".")[0] == "asyncio"
    namesakes = [getattr(_stdlib_object(m, None), name, None) for m in (_THREAD_HOMES if is_async else ["asyncio"])]
    if not any(inspect.isclass(n) for n in namesakes):
        return False
    if not _instances_fit(obj, _instance_calls(tree, name)):
        return True
    context = _concurrency(tree, name)
    return context is not None and (context == "async") != is_async


def _settle_concurrency(kept, tree, name):
    """asyncio.X against a thread-world X (Queue, Lock, Event, Future): the instances' method calls decide, then the
    file's context; (candidates, undecided)."""
    worlds = {c["module"].split(".")[0] == "asyncio" for c in kept if inspect.isclass(c.get("object"))}
    if tree is None or len(worlds) < 2:
        return kept, False
    calls = _instance_calls(tree, name)
    fitting = [c for c in kept if _instances_fit(c.get("object"), calls)]
    if len({c["module"].split(".")[0] == "asyncio" for c in fitting}) < 2:
        return fitting, False
    context = _concurrency(tree, name)
    if context is None:
        return fitting, True
    return [c for c in fitting if (c["module"].split(".")[0] == "asyncio") == (context == "async")], False


# ---------------------------------------------------------------------------------------- other unbound names


_MODULE_DUNDERS = {"__name__", "__file__", "__doc__", "__package__", "__spec__", "__loader__", "__path__", "__cached__",
                   "__builtins__", "__annotations__", "__dict__", "__class__"}


def _unbound_names(source, path, tree):
    """Names the file reads but never binds (nor builtins provide), in first-seen order: what a deleted import
    left behind besides the name that raised. Empty when a star import could bind anything."""
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return []
    try:
        top = symtable.symtable(source, path, "exec")
    except (SyntaxError, ValueError):
        return []
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}
    bound |= {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    found = []

    def visit(table):
        module_level = table.get_type() == "module"
        for sym in table.get_symbols():
            n = sym.get_name()
            if not sym.is_referenced() or n in bound or n in found or hasattr(builtins, n) or n in _MODULE_DUNDERS:
                continue
            if module_level or (sym.is_global() and not (sym.is_assigned() or sym.is_imported() or sym.is_parameter())):
                found.append(n)
        for child in table.get_children():
            visit(child)
    visit(top)
    return found


def _shadowed_builtins(tree, facts, target):
    """Builtins the file reads and never binds that the project's library code imports from its own modules
    (asyncstdlib's `from ._core import aiter`): a deleted import took the project's version with it. Nothing when a star
    import could bind anything; a name the file still imports is bound."""
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return []
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    read = {n for n in read - bound if hasattr(builtins, n) and not n.startswith("__")}
    local_tops = {f["module"].split(".")[0] for f in facts if f["module"]}
    shadowed = {imp["bound"] for f in facts if not f["isTest"] and f["rel"] != target["rel"] for imp in f["imports"]
                if imp["bound"] in read and imp["module"] and (imp["level"] or imp["module"].split(".")[0] in local_tops)}
    return sorted(shadowed)


def _rank_pool(pool, file_modules, project_modules):
    """Orders stdlib/alias/installed candidates: what the file (then the project) already imports from the
    same package first, then stdlib over third-party, common stdlib homes first. Flags an undecidable tie."""
    file_tops = {m.split(".")[0] for m in file_modules}
    project_tops = {m.split(".")[0] for m in project_modules}
    for c in pool:
        top = c["module"].split(".")[0]
        c["fileEvidence"] = int(top in file_tops) + int(c["module"] in file_modules)
        c["evidence"] = 2 * c["fileEvidence"] + (top in project_tops) + (c["module"] in project_modules)
    order = {"alias": 0, "stdlib": 1, "installed": 2}
    # The file's own imports decide first; a package used elsewhere in the project does not beat the stdlib
    # (sqlalchemy.Enum must not replace enum.Enum in a module that never touches sqlalchemy).
    pool.sort(key=lambda c: (-c["fileEvidence"], order.get(c["source"], 3), -c["evidence"], _stdlib_rank(c["module"]), c["module"]))
    if len(pool) > 1 and pool[0]["evidence"] == pool[1]["evidence"] and pool[0]["source"] == pool[1]["source"] == "stdlib" \
            and _stdlib_rank(pool[0]["module"]) >= len(_PREFERRED_STDLIB) and _stdlib_rank(pool[1]["module"]) >= len(_PREFERRED_STDLIB):
        return pool, True  # nothing tells two obscure homes apart
    return pool, False


def _third_party_candidates(facts, name, usage, stdlib_top):
    """`import name` for an installed package, or `from dep import name` where dep is a third-party
    module the project already imports and its source binds name."""
    deps = {}
    locals_top = {f["module"].split(".")[0] for f in facts if f["module"]}
    for f in facts:
        for imp in f["imports"]:
            module = imp["module"]
            if not module or imp["level"]:
                continue
            top = module.split(".")[0]
            if top in stdlib_top or top in locals_top:
                continue
            deps[module] = deps.get(module, 0) + 1
            parts = module.split(".")
            for i in range(1, len(parts)):
                deps.setdefault(".".join(parts[:i]), 0)
    out = []
    if not (usage["called"] and not usage["attrs"]) and name not in stdlib_top and name not in locals_top and _installed(name):
        out.append(_candidate(name, None, None, "installed", "module", deps.get(name, 0)))
    for module, count in sorted(deps.items(), key=lambda kv: -kv[1]):
        if name in _static_exports(module):
            out.append(_candidate(module, name, None, "installed", None, count))
    if not out:
        # Second tier: the public subpackages of the packages the project depends on (sqlalchemy.orm).
        for top in sorted({m.split(".")[0] for m in deps}):
            for sub in _public_subpackages(top):
                if sub not in deps and name in _static_exports(sub):
                    out.append(_candidate(sub, name, None, "installed", None, 0))
    return out


_PRIVATE_SUBPACKAGES = {"tests", "test", "testing", "util", "utils", "compat", "internal", "vendor", "_vendor"}


def _public_subpackages(top):
    spec = _static_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return []
    out = []
    for folder in spec.submodule_search_locations:
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.startswith("_") or entry in _PRIVATE_SUBPACKAGES or not entry.isidentifier():
                continue
            if os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                out.append(top + "." + entry)
    return out


# ---------------------------------------------------------------------------------------- insertion


_GROUP_ORDER = {"future": 0, "stdlib": 1, "thirdparty": 2, "local": 3}
_LABEL = {"future": "__future__", "stdlib": "stdlib", "thirdparty": "third-party", "local": "project"}


def _group(module, level, local_tops):
    if level:
        return "local"
    top = (module or "").split(".")[0]
    if top == "__future__":
        return "future"
    if top in local_tops:
        return "local"
    if top in _STDLIB_TOP:
        return "stdlib"
    return "thirdparty"


def _sort_key(module, level):
    return ("." * level + (module or "")).lower()


def _imported_names(c):
    """(name, asname) pairs a from-import candidate binds: its name and the names gathered with it."""
    return sorted([(c["name"], c["asname"])] + [(n, None) for n in c.get("also") or []], key=lambda p: _by_type(p[0]))


def _statement(c, relative_module=None):
    module = relative_module or c["module"]
    if c["name"] is None:
        return "import %s%s" % (module, " as %s" % c["asname"] if c["asname"] else "")
    return "from %s import %s" % (module, ", ".join(n + (" as %s" % a if a else "") for n, a in _imported_names(c)))


def _relative_name(target_module, target_is_package, module):
    """`from .x import` spelling of an absolute project module as seen from the target module."""
    if not target_module:
        return None
    package = target_module.split(".") if target_is_package else target_module.split(".")[:-1]
    parts = module.split(".")
    common = 0
    while common < len(package) and common < len(parts) and package[common] == parts[common]:
        common += 1
    if common == 0:
        return None
    dots = len(package) - common + 1
    return "." * dots + ".".join(parts[common:])


def _top_imports(tree):
    """Top-level import statements before the first def/class (the file's import block)."""
    out = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            out.append(stmt)
    return out


def _edit_insert(lines, before_line, text):
    """An anchored edit that inserts `text` (lines joined by \\n) before 1-based line `before_line`."""
    n = len(lines)
    if 1 <= before_line <= n and lines[before_line - 1].strip():
        anchor = lines[before_line - 1]
        return {"find": anchor, "replace": text + "\n" + anchor, "nearLine": before_line}
    prev = before_line - 1
    if 1 <= prev <= n and lines[prev - 1].strip():
        anchor = lines[prev - 1]
        return {"find": anchor, "replace": anchor + "\n" + text, "nearLine": prev}
    return {"find": "", "replace": text + "\n", "nearLine": max(1, min(before_line, n + 1))}


def _docstring_end(tree):
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(getattr(tree.body[0], "value", None), ast.Constant) \
            and isinstance(tree.body[0].value.value, str):
        return getattr(tree.body[0], "end_lineno", tree.body[0].lineno)
    return 0


def _by_type(name):
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name.lower())


def _merge_into(stmt, lines, added):
    """Adds (name, asname) pairs to an existing one-line `from M import a, b` (kept sorted when it was sorted)."""
    if getattr(stmt, "end_lineno", stmt.lineno) != stmt.lineno:
        return None
    line = lines[stmt.lineno - 1]
    if "(" in line or ";" in line or "\\" in line or "#" in line:
        return None
    names = [(a.name, a.asname) for a in stmt.names]
    # isort/ruff order by type (CONSTANTS, Classes, functions), else plain case-insensitive order; else append.
    order = next((o for o in (_by_type, lambda n: n.lower()) if [o(n) for n, _ in names] == sorted(o(n) for n, _ in names)), None)
    for new in added:
        pos = len(names) if order is None else len([n for n, _ in names if order(n) <= order(new[0])])
        names.insert(pos, new)
    spelled = [n + (" as " + a if a else "") for n, a in names]
    head = line[: line.index(" import ") + len(" import ")]
    merged = head + ", ".join(spelled)
    if len(merged) > 99:
        return None
    return {"find": line, "replace": merged, "nearLine": stmt.lineno}


def _sole_function_use(tree, names):
    """The one top-level function whose body holds every read of `names`, else None (its defaults, annotations and
    decorators run when the module loads, so a read there does not count as inside)."""
    def reads(nodes):
        return sum(1 for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load))
    total = reads([tree])
    if total == 0:
        return None
    return next((f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and reads(f.body) == total), None)


def _first_module_use(tree, names):
    """The first line where module-level code (not a function body) reads one of `names`, else None."""
    def reads(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return False
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            return True
        return any(reads(child) for child in ast.iter_child_nodes(node))
    return next((stmt.lineno for stmt in tree.body if reads(stmt)), None)


def _plan_edit(tree, lines, c, statement, module_for_group, level, local_tops, names=()):
    # Only imports above the first module-level use of a restored name: an import below it binds too late.
    use = _first_module_use(tree, set(names))
    imports = [s for s in _top_imports(tree) if use is None or getattr(s, "end_lineno", s.lineno) < use]
    # Same module already imported with `from M import ...`: extend that statement.
    if c["name"] is not None:
        for stmt in imports:
            if isinstance(stmt, ast.ImportFrom) and (stmt.level or 0) == level and \
                    ("." * level + (stmt.module or "")) == ("." * level + (module_for_group or "")) and \
                    not any(a.name == "*" for a in stmt.names):
                merged = _merge_into(stmt, lines, _imported_names(c))
                if merged:
                    return merged, "merged into the existing import of %s" % ("." * level + module_for_group)
                end = getattr(stmt, "end_lineno", stmt.lineno)
                return _edit_insert(lines, end + 1, statement), "next to the existing import of the same module"
    group = _group(module_for_group, level, local_tops)
    key = _sort_key(module_for_group, level)
    classified = []
    for stmt in imports:
        mod = stmt.names[0].name if isinstance(stmt, ast.Import) else stmt.module
        lvl = 0 if isinstance(stmt, ast.Import) else (stmt.level or 0)
        classified.append((stmt, _group(mod, lvl, local_tops), _sort_key(mod, lvl)))
    same = [x for x in classified if x[1] == group]
    if same:
        after = [x for x in same if x[2] <= key]
        if after:
            stmt = after[-1][0]
            return _edit_insert(lines, getattr(stmt, "end_lineno", stmt.lineno) + 1, statement), "in the %s imports" % _LABEL[group]
        return _edit_insert(lines, same[0][0].lineno, statement), "in the %s imports" % _LABEL[group]
    later = [x for x in classified if _GROUP_ORDER[x[1]] > _GROUP_ORDER[group]]
    earlier = [x for x in classified if _GROUP_ORDER[x[1]] < _GROUP_ORDER[group]]
    if earlier:
        stmt = earlier[-1][0]
        end = getattr(stmt, "end_lineno", stmt.lineno)
        if end + 1 < len(lines) and not lines[end].strip() and not lines[end + 1].strip():
            # Two blank lines follow: the new group takes the second one's place, keeping one above and one below.
            return _edit_insert(lines, end + 2, statement), "as a new %s group" % _LABEL[group]
        return _edit_insert(lines, end + 1, "\n" + statement), "as a new %s group" % _LABEL[group]
    if later:
        first = later[0][0]
        return _edit_insert(lines, first.lineno, statement + "\n"), "as a new %s group" % _LABEL[group]
    # No imports yet: after the docstring (and before the first statement), separated by blank lines.
    doc_end = _docstring_end(tree)
    next_stmt = next((s for s in tree.body if s.lineno > doc_end), None)
    first_line = next_stmt.lineno if next_stmt is not None else len(lines) + 1
    if next_stmt is not None and getattr(next_stmt, "decorator_list", None):
        first_line = min([first_line] + [d.lineno for d in next_stmt.decorator_list])
    wanted_blank = 2 if isinstance(next_stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else 1
    # Comments directly above the first statement belong to it: insert above them.
    while first_line - 1 > doc_end and lines[first_line - 2].lstrip().startswith("#"):
        first_line -= 1
    if doc_end:
        text = "\n\n" + statement
        if next_stmt is not None:
            gap = sum(1 for ln in lines[doc_end:first_line - 1] if not ln.strip())
            text += "\n" * max(0, wanted_blank - gap)
        return {"find": lines[doc_end - 1], "replace": lines[doc_end - 1] + text, "nearLine": doc_end}, "after the module docstring"
    if next_stmt is None:
        return {"find": "", "replace": statement + "\n", "nearLine": len(lines) + 1}, "as the first statement"
    return _edit_insert(lines, first_line, statement + "\n" * wanted_blank), "at the top of the file"


def _annotation_uses(tree, name, line):
    """Whether an annotation evaluated at `line` (a def's signature or an annotated assignment) names `name`."""
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            last = node.body[0].lineno - 1 if node.body else node.lineno
            if not (first <= line <= max(last, node.lineno)):
                continue
            a = node.args
            annotations = [x.annotation for x in a.args + a.kwonlyargs + getattr(a, "posonlyargs", []) + [a.vararg, a.kwarg]
                           if x is not None and x.annotation is not None] + ([node.returns] if node.returns else [])
        elif isinstance(node, ast.AnnAssign) and node.lineno <= line <= getattr(node, "end_lineno", node.lineno):
            annotations = [node.annotation]
        for ann in annotations:
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ann)):
                return True
            if isinstance(ann, ast.Constant):
                continue
    return False


def _has_future_annotations(tree):
    return any(isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
               for s in tree.body)


def _future_edit(tree, lines, statement):
    """`from __future__` must come first: right after the docstring (merged into an existing one)."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            merged = _merge_into(stmt, lines, [("annotations", None)])
            if merged:
                return merged
    doc_end = _docstring_end(tree)
    # A blank line separates it from what follows directly (PEP 8 groups).
    gap = "\n" if doc_end < len(lines) and lines[doc_end].strip() else ""
    if doc_end:
        return {"find": lines[doc_end - 1], "replace": lines[doc_end - 1] + "\n" + statement + gap, "nearLine": doc_end}
    return _edit_insert(lines, 1, statement + ("\n" if lines and lines[0].strip() else ""))


_MAX_OTHERS = 20


def _plan_scope(tree, facts, target, allow_project_evidence):
    """What ranking every name of one file needs: the project's facts, the file's and project's imports."""
    local_tops = {f["module"].split(".")[0] for f in facts if f["module"]}
    return {
        "tree": tree, "facts": facts, "target": target, "allowEvidence": allow_project_evidence, "localTops": local_tops,
        "byModule": {f["module"]: f for f in facts if f["module"]},
        "fileModules": {imp["module"] for imp in (target.get("imports") or []) if imp["module"]},
        "projectModules": {imp["module"] for f in facts for imp in f["imports"] if imp["module"]},
        "allowed": _declared_filter(local_tops),
    }


def _choose(name, catalog, scope):
    """The ranked homes of one name and the chosen one: the project's definitions and existing imports, then the
    stdlib and the declared dependencies; only homes binding what the file's usage needs; None when ambiguous."""
    usage = _usage(scope["tree"], name)
    facts, target, by_module, allowed = scope["facts"], scope["target"], scope["byModule"], scope["allowed"]
    evidence, definitions = _project_candidates(facts, target, name, usage) if scope["allowEvidence"] else ([], [])
    evidence = [c for c in evidence if allowed(c["module"]) and _binding_fits(c, usage, by_module, scope["tree"])]
    definitions = [d for d in definitions if _definition_fits(d, usage, by_module, scope["tree"])]
    ranked = []
    chosen = None
    reason = ""
    if evidence:
        # Importing from a package that contains this file (its __init__ re-export) invites circular imports.
        own = target.get("module") or ""
        evidence.sort(key=lambda c: (own.startswith(c["module"] + "."), -c["evidence"],
                                     not _same_package(c["module"], own), c["module"]))
        ranked.extend(evidence)
        chosen = evidence[0]
        reason = "the project already imports %s this way %d time(s)" % (name, chosen["evidence"])
    defs_choice = _choose_definition(definitions, target.get("module"))
    ranked.extend(definitions)
    if chosen is None and definitions and defs_choice is None:
        return {"candidates": ranked, "chosen": None, "usage": usage,
                "reason": "%s is defined in several project modules; not guessing" % name}
    if chosen is None and defs_choice is not None:
        if defs_choice["kind"] == "module" and usage["called"] and not usage["attrs"]:
            defs_choice = None
        else:
            chosen = defs_choice
            reason = "defined in the project module %s" % (defs_choice.get("origin") or [defs_choice["module"]])[0]
    if chosen is None:
        stdlib, undecided = _catalog_candidates(catalog, name, usage, scope["tree"])
        pool = [c for c in stdlib + _third_party_candidates(facts, name, usage, _STDLIB_TOP) if allowed(c["module"])]
        pool, ambiguous = _rank_pool(pool, scope["fileModules"], scope["projectModules"])
        ranked.extend(pool)
        if undecided:
            return {"candidates": ranked, "chosen": None, "usage": usage, "reason": "%s is both an asyncio and a "
                    "thread-world class here and nothing in the file tells which one it means" % name}
        if ambiguous:
            return {"candidates": ranked, "chosen": None, "usage": usage,
                    "reason": "%s exists in several stdlib modules that the file's usage does not tell apart" % name}
        if pool:
            chosen = pool[0]
            reason = {"alias": "conventional alias of %s", "stdlib": "%s from the stdlib catalog",
                      "installed": "installed package %s"}[chosen["source"]] % chosen["module"]
    if chosen is None:
        return {"candidates": ranked, "chosen": None, "usage": usage, "reason": "no module defines %s" % name}
    return {"candidates": ranked, "chosen": chosen, "usage": usage, "reason": reason}


def _same_binding(a, b, name, by_module):
    """Whether `from a import name` and `from b import name` bind the same object (a re-export, one stdlib object)."""
    if a == b:
        return True
    if a in by_module or b in by_module:
        return _origin(by_module, a, name) == _origin(by_module, b, name)
    obj = _stdlib_object(a, name)
    return obj is not _UNKNOWN and obj is not _MISSING and obj is _stdlib_object(b, name)


def _provides(module, name, choice, by_module, primary=False):
    """Whether `from module import name` binds what the name's own choice would, or settles a name that had no
    choice or only a guess among installed packages (`Session` from sqlalchemy.orm with Mapped, not pytest's).
    primary: the module chosen for the name that raised; its own definition of the name counts over the name's
    separate choice (one deleted `from ._core import awaitify, borrow` against a second `borrow` re-exported elsewhere)."""
    best = choice["chosen"]
    if best is not None and best["module"] == module and best["name"] == name and not best["asname"]:
        return True
    f = by_module.get(module)
    # A project module offers what it defines, lists in __all__ or (a package) re-exports; not its own imports
    # (`from decimal import Decimal` in shop/models.py does not make shop.models a home of Decimal).
    if f is not None and not (name in f["defines"] or name in (f["all"] or []) or (f["isPackage"] and name in f["reexports"])):
        return False
    listed = any(c["module"] == module and c["name"] == name and not c["asname"] for c in choice["candidates"])
    if best is not None and best["name"] == name and not best["asname"] and _same_binding(module, best["module"], name, by_module):
        return listed
    if primary and f is not None and name in f["defines"]:
        return True
    if best is not None and best["source"] != "installed":
        return False
    return listed or f is not None or (module.split(".")[0] not in _STDLIB_TOP and name in _static_exports(module))


def _gather(name, choice, also, scope):
    """The chosen candidate extended with the file's other unbound names that one module provides: the chosen
    module, or the module another name's choice points to when it provides more of them (the same objects)."""
    by_module = scope["byModule"]
    choices = {n: _choose(n, cat or [], scope) for n, cat in also.items() if n != name}
    modules = [choice["chosen"]["module"]] + sorted({c["chosen"]["module"] for c in choices.values()
                                                    if c["chosen"] and c["chosen"]["name"]} - {choice["chosen"]["module"]})
    best, covered = choice["chosen"]["module"], []
    for module in modules:
        if module != choice["chosen"]["module"] and not _provides(module, name, choice, by_module):
            continue
        primary = module == choice["chosen"]["module"]
        names = [n for n, c in choices.items() if _provides(module, n, c, by_module, primary)]
        if len(names) > len(covered):
            best, covered = module, names
    chosen = dict(choice["chosen"], module=best)
    if covered:
        chosen["also"] = sorted(covered, key=_by_type)
    return chosen


def import_plan(file, name, catalog=None, line=None, allow_project_evidence=True, also=None):
    """Where `name` (undefined in `file`) can be imported from, ranked, and the edit that adds the best one.

    catalog: candidates from the shipped catalogs, [{module, name|null, asname|null, source: "stdlib"|"alias"}].
    also: {other unbound name: its catalog}, the second call after a reply listed `others`: the names the chosen
    module (or one module that provides them all equivalently) also provides join the same statement.
    Returns {candidates, chosen, statement, edit{find, replace, nearLine}, where, reason} (`others` in phase one)."""
    root = os.getcwd()
    rel = file.replace(os.sep, "/")
    abs_path = os.path.join(root, rel)
    try:
        source = _read_source(abs_path)
        tree = ast.parse(source, abs_path)
    except (OSError, SyntaxError, ValueError) as exc:
        return {"candidates": [], "chosen": None, "reason": "cannot parse %s: %s" % (rel, exc)}
    lines = source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    facts = project_facts(root)
    target = next((f for f in facts if f["rel"] == rel), None) or _file_facts(root, rel) or {"rel": rel, "module": None, "isPackage": False}
    if name in _module_bindings(tree):
        return {"candidates": [], "chosen": None, "reason": "%s is already imported at module level in %s" % (name, rel)}
    if name in (target.get("defines") or {}):
        # The file defines the name itself: an annotation evaluated before the definition exists
        # (`def parse(cls) -> Money` inside class Money) needs postponed evaluation of annotations.
        if line and _annotation_uses(tree, name, line) and not _has_future_annotations(tree):
            chosen = _candidate("__future__", "annotations", None, "future")
            statement = "from __future__ import annotations"
            edit = _future_edit(tree, lines, statement)
            return {"candidates": [chosen], "chosen": chosen, "statement": statement, "edit": edit,
                    "where": "as the first statement after the module docstring", "reason":
                    "%s is defined in this file but an annotation needs it before the definition runs" % name}
        return {"candidates": [], "chosen": None, "reason": "%s is defined in %s itself" % (name, rel)}
    scope = _plan_scope(tree, facts, target, allow_project_evidence)
    choice = _choose(name, catalog, scope)
    if choice["chosen"] is None:
        return choice
    chosen = choice["chosen"]
    others = []
    if also is None and chosen["name"] and not chosen["asname"]:
        # The caller may ask again with catalogs for these names, to restore them in the same fix.
        others = [n for n in _unbound_names(source, abs_path, tree) + _shadowed_builtins(tree, facts, target)
                  if n != name][:_MAX_OTHERS]
    elif also and chosen["name"] and not chosen["asname"]:
        chosen = _gather(name, choice, also, scope)
    ranked, reason, usage, local_tops = choice["candidates"], choice["reason"], choice["usage"], scope["localTops"]
    # Relative spelling when the file already imports project modules relatively.
    relative_module = None
    level = 0
    module_for_group = chosen["module"]
    is_local = chosen["module"].split(".")[0] in local_tops
    if is_local and any(imp["level"] for imp in (target.get("imports") or []) if imp["scope"] == "module"):
        relative_module = _relative_name(target.get("module"), target.get("isPackage"), chosen["module"])
        if relative_module is not None and chosen["name"] is not None:
            level = len(relative_module) - len(relative_module.lstrip("."))
            module_for_group = relative_module.lstrip(".")
        else:
            relative_module = None
    if chosen["name"] is None and relative_module is None and chosen.get("bindsAs") is None and chosen["asname"] is None \
            and chosen["module"].split(".")[0] != name and "." in chosen["module"]:
        # `import a.b` binds `a`, not `b`: spell it `from a import b`.
        parent, _, leaf = chosen["module"].rpartition(".")
        if leaf == name:
            chosen = dict(chosen, module=parent, name=leaf)
            module_for_group = parent
    statement = _statement(chosen, relative_module)
    bound = [chosen["asname"] or (chosen["name"] if chosen["name"] else chosen["module"].split(".")[0])]
    names = bound + list(chosen.get("also") or [])
    local = _sole_function_use(tree, names) if target.get("isPackage") else None
    if local is not None:
        # A package's namespace is its public API: an import only one function needs stays in that function.
        body = local.body[1:] if ast.get_docstring(local) is not None and len(local.body) > 1 else local.body
        first = body[0]
        indent = lines[first.lineno - 1][: len(lines[first.lineno - 1]) - len(lines[first.lineno - 1].lstrip())]
        edit, where = _edit_insert(lines, first.lineno, indent + statement), "at the top of %s, its one user" % local.name
    else:
        edit, where = _plan_edit(tree, lines, chosen, statement, module_for_group, level, local_tops, names)
    plan = {
        "candidates": ranked,
        "chosen": chosen,
        "statement": statement,
        "edit": edit,
        "where": where,
        "usage": usage,
        "reason": reason,
    }
    if others:
        plan["others"] = others
    return plan


OPS = {
    "import_plan": import_plan,
}
