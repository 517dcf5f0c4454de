"""The import_graph op: the project files each file's imports execute, read statically."""

import ast
import importlib
import importlib.machinery
import importlib.util
import os

from .imports import _collect_imports
from .resolve import _classify, _extra_search_paths, _relative_spec, _spec_origin, _static_find


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


OPS = {"import_graph": import_graph}
