"""The dropped_return op: the value a `return None` dropped, in a function called at the failing line."""

import ast
import os

from ._ast import _char_col, _end, _innermost_function, _own_nodes, _parents, _segment
from ._await import _yields
from ._edits import _line_edit
from ._project import _load, project_files
from ._reach import _import_bindings, _project_functions, _resolve_call
from .constant_guard import _names


def _receiver_only(func, name):
    """Whether every read of `name` in the function uses it as a receiver being filled (`x[k] = v`, `x.append(v)`,
    `x.attr = v`, `x += v`): a value the function builds and never hands on."""
    parents = _parents(func)
    for node in _own_nodes(func):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        # `(a if c else b)[k] = v` fills whichever it picks: look through the conditional.
        held = node
        while isinstance(parents.get(held), ast.IfExp) and parents[held].test is not held:
            held = parents[held]
        up = parents.get(held)
        if isinstance(up, (ast.Subscript, ast.Attribute)) and up.value is held and isinstance(up.ctx, (ast.Store, ast.Del)):
            continue
        if isinstance(up, ast.Attribute) and up.value is held and isinstance(parents.get(up), ast.Call) and parents[up].func is up:
            continue
        return False
    return True


def _dropped_value(func, ret):
    """The name a `return None` in `func` dropped, or (None, reason)."""
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    returns = [
        n
        for n in _own_nodes(func)
        if isinstance(n, ast.Return)
        and n is not ret
        and n.value is not None
        and not (isinstance(n.value, ast.Constant) and n.value.value is None)
    ]
    bound = _names([n for n in _own_nodes(func) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))], ast.Store)
    if returns:
        named = {n.value.id for n in returns if isinstance(n.value, ast.Name)}
        if len(named) == 1 and len(returns) == len([n for n in returns if isinstance(n.value, ast.Name)]):
            name = named.pop()
            if name in bound or name in params:
                return name, None
        return None, "the function's other returns do not all return one name"
    built = sorted(n for n in bound - params if _receiver_only(func, n))
    if len(built) == 1:
        return built[0], None
    return None, "%s values the function builds and never returns" % ("no" if not built else "several (%s)" % ", ".join(built))


def _bound_before(func, line):
    """Names a function has bound before a line: its parameters, then assignments, loop and with targets above it."""
    a = func.args
    names = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x is not None}
    stores = [n for n in _own_nodes(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.lineno < line]
    return names | {n.id for n in stores}


def _referenced_elsewhere(name, defining):
    """Whether any project file (tests included) mentions `name` outside the def `defining` itself."""
    for rel in project_files(os.getcwd()):
        loaded = _load(rel)
        if loaded is None or name not in loaded[0]:
            continue
        inside = {id(n) for n in ast.walk(defining)}
        for node in ast.walk(loaded[2]):
            mentioned = (
                (isinstance(node, ast.Name) and node.id == name)
                or (isinstance(node, ast.Attribute) and node.attr == name)
                or (isinstance(node, ast.alias) and (node.asname or node.name).split(".")[-1] == name)
            )
            if mentioned and id(node) not in inside:
                return True
    return False


def _orphan_helper_call(rel, func, ret):
    """`_helper(a, b)` for a `return None` whose lost value was the call of a private module function nothing calls any
    more: exactly one such orphan whose required parameters are all names bound in `func` before the return (optional
    ones are passed by keyword when bound). (None, reason) when several fit, (None, None) when none does."""
    tree = _load(rel)[2]
    bound = _bound_before(func, ret.lineno)
    fits = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node is func:
            continue
        if not node.name.startswith("_") or node.name.startswith("__") or node.decorator_list:
            continue
        a = node.args
        positional = a.posonlyargs + a.args
        required = positional[: len(positional) - len(a.defaults)]
        optional = positional[len(positional) - len(a.defaults) :]
        kw_required = [x for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
        if not all(x.arg in bound for x in required + kw_required) or _referenced_elsewhere(node.name, node):
            continue
        args = [x.arg for x in required]
        args += ["%s=%s" % (x.arg, x.arg) for x in optional + a.kwonlyargs if x not in required and x.arg in bound]
        call = "%s(%s)" % (node.name, ", ".join(args))
        both_async = isinstance(node, ast.AsyncFunctionDef) and isinstance(func, ast.AsyncFunctionDef)
        fits.append("await " + call if both_async else call)
    if len(fits) == 1:
        return fits[0], None
    return None, ("several uncalled private helpers fit (%s)" % ", ".join(fits)) if fits else None


class _Wrappers:
    """What a decorated def's calls really run: a decorator (`@deco`, `@factory(...)`) is followed to the callables it
    hands back (a nested def it returns, or `__call__` of a project class it instantiates), through factories and
    `return deco(args)(fn)`, a few levels deep. Over-approximated: every branch's value counts."""

    def __init__(self, by_name, modules, max_depth=5):
        self.by_name, self.modules, self.max_depth = by_name, modules, max_depth
        self._bindings = {}

    def bindings(self, rel):
        if rel not in self._bindings:
            loaded = _load(rel)
            self._bindings[rel] = _import_bindings(loaded[2], rel) if loaded else {}
        return self._bindings[rel]

    def of(self, target):
        """The wrapper functions a call of the decorated def `target` runs (outermost decorator's), [] if undecorated."""
        out = []
        for dec in target["node"].decorator_list[:1]:
            if isinstance(dec, ast.Call):
                made = self._produced(dec, target, 0)
            else:
                made = self._resolve(ast.Call(func=dec, args=[], keywords=[]), target)
            for wrapper in made:
                out.extend(self._called(wrapper, 1))
        return self._unique(out)

    @staticmethod
    def _unique(entries):
        seen, out = set(), []
        for e in entries:
            if id(e["node"]) not in seen:
                seen.add(id(e["node"]))
                out.append(e)
        return out

    def _resolve(self, call, entry):
        if not isinstance(call.func, (ast.Name, ast.Attribute)):
            return []
        return _resolve_call(call, entry, self.bindings(entry["file"]), self.by_name, self.modules)

    def _instance_calls(self, cls):
        """`__call__` of a project class (what calling its instance runs)."""
        return [e for e in self.by_name.get("__call__", []) if e["cls"] is not None and e["cls"].name == cls.name]

    def _called(self, entry, depth):
        """What calling a callable gives when that is itself callable: a class's instance (its `__call__`), or the
        callables a function returns."""
        if entry["node"].name == "__init__" and entry["cls"] is not None:
            return self._instance_calls(entry["cls"])
        if depth > self.max_depth:
            return []
        out = []
        for ret in (n for n in _own_nodes(entry["node"]) if isinstance(n, ast.Return) and n.value is not None):
            out.extend(self._produced(ret.value, entry, depth))
        return out

    def _produced(self, expr, entry, depth):
        """Callables an expression in `entry`'s body evaluates to: a nested def by name, a local assigned one, a call's."""
        if depth > self.max_depth:
            return []
        func = entry["node"]
        if isinstance(expr, ast.Call):
            # `f(x)` calls what f names; `f(a)(x)` calls what `f(a)` gave.
            callees = self._produced(expr.func, entry, depth + 1) if isinstance(expr.func, ast.Call) else self._resolve(expr, entry)
            return [made for callee in callees for made in self._called(callee, depth + 1)]
        if isinstance(expr, ast.Name):
            nested = [
                c
                for n in [func, *_own_nodes(func)]
                for c in ast.iter_child_nodes(n)
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef)) and c.name == expr.id
            ]
            if nested:
                return [e for e in self.by_name.get(expr.id, []) if e["node"] is nested[-1]]
            values = [
                n.value
                for n in _own_nodes(func)
                if isinstance(n, (ast.Assign, ast.AnnAssign))
                and n.value is not None
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in getattr(n, "targets", [getattr(n, "target", None)]))
            ]
            return [made for v in values for made in self._produced(v, entry, depth + 1)]
        return []


def _dropped_in(target, reasons):
    """The op's answer for one function that may have dropped its value, or None (its reasons appended)."""
    func = target["node"]
    flines = _load(target["file"])[1]
    for ret in (n for n in _own_nodes(func) if isinstance(n, ast.Return)):
        if not (isinstance(ret.value, ast.Constant) and ret.value.value is None):
            continue
        name, why = _dropped_value(func, ret)
        if name is None:
            name, orphan_why = _orphan_helper_call(target["file"], func, ret)
            why = "%s; %s" % (why, orphan_why) if orphan_why else why
        if name is None:
            reasons.append("%s:%d: %s" % (target["file"], ret.lineno, why))
            continue
        line = flines[ret.lineno - 1]
        start = _char_col(line, ret.value.col_offset)
        end = _char_col(line, ret.value.end_col_offset)
        return {
            "edit": _line_edit(flines, ret.lineno, ret.lineno, line[:start] + name + line[end:]),
            "file": target["file"],
            "line": ret.lineno,
            "function": target["qualname"],
            "value": name,
            "reason": "",
        }
    tail = _discarded_tail_call(target["file"], func)
    if tail is not None:
        line = flines[tail.lineno - 1]
        start = _char_col(line, tail.col_offset)
        return {
            "edit": _line_edit(flines, tail.lineno, tail.lineno, line[:start] + "return " + line[start:]),
            "file": target["file"],
            "line": tail.lineno,
            "function": target["qualname"],
            "value": _segment(flines, tail.value),
            "reason": "",
        }
    return None


def _discarded_tail_call(rel, func):
    """The last statement of a function when it calls a private function of the same module for nothing: that helper
    only ever returns values (`return _build(x)` that lost its `return`), and the function is no generator."""
    last = func.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name)):
        return None
    name = last.value.func.id
    if not name.startswith("_") or name.startswith("__") or _yields(func):
        return None
    helper = [n for n in _load(rel)[2].body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name]
    if len(helper) != 1 or _yields(helper[0]):
        return None
    returns = [n for n in _own_nodes(helper[0]) if isinstance(n, ast.Return)]
    gives = returns and all(r.value is not None and not (isinstance(r.value, ast.Constant) and r.value.value is None) for r in returns)
    return last if gives else None


def dropped_return(frames):
    """A function called at a failing line returned None from an explicit `return None` where it should return the
    value it built (`rv = {}; rv[k] = v; return None`), the name its other returns give, or the call of a private helper
    nothing calls any more; or it ends calling a value-returning private helper for nothing (a lost `return`).
    A decorated def counts through its decorator's wrapper. frames: [{file, line}] innermost last (test frames
    included: an `assert f(x) == y` calls f there)."""
    by_name, _, _, modules = _project_functions()
    wrappers = _Wrappers(by_name, modules)
    reasons = []
    for frame in reversed(frames):
        loaded = _load(frame["file"])
        if loaded is None:
            continue
        _, lines, tree = loaded
        inner = _innermost_function(tree, frame["line"])
        if inner is None:
            continue
        entry = {"file": frame["file"], "node": inner[0], "cls": inner[1]}
        bindings = _import_bindings(tree, frame["file"])
        calls = [n for n in _own_nodes(inner[0]) if isinstance(n, ast.Call) and n.lineno <= frame["line"] <= _end(n)]
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
            # A decorated def (`@lru_cache(maxsize=None) async def f`, even one in a test) runs its decorator's wrapper.
            targets = [t for hit in _resolve_call(call, entry, bindings, by_name, modules) for t in [hit] + wrappers.of(hit)]
            for target in targets:
                found = None if target["test"] else _dropped_in(target, reasons)
                if found is not None:
                    return found
    return {"edit": None, "reason": "; ".join(reasons) or "no function called at the failing lines returns None explicitly"}


OPS = {"dropped_return": dropped_return}
