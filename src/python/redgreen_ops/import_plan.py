"""The import_plan op: import planning for the missing-import fix pattern.

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
import os

from ._candidates import (
    _candidate,
    _catalog_candidates,
    _choose_definition,
    _origin,
    _project_candidates,
    _same_package,
)
from ._exports import _MISSING, _STDLIB_TOP, _UNKNOWN, _static_exports, _stdlib_object
from ._fit import (
    _binding_fits,
    _declared_filter,
    _definition_fits,
    _module_bindings,
    _rank_pool,
    _shadowed_builtins,
    _third_party_candidates,
    _unbound_names,
    _usage,
)
from ._insertion import (
    _annotation_uses,
    _by_type,
    _edit_insert,
    _future_edit,
    _has_future_annotations,
    _plan_edit,
    _relative_name,
    _sole_function_use,
    _statement,
)
from ._project import _file_facts, _read_source, project_facts


_MAX_OTHERS = 20


def _plan_scope(tree, facts, target, allow_project_evidence):
    """What ranking every name of one file needs: the project's facts, the file's and project's imports."""
    local_tops = {f["module"].split(".")[0] for f in facts if f["module"]}
    return {
        "tree": tree,
        "facts": facts,
        "target": target,
        "allowEvidence": allow_project_evidence,
        "localTops": local_tops,
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
        evidence.sort(key=lambda c: (own.startswith(c["module"] + "."), -c["evidence"], not _same_package(c["module"], own), c["module"]))
        ranked.extend(evidence)
        chosen = evidence[0]
        reason = "the project already imports %s this way %d time(s)" % (name, chosen["evidence"])
    defs_choice = _choose_definition(definitions, target.get("module"))
    ranked.extend(definitions)
    if chosen is None and definitions and defs_choice is None:
        return {
            "candidates": ranked,
            "chosen": None,
            "usage": usage,
            "reason": "%s is defined in several project modules; not guessing" % name,
        }
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
            return {
                "candidates": ranked,
                "chosen": None,
                "usage": usage,
                "reason": "%s is both an asyncio and a thread-world class here and nothing in the file tells which one it means" % name,
            }
        if ambiguous:
            return {
                "candidates": ranked,
                "chosen": None,
                "usage": usage,
                "reason": "%s exists in several stdlib modules that the file's usage does not tell apart" % name,
            }
        if pool:
            chosen = pool[0]
            reason = {"alias": "conventional alias of %s", "stdlib": "%s from the stdlib catalog", "installed": "installed package %s"}[
                chosen["source"]
            ] % chosen["module"]
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
    modules = [choice["chosen"]["module"]] + sorted(
        {c["chosen"]["module"] for c in choices.values() if c["chosen"] and c["chosen"]["name"]} - {choice["chosen"]["module"]}
    )
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
            return {
                "candidates": [chosen],
                "chosen": chosen,
                "statement": statement,
                "edit": edit,
                "where": "as the first statement after the module docstring",
                "reason": "%s is defined in this file but an annotation needs it before the definition runs" % name,
            }
        return {"candidates": [], "chosen": None, "reason": "%s is defined in %s itself" % (name, rel)}
    scope = _plan_scope(tree, facts, target, allow_project_evidence)
    choice = _choose(name, catalog, scope)
    if choice["chosen"] is None:
        return choice
    chosen = choice["chosen"]
    others = []
    if also is None and chosen["name"] and not chosen["asname"]:
        # The caller may ask again with catalogs for these names, to restore them in the same fix.
        others = [n for n in _unbound_names(source, abs_path, tree) + _shadowed_builtins(tree, facts, target) if n != name][:_MAX_OTHERS]
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
    if (
        chosen["name"] is None
        and relative_module is None
        and chosen.get("bindsAs") is None
        and chosen["asname"] is None
        and chosen["module"].split(".")[0] != name
        and "." in chosen["module"]
    ):
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


OPS = {"import_plan": import_plan}
