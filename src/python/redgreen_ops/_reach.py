"""What a test reaches: the project's functions, calls resolved to their definitions through imports, reachable functions."""

import ast
import os
import re

from ._ast import _functions, _own_nodes
from ._candidates import _origin
from ._project import _is_test_rel, _load, _module_name, _resolve_relative, project_facts, project_files


def _project_functions():
    """Every function/method of the project's non-test modules, by name, plus async/sync name sets."""
    root = os.getcwd()
    by_name = {}
    async_names = set()
    sync_names = set()
    modules = {}
    for rel in project_files(root):
        loaded = _load(rel)
        if loaded is None:
            continue
        _, _, tree = loaded
        module, _ = _module_name(root, rel)
        if module:
            modules[module] = rel
        for qual, node, cls in _functions(tree):
            entry = {"file": rel, "qualname": qual, "node": node, "cls": cls, "module": module, "test": _is_test_rel(rel)}
            by_name.setdefault(node.name, []).append(entry)
            if isinstance(node, ast.AsyncFunctionDef):
                async_names.add(node.name)
            else:
                sync_names.add(node.name)
    return by_name, async_names, sync_names, modules


def _import_bindings(tree, rel):
    """Module-level names bound by imports in a file: name -> (absolute module, attribute or None)."""
    root = os.getcwd()
    module, is_pkg = _module_name(root, rel)
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out[a.asname] = (a.name, None)
                else:
                    out[a.name.split(".")[0]] = (a.name.split(".")[0], None)
        elif isinstance(node, ast.ImportFrom):
            absolute = _resolve_relative(node.module, node.level, module, is_pkg)
            for a in node.names:
                if a.name != "*" and absolute:
                    out[a.asname or a.name] = (absolute, a.name)
    return out


def _local_types(func):
    """`x = SomeClass(...)` assignments in a function: variable -> class name."""
    out = {}
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            callee = node.value.func
            name = callee.id if isinstance(callee, ast.Name) else callee.attr if isinstance(callee, ast.Attribute) else None
            if name and name[:1].isupper():
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        out[t.id] = name
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call):
                    callee = item.context_expr.func
                    name = callee.id if isinstance(callee, ast.Name) else callee.attr if isinstance(callee, ast.Attribute) else None
                    if name and name[:1].isupper():
                        out[item.optional_vars.id] = name
    for arg in func.args.args + func.args.kwonlyargs:
        ann = arg.annotation
        if isinstance(ann, ast.Name) and ann.id[:1].isupper():
            out.setdefault(arg.arg, ann.id)
        elif isinstance(ann, ast.Attribute) and ann.attr[:1].isupper():
            out.setdefault(arg.arg, ann.attr)
    return out


def _module_functions(module, name, by_name, modules):
    """The project functions `module.name` is: defined there, or re-exported through a package (the chain is followed
    to the defining module)."""
    hits = [e for e in by_name.get(name, []) if e["cls"] is None and e["module"] == module]
    if not hits and module in modules:
        facts = {f["module"]: f for f in project_facts(os.getcwd()) if f["module"]}
        origin_module, origin_name = _origin(facts, module, name)
        hits = [e for e in by_name.get(origin_name, []) if e["cls"] is None and e["module"] == origin_module]
    return hits


def _resolve_call(call, entry, bindings, by_name, modules):
    """Project functions a call may reach (over-approximated for methods of unknown receivers)."""
    func = call.func
    if isinstance(func, ast.Name):
        name = func.id
        if name in bindings:
            module, attr = bindings[name]
            target = attr or name
            hits = _module_functions(module, target, by_name, modules)
            if not hits:
                # A class: its __init__.
                hits = [e for e in by_name.get("__init__", []) if e["cls"] is not None and e["cls"].name == target]
            return hits
        same = [e for e in by_name.get(name, []) if e["cls"] is None and e["file"] == entry["file"]]
        if same:
            return same
        return [e for e in by_name.get("__init__", []) if e["cls"] is not None and e["cls"].name == name and e["file"] == entry["file"]]
    if isinstance(func, ast.Attribute):
        attr = func.attr
        recv = func.value
        if isinstance(recv, ast.Name) and recv.id in bindings:
            module, sub = bindings[recv.id]
            full = module + "." + sub if sub else module
            hits = [e for e in by_name.get(attr, []) if e["cls"] is None and e["module"] in (full, module)]
            hits = hits or _module_functions(full, attr, by_name, modules)
            if hits:
                return hits
        candidates = [e for e in by_name.get(attr, []) if e["cls"] is not None]
        cls_name = None
        if isinstance(recv, ast.Name):
            if recv.id in ("self", "cls") and entry.get("cls") is not None:
                cls_name = entry["cls"].name
            else:
                cls_name = entry.setdefault("_types", _local_types(entry["node"])).get(recv.id)
        if cls_name:
            # A known type that is not a project class (Session, Connection, list) has no project methods.
            return [e for e in candidates if e["cls"].name == cls_name]
        return candidates if len(candidates) <= 6 else []
    return []


def _test_roots(test_file, test_function, test_class, by_name):
    """The test function, plus the fixtures it requests that live in the test file or a conftest.py."""
    loaded = _load(test_file)
    if loaded is None:
        return []
    _, _, tree = loaded
    roots = []
    base = re.sub(r"\[.*$", "", test_function or "")
    for qual, node, cls in _functions(tree):
        if node.name == base and (test_class is None or (cls is not None and cls.name == test_class)):
            roots.append({"file": test_file, "qualname": qual, "node": node, "cls": cls, "module": None, "test": True})
            break
    if not roots:
        return []
    params = {a.arg for a in roots[0]["node"].args.args}
    for name in params:
        for e in by_name.get(name, []):
            if e["file"] == test_file or os.path.basename(e["file"]) == "conftest.py":
                roots.append(e)
    return roots


def _reachable(roots, by_name, modules, max_depth=6, max_funcs=300):
    """BFS over the call graph from the roots: [(entry, depth, parent entry)]."""
    seen = {}
    order = []
    queue = [(r, 0, None) for r in roots]
    bindings_cache = {}
    while queue and len(order) < max_funcs:
        entry, depth, parent = queue.pop(0)
        key = (entry["file"], entry["qualname"])
        if key in seen:
            continue
        seen[key] = True
        order.append((entry, depth, parent))
        if depth >= max_depth:
            continue
        if entry["file"] not in bindings_cache:
            loaded = _load(entry["file"])
            bindings_cache[entry["file"]] = _import_bindings(loaded[2], entry["file"]) if loaded else {}
        bindings = bindings_cache[entry["file"]]
        for node in _own_nodes(entry["node"]):
            if isinstance(node, ast.Call):
                for callee in _resolve_call(node, entry, bindings, by_name, modules):
                    if (callee["file"], callee["qualname"]) not in seen:
                        queue.append((callee, depth + 1, entry))
    return order
