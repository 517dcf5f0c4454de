"""Where a name can be imported from (the project's modules, the stdlib catalog), and asyncio-or-threads tie-breaks."""

import ast
import inspect
import os

from ._ast import _parents
from ._exports import _MISSING, _fits, _installed, _static_spec, _stdlib_object


# Tie-break among stdlib homes of one name (Path: pathlib over zipfile; dumps: json over pickle).
_PREFERRED_STDLIB = [
    "os",
    "sys",
    "re",
    "json",
    "typing",
    "pathlib",
    "collections",
    "datetime",
    "time",
    "math",
    "itertools",
    "functools",
    "dataclasses",
    "enum",
    "logging",
    "subprocess",
    "asyncio",
    "shutil",
    "tempfile",
    "random",
    "uuid",
    "decimal",
    "contextlib",
    "abc",
    "copy",
    "hashlib",
    "base64",
    "io",
    "csv",
    "sqlite3",
    "string",
    "textwrap",
    "statistics",
    "fractions",
    "operator",
    "inspect",
    "types",
    "warnings",
    "traceback",
    "argparse",
    "threading",
    "heapq",
    "bisect",
    "struct",
    "secrets",
    "hmac",
    "urllib.parse",
    "unittest.mock",
    "unittest",
    "pickle",
    "glob",
    "fnmatch",
    "zipfile",
    "tarfile",
    "gzip",
    "socket",
    "signal",
    "platform",
    "pprint",
    "weakref",
    "queue",
    "concurrent.futures",
    "multiprocessing",
    "email",
    "html",
    "http",
    "xml.etree.ElementTree",
]


def _candidate(module, name, asname, source, kind=None, evidence=0, level=0):
    return {"module": module, "name": name, "asname": asname, "source": source, "kind": kind, "evidence": evidence, "level": level}


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
        annotated = (
            isinstance(node, (ast.AnnAssign, ast.arg))
            and node.annotation is not None
            and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.annotation))
        )
        if not (made or annotated):
            continue
        if isinstance(node, ast.arg):
            holders.add(node.arg)
            continue
        for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
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
        calls.append(
            (
                node.func.attr,
                isinstance(parents.get(node), ast.Await),
                isinstance(func, ast.AsyncFunctionDef),
                isinstance(parents.get(node), ast.Expr),
                None if starred else len(node.args),
                None if any(k.arg is None for k in node.keywords) else [k.arg for k in node.keywords],
            )
        )
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
    in_async = any(
        isinstance(_enclosing_function(n, parents), ast.AsyncFunctionDef)
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id == name
    )
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
