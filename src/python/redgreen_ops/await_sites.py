"""The await_sites op: un-awaited calls of project coroutines inside `async def`s (at a line, or reachable from a test)."""

import ast
import os

from ._ast import _end, _functions, _innermost_function, _own_nodes, _parents, _segment
from ._await import _AwaitResolver, _call_name, _terminal
from ._edits import _insert_text, _line_edit
from ._project import _is_test_rel, _load, project_files
from ._reach import _project_functions, _reachable, _test_roots


# Methods that keep a value: a coroutine appended to a list is stored, not awaited by the method.
_STORES_VALUE = {"append", "appendleft", "insert", "add"}


def _unawaited_calls(func, parents, is_coroutine, wanted=None):
    """Calls in an async def's own body to project coroutine functions whose result is not awaited.
    wanted: the coroutine the failure shows as a value; one stored by `items.append(anext(it))` counts
    (coroutines collected for a later gather never show up as values)."""
    out = []
    for node in _own_nodes(func):
        if not isinstance(node, ast.Call):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Await):
            continue
        if isinstance(parent, ast.Call) and node in parent.args + [k.value for k in parent.keywords]:
            stored = wanted is not None and _call_name(node) == wanted and _call_name(parent) in _STORES_VALUE
            if not stored:
                continue  # handed to create_task/gather/...: the callee awaits it
        if isinstance(parent, (ast.List, ast.Tuple, ast.Set)):
            continue  # collected for gather(*coros)
        callee = is_coroutine(node)
        if callee:
            out.append((node, callee))
    return out


def _awaited_alike(func, parents, awaited=None):
    """A coroutine test for calls of callees the function itself awaits elsewhere (`key = _awaitify(key)` ...
    `await key(x)`): the callee yields awaitables even when no def says so. A call whose result goes to a name
    the function awaits later (`c = key(x)` ... `await c`) is awaited, not missing one. awaited: the callees
    to test against instead of the function's own awaits."""
    own = list(_own_nodes(func))
    if awaited is None:
        awaited = {ast.unparse(n.value.func) for n in own if isinstance(n, ast.Await) and isinstance(n.value, ast.Call)}
    awaited_names = {n.value.id for n in own if isinstance(n, ast.Await) and isinstance(n.value, ast.Name)}

    def check(call):
        callee = ast.unparse(call.func)
        if callee not in awaited:
            return None
        parent = parents.get(call)
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target] if isinstance(parent, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id in awaited_names for t in targets):
            return None
        return callee

    return check


def _coroutine_check(resolver, rel, func, cls, parents):
    """Whether a call in `func` returns a coroutine: a project coroutine function, or a callee awaited alike."""
    alike = _awaited_alike(func, parents)
    return lambda c: resolver.coroutine_callee(c, rel, func, cls) or alike(c)


def _await_edit(lines, call, parents):
    parent = parents.get(call)
    needs_parens = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call) or (
        isinstance(parent, ast.Call) and parent.func is call
    )
    before, after = ("(await ", ")") if needs_parens else ("await ", "")
    first, last, text = _insert_text(lines, call, before, after)
    return _line_edit(lines, first, last, text)


def _frame_entries(frames, by_name):
    """The project functions (not tests) the failure's frames run in, innermost first."""
    out = []
    for fr in reversed(frames or []):
        hits = [e for e in by_name.get(fr.get("function") or "", []) if e["file"] == fr["file"] and not e["test"]]
        hits = hits or [e for es in by_name.values() for e in es if e["file"] == fr["file"] and not e["test"]]
        inner = [e for e in hits if e["node"].lineno <= fr["line"] <= _end(e["node"])]
        if inner:
            out.append(max(inner, key=lambda e: e["node"].lineno))
    return out


def _reachable_sites(roots, by_name, modules, resolver, site, include_tests, wanted, how, max_depth=6):
    """Un-awaited project coroutine calls in the async defs reachable from the roots. how="discarded": only calls
    made as a bare statement (`self.step()`: created, dropped, never run), certain whatever error followed, since a
    coroutine dropped unawaited is never intended; else the calls of `wanted` (any, when the failure names none)."""
    out = []
    for entry, _, _ in _reachable(roots, by_name, modules, max_depth=max_depth):
        if (entry["test"] and not include_tests) or not isinstance(entry["node"], ast.AsyncFunctionDef):
            continue
        loaded = _load(entry["file"])
        if loaded is None:
            continue
        _, lines, tree = loaded
        parents = _parents(tree)
        check = _coroutine_check(resolver, entry["file"], entry["node"], entry["cls"], parents)
        for c in _unawaited_calls(entry["node"], parents, check, wanted):
            kept = isinstance(parents.get(c[0]), ast.Expr) if how == "discarded" else not wanted or _call_name(c[0]) == wanted
            if kept:
                label = "called as a statement, never awaited" if how == "discarded" else "reachable from the test"
                out.append(site(entry["file"], lines, entry["node"], c, parents, label))
    return out


_AWAITABLE_TESTS = {"isawaitable", "iscoroutine", "isfuture"}
_AWAITABLE_TYPES = {"Awaitable", "Coroutine", "Future", "Task"}


def _tests_awaitable(test, name):
    """Whether a condition says `name` holds an awaitable: isinstance(name, Awaitable), inspect.isawaitable(name)."""
    if not (isinstance(test, ast.Call) and test.args and isinstance(test.args[0], ast.Name) and test.args[0].id == name):
        return False
    fn = _terminal(test.func)
    if fn in _AWAITABLE_TESTS:
        return True
    kinds = (
        test.args[1].elts
        if fn == "isinstance" and len(test.args) == 2 and isinstance(test.args[1], ast.Tuple)
        else test.args[1:2]
        if fn == "isinstance"
        else []
    )
    return any(_terminal(k) in _AWAITABLE_TYPES for k in kinds)


def _project_async_defs():
    """(file, lines, tree, [(async def, its class)]) for each non-test project module with async defs."""
    for rel in project_files(os.getcwd()):
        loaded = _load(rel)
        if loaded is None or _is_test_rel(rel):
            continue
        _, lines, tree = loaded
        funcs = [(f, cls) for _, f, cls in _functions(tree) if isinstance(f, ast.AsyncFunctionDef)]
        if funcs:
            yield rel, lines, tree, funcs


def _consistency_sites(site):
    """Where the failure shows a coroutine as a value but no call reachable from the test is its cause, a site the project's
    own code marks as one: a `self.<callable>(...)` its module awaits at two or more other calls, or a name returned
    unawaited by an async def under a test that says it is awaitable (`if isinstance(result, Awaitable): return result`)."""
    out = []
    for rel, lines, tree, funcs in _project_async_defs():
        texts = [
            ast.unparse(n.value.func) for f, _ in funcs for n in _own_nodes(f) if isinstance(n, ast.Await) and isinstance(n.value, ast.Call)
        ]
        awaited = {t for t in texts if t.startswith("self.") and texts.count(t) >= 2}
        parents = _parents(tree)
        for func, _ in funcs:
            for c in _unawaited_calls(func, parents, _awaited_alike(func, parents, awaited)):
                out.append(site(rel, lines, func, c, parents, "awaited at the module's other calls"))
            for node in _own_nodes(func):
                guard = parents.get(node)
                if (
                    isinstance(node, ast.Return)
                    and isinstance(node.value, ast.Name)
                    and isinstance(guard, ast.If)
                    and node in guard.body
                    and _tests_awaitable(guard.test, node.value.id)
                ):
                    found = (node.value, node.value.id)
                    out.append(site(rel, lines, func, found, parents, "returned where its test says it is awaitable"))
    return out


# Methods of the async iterator and context manager protocols: their calls return awaitables whatever the receiver.
_ASYNC_PROTOCOL = {"aclose", "asend", "athrow", "__anext__", "__aenter__", "__aexit__"}


def _dropped_names(resolver, site):
    """Names of awaitables left as a bare statement in an async def (`aclose = it.aclose()` ... `aclose`): a statement
    that does nothing, on a name bound to a call of a project coroutine or an async protocol method, lacks its await."""
    out = []
    for rel, lines, tree, funcs in _project_async_defs():
        parents = None
        for func, cls in funcs:
            own = list(_own_nodes(func))
            bare = [n.value for n in own if isinstance(n, ast.Expr) and isinstance(n.value, ast.Name)]
            if not bare:
                continue
            bound = {
                t.id: n.value
                for n in own
                if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                for t in n.targets
                if isinstance(t, ast.Name)
            }
            for name in bare:
                call = bound.get(name.id)
                if call is None:
                    continue
                callee = _call_name(call) if _call_name(call) in _ASYNC_PROTOCOL else resolver.coroutine_callee(call, rel, func, cls)
                if callee:
                    parents = parents or _parents(tree)
                    out.append(site(rel, lines, func, (name, callee), parents, "left as a statement, never awaited"))
    return out


def await_sites(
    file=None,
    line=None,
    coroutine=None,
    test_file=None,
    test_function=None,
    test_class=None,
    include_tests=False,
    frames=None,
    discarded_only=False,
):
    """Un-awaited calls of project coroutines: first in the async def around file:line (the call on the
    line, or the call whose result a name used on the line holds), else anywhere reachable from the test.
    discarded_only: only coroutines called as a bare statement, searched from the failure's frames (file,
    line, function; innermost last) and then from the test.

    coroutine: the qualname from "coroutine 'X.y' was never awaited" or "<coroutine object X.y at ...>"."""
    by_name, _, _, modules = _project_functions()
    resolver = _AwaitResolver(by_name, modules, coroutine)
    wanted = resolver.wanted
    sites = []

    def site(rel, lines, func, found, parents, how):
        call, callee = found
        return {
            "file": rel,
            "line": call.lineno,
            "function": func.name,
            "call": _segment(lines, call).split("\n")[0],
            "callee": callee,
            "how": how,
            "edit": _await_edit(lines, call, parents),
        }

    if discarded_only:
        # From the functions the failure ran through (two calls deep), then from the test.
        sites = _reachable_sites(
            _frame_entries(frames, by_name), by_name, modules, resolver, site, include_tests, None, "discarded", max_depth=2
        )
        if not sites and test_file and test_function:
            roots = _test_roots(test_file, test_function, test_class, by_name)
            sites = _reachable_sites(roots, by_name, modules, resolver, site, include_tests, None, "discarded")
        if not sites:
            # Not reached by calls (an `__aexit__` runs by `async with`): the project's one such site, or none.
            marked = _dropped_names(resolver, site)
            sites = marked if len(marked) == 1 else []
    if file and line and not discarded_only:
        loaded = _load(file)
        if loaded is not None and (include_tests or not _is_test_rel(file)):
            _, lines, tree = loaded
            inner = _innermost_function(tree, line)
            if inner is not None and isinstance(inner[0], ast.AsyncFunctionDef):
                func, cls = inner
                parents = _parents(tree)
                calls = _unawaited_calls(func, parents, _coroutine_check(resolver, file, func, cls, parents), wanted)
                on_line = [c for c in calls if c[0].lineno <= line <= _end(c[0])]
                if wanted:
                    on_line = [c for c in on_line if _call_name(c[0]) == wanted] or on_line
                if on_line:
                    sites.extend(site(file, lines, func, c, parents, "on the failing line") for c in on_line[:1])
                else:
                    # The failing line uses a name that holds the coroutine: x = fetch() ... x.attr
                    used = {
                        n.id
                        for n in ast.walk(tree)
                        if isinstance(n, ast.Name)
                        and isinstance(n.ctx, ast.Load)
                        and n.lineno == line
                        and func.lineno <= n.lineno <= _end(func)
                    }
                    best = None
                    for c in calls:
                        parent = parents.get(c[0])
                        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and c[0].lineno < line:
                            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                            if any(isinstance(t, ast.Name) and t.id in used for t in targets):
                                if best is None or c[0].lineno > best[0].lineno:
                                    best = c
                    if best is not None:
                        sites.append(site(file, lines, func, best, parents, "assigned to a name the failing line uses"))
    if not sites and not discarded_only and test_file and test_function:
        roots = _test_roots(test_file, test_function, test_class, by_name)
        sites = _reachable_sites(roots, by_name, modules, resolver, site, include_tests, wanted, "test")
    if not sites and not discarded_only and coroutine and "<locals>" in coroutine:
        # A coroutine of a function the test defined came back as a value: the project ran the test's callable unawaited.
        marked = _consistency_sites(site)
        sites = marked if len(marked) == 1 else []
    reason = "" if sites else "no un-awaited call of a project coroutine found"
    return {"sites": sites[:5], "reason": reason}


OPS = {"await_sites": await_sites}
