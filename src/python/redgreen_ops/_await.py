"""Which calls return coroutines: the resolver the await op asks about calls, names and annotations."""

import ast
import os
import re

from ._ast import _dotted_parts, _end, _functions, _own_nodes
from ._project import _load, project_files
from ._reach import _import_bindings, _resolve_call


def _call_name(call):
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


_BUILTIN_TYPES = {
    "dict",
    "list",
    "set",
    "frozenset",
    "tuple",
    "str",
    "bytes",
    "bytearray",
    "int",
    "float",
    "bool",
    "deque",
    "defaultdict",
    "OrderedDict",
    "Counter",
}


_LITERAL_TYPES = (
    (ast.Dict, "dict"),
    (ast.DictComp, "dict"),
    (ast.List, "list"),
    (ast.ListComp, "list"),
    (ast.Set, "set"),
    (ast.SetComp, "set"),
    (ast.Tuple, "tuple"),
    (ast.JoinedStr, "str"),
)


def _annotation_type(ann):
    """The class an annotation names (`Repo`, `mod.Repo`, `"Repo"`), None for generics/unions."""
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str) and re.match(r"^[\w.]+$", ann.value):
        return ann.value.split(".")[-1]
    if isinstance(ann, (ast.Name, ast.Attribute)):
        return _terminal(ann)
    return None


def _terminal(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class _AwaitResolver:
    """Decides whether a call returns a project coroutine: the callee is resolved through its receiver
    (a bare name bound to an async def, `self.m()` on the class defining async `m`, a module attribute,
    or a receiver whose class is evident from assignments, annotations or the arguments callers pass).
    An unknown receiver only counts when the failure names the coroutine's class. A function is a coroutine
    function by its `async def`, or by a project decorator that wraps it in one (or runs it to completion)."""

    def __init__(self, by_name, modules, coroutine):
        self.by_name = by_name
        self.modules = modules
        # A decorator's inner function (`asyncify.<locals>.wrapper`, no functools.wraps) names no project function.
        parts = [] if "<locals>" in (coroutine or "") else [p for p in (coroutine or "").split(".") if p]
        self.wanted = parts[-1] if parts else None
        self.wanted_cls = parts[-2] if len(parts) >= 2 else None
        self._bindings = {}
        self._kinds = {}
        self._classes = None
        self._calls = None
        self._funcs = None

    def bindings(self, rel):
        if rel not in self._bindings:
            loaded = _load(rel)
            self._bindings[rel] = _import_bindings(loaded[2], rel) if loaded else {}
        return self._bindings[rel]

    def _index(self):
        """Classes by name, and every call by callee name with (file, enclosing function, its class)."""
        if self._classes is not None:
            return
        self._classes, self._calls, self._funcs = {}, {}, {}
        for rel in project_files(os.getcwd()):
            loaded = _load(rel)
            if loaded is None:
                continue
            tree = loaded[2]
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    self._classes.setdefault(node.name, []).append(node)
            for _, func, cls in _functions(tree):
                self._funcs[func] = (rel, cls)
                for node in _own_nodes(func):
                    if isinstance(node, ast.Call):
                        self._calls.setdefault(_call_name(node), []).append((rel, func, cls, node))

    def class_has_async(self, cls_name, method, seen=None):
        """True/False when a project class named cls_name defines (or inherits) `method`; None if unknown."""
        self._index()
        seen = seen or set()
        if cls_name in seen or cls_name not in self._classes:
            return None
        seen.add(cls_name)
        answers = set()
        for cls in self._classes[cls_name]:
            own = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == method]
            if own:
                answers.add(self.is_coroutine_function(own[-1], self._funcs.get(own[-1], (None,))[0]))
                continue
            for base in cls.bases:
                found = self.class_has_async(_terminal(base), method, seen) if _terminal(base) else None
                if found is not None:
                    answers.add(found)
                    break
        return answers.pop() if len(answers) == 1 else (False if answers else None)

    # -- types of expressions

    def expr_type(self, node, func, cls, depth=0):
        for kind, name in _LITERAL_TYPES:
            if isinstance(node, kind):
                return name
        if isinstance(node, ast.Constant):
            return type(node.value).__name__ if node.value is not None else None
        if isinstance(node, ast.Call):
            name = _terminal(node.func)
            if name and (name in _BUILTIN_TYPES or name[:1].isupper()):
                return name
            return None
        if depth > 3 or func is None:
            return None
        if isinstance(node, ast.Name):
            if node.id in ("self", "cls") and cls is not None:
                return cls.name
            return self.name_type(node.id, func, cls, depth)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and cls is not None:
            return self.self_attr_type(cls, node.attr, depth)
        return None

    def _single(self, types):
        known = {t for t in types if t}
        return known.pop() if len(known) == 1 else None

    def name_type(self, name, func, cls, depth):
        """A local's class: from its assignments in the function, else (a parameter) its annotation or callers."""
        found = []
        for node in _own_nodes(func):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                found.append(self.expr_type(node.value, func, cls, depth + 1) or "?")
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                found.append(_annotation_type(node.annotation) or "?")
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                        found.append(self.expr_type(item.context_expr, func, cls, depth + 1) or "?")
            elif isinstance(node, (ast.For, ast.AsyncFor)) and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)):
                found.append("?")
        a = func.args
        params = getattr(a, "posonlyargs", []) + a.args
        for i, arg in enumerate(params + a.kwonlyargs):
            if arg.arg == name:
                ann = _annotation_type(arg.annotation) if arg.annotation is not None else None
                found.append(ann or self.param_type(func, cls, name, i if i < len(params) else None, depth) or "?")
        if "?" in found:
            return None
        return self._single(found)

    def param_type(self, func, cls, name, index, depth):
        """The class callers pass for a parameter (positional index or keyword), when they all agree."""
        self._index()
        method = cls is not None and not any(_terminal(d) == "staticmethod" for d in func.decorator_list)
        if func.name == "__init__" and cls is not None:
            sites = self._calls.get(cls.name, [])
        else:
            sites = self._calls.get(func.name, [])
        pos = None if index is None else index - (1 if method else 0)
        types = []
        for rel, caller, caller_cls, call in sites:
            if method and func.name != "__init__" and not isinstance(call.func, ast.Attribute):
                continue
            if not method and cls is None and isinstance(call.func, ast.Attribute) and _terminal(call.func.value) in ("self", "cls"):
                continue
            arg = None
            if pos is not None and 0 <= pos < len(call.args) and not any(isinstance(x, ast.Starred) for x in call.args[: pos + 1]):
                arg = call.args[pos]
            for kw in call.keywords:
                if kw.arg == name:
                    arg = kw.value
            if arg is not None:
                types.append(self.expr_type(arg, caller, caller_cls, depth + 1))
        return self._single(types)

    def self_attr_type(self, cls, attr, depth):
        """The class of `self.<attr>`: a class-level annotation, else what the class's methods assign to it."""
        found = []
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr:
                found.append(_annotation_type(stmt.annotation))
        for stmt in cls.body:
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in _own_nodes(stmt):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self" and t.attr == attr
                    for t in node.targets
                ):
                    found.append(self.expr_type(node.value, stmt, cls, depth + 1))
                elif (
                    isinstance(node, ast.AnnAssign)
                    and isinstance(node.target, ast.Attribute)
                    and _terminal(node.target.value) == "self"
                    and node.target.attr == attr
                ):
                    found.append(_annotation_type(node.annotation))
        return self._single(found)

    # -- the decision

    def coroutine_callee(self, call, rel, func, cls):
        """The qualified name of the project coroutine a call returns, or None when not (or not surely) one."""
        f = call.func
        if isinstance(f, ast.Name):
            entry = {"file": rel, "node": func, "cls": cls}
            hits = _resolve_call(call, entry, self.bindings(rel), self.by_name, self.modules)
            nested = [
                e
                for e in self.by_name.get(f.id, [])
                if e["file"] == rel and e["cls"] is None and func.lineno <= e["node"].lineno <= _end(func)
            ]
            hits = nested or hits
            if hits and all(self.is_coroutine_function(e["node"], e["file"]) and e["cls"] is None for e in hits):
                return hits[0]["qualname"]
            return None
        if not isinstance(f, ast.Attribute):
            return None
        method, recv = f.attr, f.value
        if isinstance(recv, ast.Name) and recv.id in self.bindings(rel) and not self._is_local(recv.id, func):
            module, sub = self.bindings(rel)[recv.id]
            full = module + "." + sub if sub else module
            hits = [e for e in self.by_name.get(method, []) if e["cls"] is None and e["module"] in (full, module)]
            if hits and all(self.is_coroutine_function(e["node"], e["file"]) for e in hits):
                return hits[0]["qualname"]
            if hits or sub is None:
                return None
            # `from pkg import Repo` then `Repo.method(...)`: the receiver is a class.
            return (sub + "." + method) if self.class_has_async(sub, method) else None
        recv_type = self.expr_type(recv, func, cls)
        if recv_type is not None:
            return (recv_type + "." + method) if self.class_has_async(recv_type, method) else None
        if self.wanted == method and self.wanted_cls and self.class_has_async(self.wanted_cls, method):
            return self.wanted_cls + "." + method
        return None

    # -- decorators

    def is_coroutine_function(self, func, rel):
        """Whether calling a project function returns a coroutine: its own `async def`, then each decorator from
        the innermost out that is a project function returning an `async def` (True) or a plain function that
        runs the coroutine (False); other decorators (functools.cache, a framework's route) keep the kind."""
        if func not in self._kinds:
            # provisional: a decorator that decorates itself; an async generator (`async def` with `yield`) is iterated
            self._kinds[func] = isinstance(func, ast.AsyncFunctionDef) and not _yields(func)
            kind = self._kinds[func]
            for dec in reversed(func.decorator_list if rel is not None else []):
                made = self._decorated_kind(dec, rel)
                kind = kind if made is None else made
            self._kinds[func] = kind
        return self._kinds[func]

    def _decorated_kind(self, dec, rel):
        """What a decorator (or a decorator factory's call) turns a function into: True async, False sync, None same."""
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            # `@module.decorator` only: an object's method (`@app.route`) is not followed.
            if not (isinstance(target.value, ast.Name) and target.value.id in self.bindings(rel)):
                return None
        elif not isinstance(target, ast.Name):
            return None
        entry = {"file": rel, "node": None, "cls": None}
        hits = [
            e
            for e in _resolve_call(ast.Call(func=target, args=[], keywords=[]), entry, self.bindings(rel), self.by_name, self.modules)
            if e["cls"] is None
        ]
        if len(hits) != 1:
            return None
        made = _returned_def(hits[0]["node"])
        if isinstance(dec, ast.Call) and made is not None:
            made = _returned_def(made)
        if made is None:
            return None
        if isinstance(made, ast.AsyncFunctionDef):
            return True
        calls = [n.func for n in ast.walk(made) if isinstance(n, ast.Call)]
        runs = any(_terminal(c) in _RUNS_COROUTINE or ".".join(reversed(_dotted_parts(c))) in _RUNS_COROUTINE for c in calls)
        return False if runs else None

    def _is_local(self, name, func):
        a = func.args
        if any(x.arg == name for x in getattr(a, "posonlyargs", []) + a.args + a.kwonlyargs):
            return True
        return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in _own_nodes(func))


def _yields(func):
    """Whether a function's own body yields: an `async def` that does is an async generator, not a coroutine."""
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(func))


# Calls that run a coroutine to completion: a sync wrapper making them returns the result, not a coroutine.
_RUNS_COROUTINE = {"asyncio.run", "anyio.run", "trio.run", "run_until_complete", "async_to_sync"}


def _returned_def(func):
    """The function a function defines and returns (`def deco(fn): ... async def wrapper ...; return wrapper`)."""
    scoped = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    defs, returned, stack = {}, set(), list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs[node.name] = node
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
            returned.add(node.value.id)
        if not isinstance(node, scoped):
            stack.extend(ast.iter_child_nodes(node))
    made = {defs.get(name) for name in returned}
    return made.pop() if len(made) == 1 else None
