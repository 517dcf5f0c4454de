"""Whether a candidate binding fits how a file uses a name: usage, binding kinds, other unbound names, third-party homes."""

import ast
import builtins
import os
import symtable

from ._ast import _parents
from ._candidates import _PREFERRED_STDLIB, _candidate, _origin, _other_world, _stdlib_rank
from ._exports import _STDLIB_TOP, _fits, _installed, _static_exports, _static_spec, _stdlib_object
from .deps import declared_modules


def _usage(tree, name):
    """How `name` is used in a file: attributes read from it, called, awaited, subscripted, as a base."""
    parents = _parents(tree)
    usage = {
        "attrs": [],
        "called": False,
        "awaited": False,
        "subscripted": False,
        "base": False,
        "decorator": False,
        "count": 0,
        "bareOnly": True,
        "calls": [],
    }
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
    declares, tops, _ = declared_modules()

    def allowed(module):
        top = module.split(".")[0]
        return not declares or top in local_tops or top in _STDLIB_TOP or top in tops

    return allowed


_MODULE_DUNDERS = {
    "__name__",
    "__file__",
    "__doc__",
    "__package__",
    "__spec__",
    "__loader__",
    "__path__",
    "__cached__",
    "__builtins__",
    "__annotations__",
    "__dict__",
    "__class__",
}


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
    shadowed = {
        imp["bound"]
        for f in facts
        if not f["isTest"] and f["rel"] != target["rel"]
        for imp in f["imports"]
        if imp["bound"] in read and imp["module"] and (imp["level"] or imp["module"].split(".")[0] in local_tops)
    }
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
    if (
        len(pool) > 1
        and pool[0]["evidence"] == pool[1]["evidence"]
        and pool[0]["source"] == pool[1]["source"] == "stdlib"
        and _stdlib_rank(pool[0]["module"]) >= len(_PREFERRED_STDLIB)
        and _stdlib_rank(pool[1]["module"]) >= len(_PREFERRED_STDLIB)
    ):
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
