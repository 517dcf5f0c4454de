"""What a module exports, read without running project code: stdlib names, static exports, installed modules, fits."""

import ast
import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import sys
import sysconfig

from ._project import _literal_strings, _read_source, _targets
from .resolve import _NEVER_IMPORT


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
    if usage["subscripted"] and (
        inspect.ismodule(obj) or not (hasattr(obj, "__class_getitem__") or hasattr(type(obj), "__getitem__") or hasattr(obj, "__getitem__"))
    ):
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
