"""AST queries behind the deterministic fix patterns (each returns facts plus a minimal edit, or a reason).

await_sites:       un-awaited calls of project coroutines inside `async def`s (at a line, or reachable from a test)
commit_sites:      project functions reachable from a test that write to a session/connection and never commit
none_guard:        the guard for `'NoneType' object has no attribute 'x'` at a line
constant_guard:    the `is None` / `is not None` test a constant condition (`if False:`) stands where it belongs
dropped_return:    the value a `return None` dropped, in a function called at the failing line (its result was None)
name_suggestion:   Python's "Did you mean" for an undefined name/attribute, and the rename at the line
assertion_rewrite: the flipped/updated comparison of a failing `assert`, from pytest's rewritten message

Python 3.8+ stdlib only; nothing here imports or runs project code.
"""
import ast
import builtins
import io
import os
import re
import sys
import tokenize

from . import symbols as _sym

# ------------------------------------------------------------------------------------------ shared


_TREES = {}  # abs path -> (mtime_ns, size, source, lines, tree)


def _load(rel):
    """(source, lines, tree) of a project file, cached by mtime; None when it cannot be parsed."""
    path = os.path.join(os.getcwd(), rel)
    try:
        st = os.stat(path)
    except OSError:
        return None
    hit = _TREES.get(path)
    if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit[2:]
    try:
        source = _sym._read_source(path)
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError, OSError):
        return None
    lines = source.split("\n")
    _TREES[path] = (st.st_mtime_ns, st.st_size, source, lines, tree)
    return source, lines, tree


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _end(node):
    return getattr(node, "end_lineno", None) or node.lineno


def _char_col(line, byte_col):
    """ast column offsets count UTF-8 bytes; string slicing needs characters."""
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _segment(lines, node):
    """Source text of a node (multi-line aware)."""
    first, last = node.lineno, _end(node)
    start = _char_col(lines[first - 1], node.col_offset)
    stop = _char_col(lines[last - 1], node.end_col_offset)
    if first == last:
        return lines[first - 1][start:stop]
    parts = [lines[first - 1][start:]] + lines[first:last - 1] + [lines[last - 1][:stop]]
    return "\n".join(parts)


def _own_nodes(func):
    """Nodes of a function body, not descending into nested functions, classes or lambdas."""
    stack = list(func.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            stack.append(child)


def _functions(tree):
    """(qualname, node, class node or None) for every function and method of a module."""
    out = []

    def visit(body, prefix, cls):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((prefix + node.name, node, cls))
                visit(node.body, prefix + node.name + ".", None)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".", node)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(getattr(node, "body", []) + getattr(node, "orelse", []), prefix, cls)

    visit(tree.body, "", None)
    return out


def _innermost_function(tree, line):
    best = None
    for _, node, cls in _functions(tree):
        if node.lineno <= line <= _end(node):
            if best is None or node.lineno >= best[0].lineno:
                best = (node, cls)
    return best


def _is_test_rel(rel):
    return _sym._is_test_file(rel)


def _indent_of(line):
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(source):
    """The file's indentation step (from tokenize INDENT tokens); four spaces when it has none."""
    steps = {}
    prev = [""]
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.INDENT:
                parent = prev[-1]
                step = tok.string[len(parent):] if tok.string.startswith(parent) else tok.string
                if step:
                    steps[step] = steps.get(step, 0) + 1
                prev.append(tok.string)
            elif tok.type == tokenize.DEDENT and len(prev) > 1:
                prev.pop()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    if not steps:
        return "    "
    return sorted(steps.items(), key=lambda kv: (-kv[1], len(kv[0])))[0][0]


def _line_edit(lines, first, last, new_text):
    """Edit replacing whole lines first..last (1-based) with new_text."""
    return {"find": "\n".join(lines[first - 1:last]), "replace": new_text, "nearLine": first}


def _insert_text(lines, node, before, after):
    """Wraps a node's source with text before/after, returning (first, last, new lines text)."""
    first, last = node.lineno, _end(node)
    start = _char_col(lines[first - 1], node.col_offset)
    stop = _char_col(lines[last - 1], node.end_col_offset)
    block = lines[first - 1:last]
    if first == last:
        ln = block[0]
        block[0] = ln[:start] + before + ln[start:stop] + after + ln[stop:]
    else:
        block[0] = block[0][:start] + before + block[0][start:]
        block[-1] = block[-1][:stop] + after + block[-1][stop:]
    return first, last, "\n".join(block)


# ------------------------------------------------------------------------------------- project index


def _project_functions():
    """Every function/method of the project's non-test modules, by name, plus async/sync name sets."""
    sym = _sym
    root = os.getcwd()
    by_name = {}
    async_names = set()
    sync_names = set()
    modules = {}
    for rel in sym.project_files(root):
        loaded = _load(rel)
        if loaded is None:
            continue
        _, _, tree = loaded
        module, _ = sym._module_name(root, rel)
        if module:
            modules[module] = rel
        for qual, node, cls in _functions(tree):
            entry = {"file": rel, "qualname": qual, "node": node, "cls": cls, "module": module,
                     "test": _is_test_rel(rel)}
            by_name.setdefault(node.name, []).append(entry)
            if isinstance(node, ast.AsyncFunctionDef):
                async_names.add(node.name)
            else:
                sync_names.add(node.name)
    return by_name, async_names, sync_names, modules


def _import_bindings(tree, rel):
    """Module-level names bound by imports in a file: name -> (absolute module, attribute or None)."""
    sym = _sym
    root = os.getcwd()
    module, is_pkg = sym._module_name(root, rel)
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out[a.asname] = (a.name, None)
                else:
                    out[a.name.split(".")[0]] = (a.name.split(".")[0], None)
        elif isinstance(node, ast.ImportFrom):
            absolute = sym._resolve_relative(node.module, node.level, module, is_pkg)
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
        sym = _sym
        facts = {f["module"]: f for f in sym.project_facts(os.getcwd()) if f["module"]}
        origin_module, origin_name = sym._origin(facts, module, name)
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


# ------------------------------------------------------------------------------------------- await


def _call_name(call):
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


_BUILTIN_TYPES = {"dict", "list", "set", "frozenset", "tuple", "str", "bytes", "bytearray", "int", "float", "bool",
                  "deque", "defaultdict", "OrderedDict", "Counter"}
_LITERAL_TYPES = ((ast.Dict, "dict"), (ast.DictComp, "dict"), (ast.List, "list"), (ast.ListComp, "list"),
                  (ast.Set, "set"), (ast.SetComp, "set"), (ast.Tuple, "tuple"), (ast.JoinedStr, "str"))


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
        for rel in _sym.project_files(os.getcwd()):
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
            elif isinstance(node, (ast.For, ast.AsyncFor)) and any(
                    isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)):
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
            if pos is not None and 0 <= pos < len(call.args) and not any(isinstance(x, ast.Starred) for x in call.args[:pos + 1]):
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
                        isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                        and t.attr == attr for t in node.targets):
                    found.append(self.expr_type(node.value, stmt, cls, depth + 1))
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute) \
                        and _terminal(node.target.value) == "self" and node.target.attr == attr:
                    found.append(_annotation_type(node.annotation))
        return self._single(found)

    # -- the decision

    def coroutine_callee(self, call, rel, func, cls):
        """The qualified name of the project coroutine a call returns, or None when not (or not surely) one."""
        f = call.func
        if isinstance(f, ast.Name):
            entry = {"file": rel, "node": func, "cls": cls}
            hits = _resolve_call(call, entry, self.bindings(rel), self.by_name, self.modules)
            nested = [e for e in self.by_name.get(f.id, []) if e["file"] == rel and e["cls"] is None
                      and func.lineno <= e["node"].lineno <= _end(func)]
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
        hits = [e for e in _resolve_call(ast.Call(func=target, args=[], keywords=[]), entry, self.bindings(rel),
                                         self.by_name, self.modules) if e["cls"] is None]
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
    needs_parens = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call) or \
        (isinstance(parent, ast.Call) and parent.func is call)
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
    kinds = test.args[1].elts if fn == "isinstance" and len(test.args) == 2 and isinstance(test.args[1], ast.Tuple) else \
        test.args[1:2] if fn == "isinstance" else []
    return any(_terminal(k) in _AWAITABLE_TYPES for k in kinds)


def _project_async_defs():
    """(file, lines, tree, [(async def, its class)]) for each non-test project module with async defs."""
    for rel in _sym.project_files(os.getcwd()):
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
        texts = [ast.unparse(n.value.func) for f, _ in funcs for n in _own_nodes(f) if isinstance(n, ast.Await) and isinstance(n.value, ast.Call)]
        awaited = {t for t in texts if t.startswith("self.") and texts.count(t) >= 2}
        parents = _parents(tree)
        for func, _ in funcs:
            for c in _unawaited_calls(func, parents, _awaited_alike(func, parents, awaited)):
                out.append(site(rel, lines, func, c, parents, "awaited at the module's other calls"))
            for node in _own_nodes(func):
                guard = parents.get(node)
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and isinstance(guard, ast.If) \
                        and node in guard.body and _tests_awaitable(guard.test, node.value.id):
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
            bound = {t.id: n.value for n in own if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                     for t in n.targets if isinstance(t, ast.Name)}
            for name in bare:
                call = bound.get(name.id)
                if call is None:
                    continue
                callee = _call_name(call) if _call_name(call) in _ASYNC_PROTOCOL else resolver.coroutine_callee(call, rel, func, cls)
                if callee:
                    parents = parents or _parents(tree)
                    out.append(site(rel, lines, func, (name, callee), parents, "left as a statement, never awaited"))
    return out


def await_sites(file=None, line=None, coroutine=None, test_file=None, test_function=None, test_class=None,
                include_tests=False, frames=None, discarded_only=False):
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
        return {"file": rel, "line": call.lineno, "function": func.name, "call": _segment(lines, call).split("\n")[0],
                "callee": callee, "how": how, "edit": _await_edit(lines, call, parents)}

    if discarded_only:
        # From the functions the failure ran through (two calls deep), then from the test.
        sites = _reachable_sites(_frame_entries(frames, by_name), by_name, modules, resolver, site, include_tests, None,
                                 "discarded", max_depth=2)
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
                    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                            and n.lineno == line and func.lineno <= n.lineno <= _end(func)}
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


# ------------------------------------------------------------------------------------------- commit

_WRITE_METHODS = {"add", "add_all", "merge", "delete", "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
_EXEC_METHODS = {"execute", "executemany"}
_SQL_WRITE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(insert|update|delete|replace|upsert)\b", re.I)
_DB_NAME = re.compile(r"(?:^|_)(?:session|sess|db|conn|connection|con|cursor|cur|uow|tx|transaction|dbsession)(?:$|_)", re.I)
_DB_TYPES = re.compile(r"Session|Connection|Cursor|AsyncSession|Engine", re.I)


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _string_value(node, func, module_tree):
    """The SQL text of an execute() argument: a literal, text("..."), or a name bound to one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Call) and _call_name(node) == "text" and node.args:
        return _string_value(node.args[0], func, module_tree)
    if isinstance(node, ast.Name):
        for scope in (list(_own_nodes(func)), module_tree.body):
            for stmt in scope:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
                    if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                        return stmt.value.value
    return None


def _is_write_statement(node):
    """sqlalchemy insert(...)/update(...)/delete(...) statements, possibly chained (.values(), .where())."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Call) and _call_name(node) in ("insert", "update", "delete")


def _db_receiver(recv, func, types):
    name = _terminal(recv)
    if name and _DB_NAME.search(name):
        return True
    root = _root_name(recv)
    if isinstance(recv, ast.Name) and recv.id in types and _DB_TYPES.search(types[recv.id]):
        return True
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if any(isinstance(t, ast.Name) and t.id == root for t in node.targets):
                callee = _call_name(node.value) or ""
                if callee in ("connect", "cursor", "Session", "sessionmaker", "session_factory", "begin") or _DB_TYPES.search(callee):
                    return True
                if isinstance(node.value.func, ast.Call):
                    return True  # sessionmaker(...)()
    return False


def _writes(entry, tree):
    func = entry["node"]
    types = _local_types(func)
    out = []
    for node in _own_nodes(func):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        recv = node.func.value
        if method in _WRITE_METHODS:
            if method == "add" and not node.args:
                continue
            if _db_receiver(recv, func, types):
                out.append((node, recv, method))
        elif method in _EXEC_METHODS and node.args:
            sql = _string_value(node.args[0], func, tree)
            if (sql is not None and _SQL_WRITE.search(sql)) or _is_write_statement(node.args[0]):
                out.append((node, recv, method))
    return out


_SQL_COMMIT = re.compile(r"^\s*(?:commit|end)(?:\s+(?:transaction|work))?\s*;?\s*$", re.I)
_SQL_METHODS = _EXEC_METHODS | {"executescript", "exec_driver_sql"}


def _is_commit(node, func, tree):
    """A commit: `.commit()`, or SQL COMMIT/END sent through execute (`cursor.execute("COMMIT")`, `text("commit")`)."""
    if not isinstance(node, ast.Call):
        return False
    name = _call_name(node)
    if name == "commit":
        return True
    if name in _SQL_METHODS and node.args:
        sql = _string_value(node.args[0], func, tree)
        return sql is not None and _SQL_COMMIT.match(sql) is not None
    return False


def _commits_after(func, line, tree):
    """Whether the function's own body commits at or after a line."""
    return any(_is_commit(node, func, tree) and _end(node) >= line for node in _own_nodes(func))


def _calls_commit(entry):
    loaded = _load(entry["file"])
    tree = loaded[2] if loaded else ast.Module(body=[], type_ignores=[])
    return any(_is_commit(n, entry["node"], tree) for n in _own_nodes(entry["node"]))


def _in_transaction_block(func, call, recv_root, parents):
    """The write runs inside `with session.begin():`, `with engine.begin() as conn:` or `with conn:` (sqlite3)."""
    node = parents.get(call)
    while node is not None and node is not func:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and _call_name(expr) in ("begin", "begin_nested", "transaction"):
                    return True
                if isinstance(expr, ast.Name) and expr.id == recv_root and item.optional_vars is None:
                    return True
        node = parents.get(node)
    return False


def _commit_receiver(recv, func, lines):
    """Who to call .commit() on: the session/connection itself; for a sqlite3 cursor, its connection."""
    text = _segment(lines, recv)
    if "\n" in text:
        return None
    root = _root_name(recv)
    name = _terminal(recv) or ""
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _call_name(node.value) == "cursor" \
                and any(isinstance(t, ast.Name) and t.id == root for t in node.targets) \
                and isinstance(node.value.func, ast.Attribute):
            owner = _segment(lines, node.value.func.value)
            if "\n" not in owner:
                return owner
    if re.search(r"(?:^|_)(cursor|cur)$", name, re.I):
        return text + ".connection"
    return text


def _stmt_ancestors(node, parents, stop):
    """Statements containing node, innermost first, up to (not including) `stop`."""
    out = []
    cur = parents.get(node)
    while cur is not None and cur is not stop:
        if isinstance(cur, ast.stmt):
            out.append(cur)
        cur = parents.get(cur)
    return out


_ENDS_TRANSACTION = {"close", "rollback", "dispose", "expunge_all", "invalidate"}


def _leaves_after(stmt, line):
    """A return/raise, or a close()/rollback(), inside stmt after a line: a commit placed after stmt would
    be skipped or would run on a closed/rolled-back session."""
    for n in ast.walk(stmt):
        if isinstance(n, (ast.Return, ast.Raise)) and n.lineno > line:
            return True
        if isinstance(n, ast.Call) and _call_name(n) in _ENDS_TRANSACTION and n.lineno > line:
            return True
    return False


def _commit_edit(lines, func, call, recv, parents):
    """Inserts `<receiver>.commit()` after the outermost statement holding the last write, without lifting
    it past an early return or a close()/rollback(), out of a `try` (its finally/except would run first),
    or out of a `with ... as <session>` block that binds the receiver."""
    receiver = _commit_receiver(recv, func, lines)
    if not receiver:
        return None, "cannot spell the session/connection receiver"
    root = _root_name(recv)
    last_write = _end(call)
    chosen = None
    for stmt in _stmt_ancestors(call, parents, func):
        if isinstance(stmt, ast.Return):
            if chosen is None:
                return None, "the write is part of a return statement"
            break
        if isinstance(stmt, (ast.With, ast.AsyncWith)) and any(
                isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == root for i in stmt.items):
            break  # the session closes at the end of this block: commit inside it
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            break  # finally/except (close, rollback, raise) run before anything after the try: commit inside it
        if chosen is not None and _leaves_after(stmt, last_write):
            break
        chosen = stmt
    if chosen is None:
        return None, "no statement to insert after"
    indent = _indent_of(lines[chosen.lineno - 1])
    last = _end(chosen)
    anchor = lines[last - 1]
    edit = {"find": anchor, "replace": anchor + "\n" + indent + receiver + ".commit()", "nearLine": last}
    return {"edit": edit, "receiver": receiver, "afterLine": last}, ""


_READ_METHODS = {"fetchone", "fetchall", "fetchmany", "scalar", "scalars", "scalar_one", "scalar_one_or_none", "query", "get",
                 "first", "one", "one_or_none", "all", "count", "execute", "exec_driver_sql", "read_sql"}
_OPENERS = {"connect", "Session", "sessionmaker", "session_factory", "begin", "cursor", "SessionLocal"}


def _db_call(node):
    """A call that opens a connection/session (`connect(path)`, `Session(engine)`) or reads rows (`.fetchall()`)."""
    name = _call_name(node) or ""
    if name in _OPENERS or (_DB_TYPES.search(name) and name[:1].isupper()):
        return True
    return isinstance(node.func, ast.Attribute) and name in _READ_METHODS


def _db_use(expr, handles, helpers):
    """How an expression touches the database: a query or a new connection, a test-file helper that reads, or a
    name bound to a database handle or to what one returned; None when it does not."""
    for n in ast.walk(expr):
        if isinstance(n, ast.Name) and n.id in handles:
            return "uses %s, read through a database handle" % n.id
        if isinstance(n, ast.Call) and _db_call(n):
            return "calls %s()" % _call_name(n)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in helpers:
            return "calls %s(), which reads the database" % n.func.id
    return None


def _bound_names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)] if target is not None else []


def _read_back(test_file, test_function, test_class, line):
    """Evidence that the failing statement of the test (the one at `line`) checks data read back from the database:
    it runs a query, opens a connection, calls a test-file helper that does, or uses a name the test bound from one
    (a session/connection parameter counts as a handle). "" when it does not: its failure is about something else."""
    loaded = _load(test_file)
    if loaded is None or not line:
        return ""
    _, _, tree = loaded
    base = re.sub(r"\[.*$", "", test_function or "")
    funcs = _functions(tree)
    test = next((n for q, n, c in funcs if n.name == base and (test_class is None or (c is not None and c.name == test_class))), None)
    if test is None:
        return ""
    helpers = {n.name for q, n, c in funcs if n is not test and c is None
               and any(isinstance(x, ast.Call) and _db_call(x) for x in _own_nodes(n))}
    handles = {a.arg for a in test.args.args if _DB_NAME.search(a.arg)}
    failing = None
    compound = (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try)
    for node in sorted((n for n in _own_nodes(test) if isinstance(n, ast.stmt)), key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, compound):
            if node.lineno >= line:
                continue
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if _db_use(item.context_expr, handles, helpers):
                        handles.update(_bound_names(item.optional_vars))
            elif isinstance(node, (ast.For, ast.AsyncFor)) and _db_use(node.iter, handles, helpers):
                handles.update(_bound_names(node.target))
        elif node.lineno <= line <= _end(node):
            failing = node
        elif node.lineno < line and isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            if _db_use(node.value, handles, helpers):
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                    handles.update(_bound_names(t))
    if failing is None:
        return ""
    why = _db_use(failing, handles, helpers)
    return "%s:%d %s" % (test_file, failing.lineno, why) if why else ""


def commit_sites(test_file, test_function, test_class=None, frames=None, failing_line=None):
    """Project functions reachable from the test (and from the failure's frames) that write through a
    session or connection and never commit, with the edit adding `<receiver>.commit()` after the last write;
    `readBack` tells whether the failing statement of the test (at failing_line) checks data read from the database."""
    by_name, _, _, modules = _project_functions()
    read_back = _read_back(test_file, test_function, test_class, failing_line)
    roots = _test_roots(test_file, test_function, test_class, by_name)
    for fr in frames or []:
        loaded = _load(fr.get("file", "")) if fr.get("file") else None
        if loaded is None:
            continue
        inner = _innermost_function(loaded[2], int(fr.get("line") or 0))
        if inner is not None:
            for e in by_name.get(inner[0].name, []):
                if e["file"] == fr["file"] and e["node"] is inner[0]:
                    roots.append(e)
    if not roots:
        return {"sites": [], "reason": "test function %s not found in %s" % (test_function, test_file), "visited": 0,
                "readBack": read_back}
    order = _reachable(roots, by_name, modules)
    parent_of = {(e["file"], e["qualname"]): p for e, _, p in order}
    sites = []
    for entry, depth, parent in order:
        if entry["test"]:
            continue
        loaded = _load(entry["file"])
        if loaded is None:
            continue
        _, lines, tree = loaded
        writes = _writes(entry, tree)
        if not writes:
            continue
        parents = _parents(tree)
        pending = [w for w in writes if not _in_transaction_block(entry["node"], w[0], _root_name(w[1]), parents)]
        if not pending:
            continue
        last_call, last_recv, method = max(pending, key=lambda w: (_end(w[0]), w[0].col_offset))
        if _commits_after(entry["node"], last_call.lineno, tree):
            continue
        # A caller on the path that commits (a service around a repository) makes this write fine.
        committed_above = False
        p = parent
        while p is not None:
            if _calls_commit(p):
                committed_above = True
                break
            p = parent_of.get((p["file"], p["qualname"]))
        if committed_above:
            continue
        planned, why = _commit_edit(lines, entry["node"], last_call, last_recv, parents)
        if planned is None:
            sites.append({"file": entry["file"], "function": entry["qualname"], "line": last_call.lineno, "edit": None,
                          "reason": why})
            continue
        sites.append({"file": entry["file"], "function": entry["qualname"], "line": last_call.lineno,
                      "method": method, "receiver": planned["receiver"], "depth": depth, "edit": planned["edit"],
                      "reason": ""})
    return {"sites": sites, "visited": len(order), "reason": "" if sites else "no uncommitted write reachable from the test",
            "readBack": read_back}


# -------------------------------------------------------------------------------------- none guard

def _is_plain_reference(node):
    """Name / attribute chain / constant subscript: evaluating it twice is harmless."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _is_plain_reference(node.value)
    if isinstance(node, ast.Subscript):
        sl = node.slice
        if sys.version_info < (3, 9) and isinstance(sl, ast.Index):
            sl = sl.value
        return isinstance(sl, ast.Constant) and _is_plain_reference(node.value)
    return False


def _locally_bound(stmt):
    """Names bound inside a statement by comprehensions, lambdas and walrus (not visible outside it)."""
    names = set()
    for n in ast.walk(stmt):
        if isinstance(n, ast.comprehension):
            for t in ast.walk(n.target):
                if isinstance(t, ast.Name):
                    names.add(t.id)
        elif isinstance(n, ast.Lambda):
            names.update(a.arg for a in n.args.args)
    return names


def _needs_parens_conditional(value, text):
    if isinstance(value, ast.Tuple) and not text.lstrip().startswith("("):
        return True
    return isinstance(value, (ast.IfExp, ast.Lambda)) or type(value).__name__ == "NamedExpr"


def _multiline_string_inside(node):
    for n in ast.walk(node):
        if isinstance(n, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(n, "value", ""), (str, bytes, list)) \
                and _end(n) > n.lineno:
            return True
    return False


def none_guard(file, line, attr, allow_tests=False):
    """The guard for `'NoneType' object has no attribute '<attr>'` raised at file:line."""
    if _is_test_rel(file) and not allow_tests:
        return {"edit": None, "reason": "%s is a test file: guarding a test statement would weaken the test" % file}
    loaded = _load(file)
    if loaded is None:
        return {"edit": None, "reason": "cannot parse %s" % file}
    source, lines, tree = loaded
    parents = _parents(tree)
    hits = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == attr
            and n.lineno <= line <= _end(n) and (_end(n.value) == line or n.lineno == line)]
    if not hits:
        return {"edit": None, "reason": "no .%s access at line %d" % (attr, line)}
    objects = {}
    for h in hits:
        objects.setdefault(_segment(lines, h.value), h)
    if len(objects) != 1:
        return {"edit": None, "reason": "several objects have .%s at line %d: %s" % (attr, line, ", ".join(sorted(objects)))}
    obj_text, hit = next(iter(objects.items()))
    if not _is_plain_reference(hit.value):
        return {"edit": None, "reason": "the object %s is not a plain name or attribute (evaluating it again could differ)" % obj_text}
    if "\n" in obj_text:
        return {"edit": None, "reason": "the object expression spans lines"}
    stmt = next((p for p in _stmt_ancestors(hit, parents, None)), None)
    if stmt is None:
        return {"edit": None, "reason": "no statement around the access"}
    if _root_name(hit.value) in _locally_bound(stmt):
        return {"edit": None, "reason": "%s is bound inside the statement (comprehension/lambda)" % obj_text}
    inner = _innermost_function(tree, line)
    if inner is None:
        return {"edit": None, "reason": "the access is at module level"}
    guard = "%s is not None" % obj_text

    def in_part(part):
        return part is not None and any(n is hit for n in ast.walk(part))

    if isinstance(stmt, (ast.If, ast.While)) and in_part(stmt.test):
        test_text = _segment(lines, stmt.test)
        simple = isinstance(stmt.test, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Compare, ast.UnaryOp)) or \
            (isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.And))
        new = "%s and %s" % (guard, test_text if simple else "(%s)" % test_text)
        first, last, text = _insert_text(lines, stmt.test, "", "")
        text = text.replace(test_text, new, 1)
        return {"edit": _line_edit(lines, first, last, text), "object": obj_text, "kind": "condition",
                "reason": "", "statement": stmt.lineno}
    value = None
    if isinstance(stmt, ast.Return) and stmt.value is not None and in_part(stmt.value):
        value = stmt.value
    elif isinstance(stmt, ast.Assign) and in_part(stmt.value) and len(stmt.targets) == 1:
        value = stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and in_part(stmt.value):
        value = stmt.value
    if value is not None:
        # A conditional expression keeps the statement: the function still returns / the name is still bound.
        text_value = _segment(lines, value)
        wrapped = "(%s)" % text_value if _needs_parens_conditional(value, text_value) else text_value
        first, last, text = _insert_text(lines, value, "", "")
        start = _char_col(lines[value.lineno - 1], value.col_offset)
        block_first = lines[first - 1]
        prefix = block_first[:start]
        rest = text[len(prefix) + len(text_value):]
        text = prefix + wrapped + " if %s else None" % guard + rest
        return {"edit": _line_edit(lines, first, last, text), "object": obj_text, "kind": "conditional",
                "reason": "", "statement": stmt.lineno}
    if isinstance(stmt, (ast.Assert,)):
        return {"edit": None, "reason": "guarding an assert would disable the check"}
    if isinstance(stmt, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef,
                         ast.AsyncFunctionDef, ast.ClassDef)) or type(stmt).__name__ in ("Match", "TryStar"):
        return {"edit": None, "reason": "the access is in the header of a compound statement"}
    if isinstance(stmt, (ast.Return, ast.Assign, ast.AnnAssign)) and isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
        return {"edit": None, "reason": "chained assignment"}
    # Wrap the simple statement (an expression statement, augmented assignment, attribute store, ...).
    first, last = stmt.lineno, _end(stmt)
    head = lines[first - 1]
    start = _char_col(head, stmt.col_offset)
    tail = lines[last - 1][_char_col(lines[last - 1], stmt.end_col_offset):]
    if head[:start].strip() or (tail.strip() and not tail.strip().startswith("#")):
        return {"edit": None, "reason": "the statement shares its line with another statement"}
    if _multiline_string_inside(stmt):
        return {"edit": None, "reason": "re-indenting would change a multi-line string"}
    unit = _indent_unit(source)
    indent = _indent_of(head)
    body = [unit + ln if ln.strip() else ln for ln in lines[first - 1:last]]
    text = "\n".join([indent + "if %s:" % guard] + body)
    return {"edit": _line_edit(lines, first, last, text), "object": obj_text, "kind": "wrap", "reason": "",
            "statement": first}


# ---------------------------------------------------------------------------------- name suggestion

_MOVE_COST = 2
_CASE_COST = 1
_MAX_CANDIDATES = 750
_MAX_STRING = 40


def _substitution_cost(a, b):
    if a == b:
        return 0
    if a.lower() == b.lower():
        return _CASE_COST
    return _MOVE_COST


def _levenshtein(a, b, max_cost):
    """CPython's traceback suggestion distance (case changes cost 1, other edits 2), capped at max_cost+1."""
    if a == b:
        return 0
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE_COST
    if len(a) > _MAX_STRING or len(b) > _MAX_STRING:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * _MOVE_COST > max_cost:
        return max_cost + 1
    row = list(range(_MOVE_COST, _MOVE_COST * (len(a) + 1), _MOVE_COST))
    result = 0
    for bindex in range(len(b)):
        bchar = b[bindex]
        distance = result = bindex * _MOVE_COST
        minimum = sys.maxsize
        for index in range(len(a)):
            substitute = distance + _substitution_cost(bchar, a[index])
            distance = row[index]
            insert_delete = min(result, distance) + _MOVE_COST
            result = min(insert_delete, substitute)
            row[index] = result
            if result < minimum:
                minimum = result
        if minimum > max_cost:
            return max_cost + 1
    return result


def _one_swap(a, b):
    """Whether b is a with two adjacent letters swapped (`slef` for `self`): one slip of the fingers."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _suggest(wrong, candidates):
    """(best, runner-up distance, best distance): Python's rule, plus whether the best is unique. A swap of two
    adjacent letters costs one substitution (Python's rule counts two, too far for a short name like `slef`)."""
    scored = []
    for cand in list(candidates)[:_MAX_CANDIDATES * 4]:
        if cand == wrong:
            continue
        max_distance = (len(cand) + len(wrong) + 3) * _MOVE_COST // 6
        d = _MOVE_COST if _one_swap(wrong, cand) else _levenshtein(wrong, cand, max_distance)
        if d <= max_distance:
            scored.append((d, cand))
    scored.sort()
    if not scored:
        return None, None, None
    best_d, best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else None
    return best, runner, best_d


def _class_attrs(class_name, seen=None):
    """Attributes a project class defines: methods, class variables, self.x assignments, bases' too."""
    seen = seen or set()
    if class_name in seen:
        return set(), 0
    seen.add(class_name)
    sym = _sym
    root = os.getcwd()
    names = set()
    found = 0
    for rel in sym.project_files(root):
        loaded = _load(rel)
        if loaded is None:
            continue
        for node in ast.walk(loaded[2]):
            if not (isinstance(node, ast.ClassDef) and node.name == class_name):
                continue
            found += 1
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(item.name)
                elif isinstance(item, ast.Assign):
                    for t in item.targets:
                        if isinstance(t, ast.Name):
                            names.add(t.id)
                            if t.id == "__slots__":
                                names |= _slot_names(item.value)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                    if item.target.id == "__slots__" and item.value is not None:
                        names |= _slot_names(item.value)
            # A slotted instance takes only its declared fields: a `self.x = ...` there is no evidence of an x.
            if not _slotted(node, loaded[2]):
                for n in ast.walk(node):
                    if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Name) \
                            and n.value.id == "self":
                        names.add(n.attr)
            for base in node.bases:
                bname = _terminal(base)
                if bname and bname not in ("object",):
                    extra, _ = _class_attrs(bname, seen)
                    names |= extra
    return names, found


def _slot_names(value):
    """The names a `__slots__` value declares: a string, or a tuple/list/set of strings, or a dict's keys."""
    items = value.keys if isinstance(value, ast.Dict) else value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) \
        else [value]
    return {n.value for n in items if isinstance(n, ast.Constant) and isinstance(n.value, str)}


_ATTRS_SLOTTED = {"define", "frozen", "mutable"}  # attrs' modern API slots classes unless told slots=False


def _slotted(cls, tree):
    """Whether a class's instances take only declared attributes: `__slots__`, `@dataclass(slots=True)`,
    `@attr.s(slots=True)`, `@attrs.define` (and frozen/mutable) without slots=False."""
    for item in cls.body:
        targets = item.targets if isinstance(item, ast.Assign) else [item.target] if isinstance(item, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__slots__" for t in targets):
            return True
    attrs_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                   and n.module in ("attr", "attrs") for a in n.names}
    for dec in cls.decorator_list:
        func = dec.func if isinstance(dec, ast.Call) else dec
        slots = next((k.value for k in getattr(dec, "keywords", []) if k.arg == "slots"), None)
        if isinstance(slots, ast.Constant) and isinstance(slots.value, bool):
            if slots.value:
                return True
            continue
        parts = _dotted_parts(func)
        from_attrs = (len(parts) == 2 and parts[1] in ("attr", "attrs")) or (len(parts) == 1 and parts[0] in attrs_names)
        if from_attrs and parts[0] in _ATTRS_SLOTTED:
            return True
    return False


def _foreign_type_attrs(type_name, type_module, tree, rel):
    """Attributes of a builtin or stdlib type an error names ('dict', 'collections.deque', or 'Counter' that the
    file imports from the stdlib); None when the type is not one of those."""
    places = [(type_module, type_name)] if type_module else [("builtins", type_name)]
    if not type_module:
        bound = _import_bindings(tree, rel).get(type_name)
        if bound is not None and bound[1] is not None:
            places.append(bound)
    for module, name in places:
        obj = getattr(builtins, name, None) if module == "builtins" else _sym._stdlib_object(module, name)
        if isinstance(obj, type):
            return set(dir(obj))
    return None


def _enclosing_class(tree, line):
    best = None
    for n in ast.walk(tree):
        if isinstance(n, ast.ClassDef) and n.lineno <= line <= _end(n) and (best is None or n.lineno >= best.lineno):
            best = n
    return best


def _demangle(name, tree, line):
    """A private name as the source spells it: `_Counter__total` is `__total` in code inside class Counter."""
    cls = _enclosing_class(tree, line)
    if cls is None or not name:
        return name
    prefix = "_" + cls.name.lstrip("_")
    rest = name[len(prefix):]
    return rest if name.startswith(prefix + "__") and not rest.endswith("__") else name


def _scope_names(tree, line):
    """Names visible at a line: enclosing functions' params and locals, module globals, builtins."""
    names = set(dir(builtins))
    for node in tree.body:
        names |= _bound_in(node)
    for _, func, _ in _functions(tree):
        if func.lineno <= line <= _end(func):
            a = func.args
            for arg in a.args + a.kwonlyargs + getattr(a, "posonlyargs", []):
                names.add(arg.arg)
            if a.vararg:
                names.add(a.vararg.arg)
            if a.kwarg:
                names.add(a.kwarg.arg)
            for node in _own_nodes(func):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for al in node.names:
                        names.add(al.asname or al.name.split(".")[0])
                elif isinstance(node, ast.ExceptHandler) and node.name:
                    names.add(node.name)
            for node in func.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
    return names


def _defined_in_file(tree, name):
    return any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id == name for n in ast.walk(tree)) or \
        any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name for n in ast.walk(tree)) or \
        any(isinstance(n, ast.arg) and n.arg == name for n in ast.walk(tree))


def _bound_in(stmt):
    out = set()
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        out.add(stmt.name)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for a in stmt.names:
            if a.name != "*":
                out.add(a.asname or a.name.split(".")[0])
    else:
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                out.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.add(n.name)
            elif isinstance(n, (ast.Import, ast.ImportFrom)):
                for a in n.names:
                    if a.name != "*":
                        out.add(a.asname or a.name.split(".")[0])
    return out


def _module_attrs(module):
    """Names a module offers: project modules statically (defines, re-exports, submodules); stdlib by dir()."""
    sym = _sym
    root = os.getcwd()
    for f in sym.project_facts(root):
        if f["module"] == module:
            names = set(f["defines"]) | set(f["reexports"])
            if f["isPackage"]:
                folder = os.path.dirname(os.path.join(root, f["rel"]))
                for entry in os.listdir(folder):
                    if entry.endswith(".py") and entry != "__init__.py":
                        names.add(entry[:-3])
                    elif os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                        names.add(entry)
            return names
    if module.split(".")[0] in sym._STDLIB_TOP and module.split(".")[0] not in sym._NEVER_IMPORT:
        try:
            import importlib

            return set(dir(importlib.import_module(module)))
        except Exception:  # noqa: BLE001
            return None
    return None


def _receiver_matches(recv, kind, type_name, module, tree, line):
    """Whether an attribute's receiver is the object the error names (True/False), or None when unknown."""
    if kind == "module_attribute":
        text = ".".join(reversed(_dotted_parts(recv)))
        if not text or not module:
            return False
        if text in (module, module.split(".")[-1]):
            return True
        return any(isinstance(n, ast.Import) and any(a.asname == text and a.name == module for a in n.names)
                   for n in ast.walk(tree))
    if not type_name:
        return None
    if kind == "class_attribute":
        return _terminal(recv) == type_name
    inner = _innermost_function(tree, line)
    if isinstance(recv, ast.Name) and recv.id == "self" and inner is not None and inner[1] is not None:
        cls = inner[1]
        return cls.name == type_name or any(_terminal(b) == type_name for b in cls.bases)
    if isinstance(recv, ast.Name) and inner is not None:
        known = _local_types(inner[0]).get(recv.id)
        if known is not None:
            return known == type_name
    return None


def _dotted_parts(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts
    return []


def _rename_on_line(lines, tree, line, wrong, right, kind, type_name=None, module=None):
    """Renames the failing occurrence(s) of `wrong` on a line, from AST positions: for a name, the loaded
    Name nodes (not keyword-argument names, attributes or strings), and its bindings on the line when it has
    no other (`totl += x`); for an attribute, `.wrong` read or written (`self.totl += x`, a slotted
    `self.totl = 0`) only on the receiver the error names (when several objects on the line have it)."""
    spots = []  # (0-based char column, ...) on the line
    if kind == "name":
        stores = not _binding_lines(tree, line, wrong) - {line}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and n.id == wrong and n.lineno == line and (
                    isinstance(n.ctx, (ast.Load, ast.Del)) or stores):
                spots.append(_char_col(lines[line - 1], n.col_offset))
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == wrong and _end(n) == line]
        if len(nodes) > 1:
            verdicts = [_receiver_matches(n.value, kind, type_name, module, tree, line) for n in nodes]
            if True in verdicts:
                nodes = [n for n, v in zip(nodes, verdicts) if v is True]
            else:
                # None known to be the named object: only when the rest are one and the same receiver.
                nodes = [n for n, v in zip(nodes, verdicts) if v is None]
                if len({_segment(lines, n.value) for n in nodes}) != 1:
                    return None
        for n in nodes:
            stop = _char_col(lines[line - 1], n.end_col_offset)
            spots.append(stop - len(wrong))
    text = lines[line - 1]
    spots = sorted(set(c for c in spots if text[c:c + len(wrong)] == wrong))
    if not spots:
        return None
    for col in reversed(spots):
        text = text[:col] + right + text[col + len(wrong):]
    return {"find": lines[line - 1], "replace": text, "nearLine": line}


def _binding_lines(tree, line, name):
    """Lines binding `name` in the scope around a line (the innermost function, else the module's own code)."""
    inner = _innermost_function(tree, line)
    if inner is not None:
        func = inner[0]
        a = func.args
        if any(x.arg == name for x in getattr(a, "posonlyargs", []) + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x):
            return {func.lineno}
        nodes = list(_own_nodes(func))
    else:
        nodes, stack = [], list(tree.body)
        while stack:
            node = stack.pop()
            nodes.append(node)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.extend(ast.iter_child_nodes(node))
    return {n.lineno for n in nodes if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)} | \
        {n.lineno for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name}


def name_suggestion(file, line, name, kind="name", type_name=None, module=None, hint=None, allow_tests=False,
                    type_module=None):
    """The closest defined name for an undefined name/attribute (Python's rule, unique best only) and
    the edit renaming it on the failing line. kind: name | attribute | class_attribute | module_attribute.
    A mangled private name (`_Cls__totl`) is matched and renamed as the source spells it (`__totl`);
    type_module: the module of a stdlib type the error names (`collections` for 'collections.deque')."""
    if _is_test_rel(file) and not allow_tests:
        return {"edit": None, "reason": "%s is a test file" % file}
    loaded = _load(file)
    if loaded is None:
        return {"edit": None, "reason": "cannot parse %s" % file}
    _, lines, tree = loaded
    if kind != "module_attribute":
        name = _demangle(name, tree, line)
        hint = _demangle(hint, tree, line) if hint else hint
    candidates = None
    if kind == "name":
        elsewhere = _binding_lines(tree, line, name) - {line}
        if elsewhere:
            return {"edit": None, "reason": "%s is assigned at line %d: used before assignment, not misspelt"
                    % (name, min(elsewhere))}
        if _innermost_function(tree, line) is not None and any(name in _bound_in(n) for n in tree.body):
            return {"edit": None, "reason": "%s is a module global: the function needs a global statement" % name}
        candidates = _scope_names(tree, line)
    elif kind == "module_attribute" and module:
        candidates = _module_attrs(module)
    elif type_name:
        attrs, found = _class_attrs(type_name) if not type_module else (set(), 0)
        if found == 1:
            candidates = attrs
        elif found == 0:
            candidates = _foreign_type_attrs(type_name, type_module, tree, file)
        else:
            return {"edit": None, "reason": "several project classes are named %s" % type_name}
    if name.startswith("__") and candidates:
        # A private name is only reachable as written from the class that declares it.
        candidates = {c for c in candidates if c.startswith("__")}
    suggestion = None
    source_of = ""
    if hint and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", hint) and hint != name:
        if candidates is None or hint in candidates:
            suggestion, source_of = hint, "Python's own suggestion"
    if suggestion is None:
        if not candidates:
            return {"edit": None, "reason": "no known names to compare %s with" % name}
        best, runner, best_d = _suggest(name, candidates)
        if best is None:
            return {"edit": None, "reason": "no defined name is close to %s" % name}
        if runner is not None and runner == best_d:
            return {"edit": None, "reason": "several names are equally close to %s" % name}
        suggestion, source_of = best, "closest defined name (distance %d)" % best_d
    if kind == "name" and hasattr(builtins, suggestion) and not _defined_in_file(tree, suggestion):
        # `pytest.fixture` with pytest unimported gets "Did you mean: 'bytes'?": bytes has no .fixture.
        used_attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                      and n.value.id == name}
        target = getattr(builtins, suggestion)
        if any(not hasattr(target, a) for a in used_attrs):
            return {"edit": None, "reason": "the builtin %s has no attribute the code reads from %s" % (suggestion, name)}
    edit = _rename_on_line(lines, tree, line, name, suggestion, kind, type_name, module)
    if edit is None:
        return {"edit": None, "reason": "%s does not occur at line %d" % (name, line), "suggestion": suggestion}
    return {"edit": edit, "suggestion": suggestion, "source": source_of, "reason": ""}


# --------------------------------------------------------------------------------- assertion rewrite


def _literal(text):
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None
    if "..." in text and _has_ellipsis(value):
        return False, None
    return True, value


def _has_ellipsis(v):
    if v is Ellipsis:
        return True
    if isinstance(v, (list, tuple, set)):
        return any(_has_ellipsis(x) for x in v)
    if isinstance(v, dict):
        return any(_has_ellipsis(x) for x in list(v.keys()) + list(v.values()))
    return False


def _prefers_double(text):
    """Whether a literal's strings are written with double quotes (so the replacement matches the style)."""
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.STRING]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return bool(toks) and all(t.string.lstrip("rbuRBU").startswith('"') for t in toks)


def _literal_repr(value, prefer_double=False):
    """repr() of a literal, with double-quoted strings when the test writes them that way."""
    if isinstance(value, str):
        r = repr(value)
        if prefer_double and r.startswith("'") and '"' not in value:
            r = '"' + r[1:-1].replace("\\'", "'") + '"'
        return r
    if isinstance(value, list):
        return "[" + ", ".join(_literal_repr(v, prefer_double) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_literal_repr(v, prefer_double) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (_literal_repr(k, prefer_double), _literal_repr(v, prefer_double))
                               for k, v in value.items()) + "}"
    return repr(value)


def _message_compare(message):
    """The `assert L op R` line pytest prints, parsed: (left text, op name, right text) or None."""
    for raw in (message or "").split("\n"):
        text = raw.strip()
        if text.startswith("AssertionError:"):
            text = text[len("AssertionError:"):].strip()
        if not text.startswith("assert "):
            continue
        try:
            node = ast.parse(text[len("assert "):], mode="eval").body
        except SyntaxError:
            return None
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            src = text[len("assert "):]
            lines = [src]
            return _segment(lines, node.left), type(node.ops[0]).__name__, _segment(lines, node.comparators[0])
        return None
    return None


def assertion_rewrite(file, line, message):
    """For a failing `assert X == None` / `assert X is not None` / `assert f() == <literal>`: the assert
    rewritten to what the code produced (pytest's message gives the values). The caller marks it high risk."""
    loaded = _load(file)
    if loaded is None:
        return {"edit": None, "reason": "cannot parse %s" % file}
    source, lines, tree = loaded
    asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert) and n.lineno <= line <= _end(n)]
    if not asserts:
        return {"edit": None, "reason": "no assert statement at line %d" % line}
    stmt = asserts[-1]
    test = stmt.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return {"edit": None, "reason": "only single comparisons are rewritten"}
    op = type(test.ops[0]).__name__
    left, right = test.left, test.comparators[0]
    parsed = _message_compare(message)
    is_none = lambda n: isinstance(n, ast.Constant) and n.value is None  # noqa: E731
    if is_none(right) or is_none(left):
        other = left if is_none(right) else right
        other_text = _segment(lines, other)
        if op in ("Eq", "Is"):
            new_test = "%s is not None" % other_text
            observed = "is not None"
        elif op in ("NotEq", "IsNot"):
            new_test = "%s is None" % other_text
            observed = "is None"
        else:
            return {"edit": None, "reason": "unsupported comparison with None"}
        if parsed is not None:
            shown = parsed[0] if is_none(right) else parsed[2]
            if (observed == "is None") != (shown.strip() == "None"):
                return {"edit": None, "reason": "pytest's message does not match the assert"}
        first, last, text = _insert_text(lines, test, "", "")
        text = text.replace(_segment(lines, test), new_test, 1)
        return {"edit": _line_edit(lines, first, last, text), "kind": "none-check", "from": _segment(lines, test),
                "to": new_test, "reason": ""}
    if op != "Eq":
        return {"edit": None, "reason": "only == comparisons get their expected value updated"}
    if parsed is None or parsed[1] != "Eq":
        return {"edit": None, "reason": "pytest's message has no comparison to read the values from"}
    left_lit, left_val = _literal(_segment(lines, left))
    right_lit, right_val = _literal(_segment(lines, right))
    if left_lit == right_lit:
        return {"edit": None, "reason": "exactly one side of the comparison must be a literal"}
    expected_node, shown_actual, shown_expected = (right, parsed[0], parsed[2]) if right_lit else (left, parsed[2], parsed[0])
    ok_actual, actual = _literal(shown_actual)
    ok_expected, shown_value = _literal(shown_expected)
    if not ok_actual:
        return {"edit": None, "reason": "the actual value %s is not a literal" % shown_actual}
    if ok_expected and shown_value != (right_val if right_lit else left_val):
        return {"edit": None, "reason": "pytest's message does not match the assert"}
    new_literal = _literal_repr(actual, prefer_double=_prefers_double(_segment(lines, expected_node)))
    try:
        if ast.literal_eval(new_literal) != actual:
            return {"edit": None, "reason": "the actual value does not round-trip as a literal"}
    except (ValueError, SyntaxError):
        return {"edit": None, "reason": "the actual value does not round-trip as a literal"}
    first, last, text = _insert_text(lines, expected_node, "", "")
    old_literal = _segment(lines, expected_node)
    start = _char_col(lines[expected_node.lineno - 1], expected_node.col_offset)
    text = text[:start] + new_literal + text[start + len(old_literal):]
    return {"edit": _line_edit(lines, first, last, text), "kind": "expected-value", "from": old_literal,
            "to": new_literal, "reason": ""}


# ------------------------------------------------------------------------------------------ constant_guard


def _optional(ann):
    """Whether an annotation admits None: `Optional[X]`, `X | None`, `Union[X, None]`, or any of them as a string."""
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        try:
            return _optional(ast.parse(ann.value, mode="eval").body)
        except SyntaxError:
            return False
    if isinstance(ann, ast.Constant):
        return ann.value is None
    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        return _optional(ann.left) or _optional(ann.right)
    if isinstance(ann, ast.Subscript):
        kind = _terminal(ann.value)
        args = ann.slice.value if type(ann.slice).__name__ == "Index" else ann.slice
        return kind == "Optional" or (kind == "Union" and isinstance(args, ast.Tuple) and any(_optional(e) for e in args.elts))
    return False


def _maybe_none(func):
    """Names in a function that may hold None: parameters defaulting to None or annotated Optional, locals assigned None
    or `d.get(k)`."""
    a = func.args
    positional = a.posonlyargs + a.args
    names = {x.arg for x in positional + a.kwonlyargs if x.annotation is not None and _optional(x.annotation)}
    for arg, default in zip(positional[len(positional) - len(a.defaults):], a.defaults):
        if isinstance(default, ast.Constant) and default.value is None:
            names.add(arg.arg)
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        if isinstance(default, ast.Constant) and default.value is None:
            names.add(arg.arg)
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            none_default = isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and v.func.attr == "get" and (
                len(v.args) == 1 or (len(v.args) == 2 and isinstance(v.args[1], ast.Constant) and v.args[1].value is None))
            if (isinstance(v, ast.Constant) and v.value is None) or none_default:
                names.add(node.targets[0].id)
    return names


def _names(nodes, ctx):
    """Plain names loaded (ctx ast.Load) or bound (ast.Store) anywhere in the given nodes."""
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


def _rest_of_block(node, parents):
    """The statements after `node` in the block that holds it (an `elif` counts as the rest of its `if`)."""
    parent = parents.get(node)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and node in block:
            i = block.index(node)
            after = block[i + 1:]
            if isinstance(parent, ast.If) and field == "orelse" and i == 0 and len(block) == 1:
                return after + _rest_of_block(parent, parents)
            return after
    return []


def _constant_guard_at(node, func, parents, maybe):
    """(name, test) for one constant condition: the one may-be-None name the condition must have tested, or a reason."""
    if isinstance(node, ast.If):
        value, chosen, skipped, rest = node.test.value, node.body, node.orelse, _rest_of_block(node, parents)
    else:
        value, chosen, skipped, rest = node.test.value, [node.body], [node.orelse], []
    # The branch the code needs only when the name is None, and the one it needs when it is not.
    when_none, when_set = (chosen, skipped) if value is False else (skipped, chosen)
    # `if x is None: x = default` sets the name; `if x is not None: use(x)` reads it; else the other side reads it.
    bound = _names(when_none, ast.Store) & maybe
    if value is False and len(bound) == 1:
        return bound.pop(), "is None", None
    read_when_set = (_names(when_set, ast.Load) - _names(when_none, ast.Load)) & maybe
    if value is True and len(read_when_set) == 1:
        return read_when_set.pop(), "is not None", None
    if value is False:
        read_after = (_names(skipped + rest, ast.Load) - _names(chosen, ast.Load)) & maybe
        if len(read_after) == 1:
            return read_after.pop(), "is None", None
    return None, None, "no single name that may be None fits the constant condition at line %d" % node.test.lineno


def _maybe_none_attrs(cls):
    """`self.x` attributes of a class that may hold None: set to None or annotated Optional in a method, or declared
    so in the class body."""
    out = set()
    for node in ast.walk(cls):
        target = value = ann = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value, ann = node.target, node.value, node.annotation
        none = (isinstance(value, ast.Constant) and value.value is None) or (ann is not None and _optional(ann))
        if not none:
            continue
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            out.add("self." + target.attr)
        elif isinstance(target, ast.Name) and any(target is n for n in cls.body for n in ast.walk(n)):
            out.add("self." + target.id)
    return out


def _mention(node):
    """`x` for a plain name, `self.x` for an attribute of self; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return "self." + node.attr
    return None


def _mentions_in_order(node):
    """(name or `self.x`, ast.Load / ast.Store) in evaluation order: an assignment's value before its targets, an
    augmented target read before it is written."""
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        if isinstance(node, ast.AugAssign) and _mention(node.target):
            yield _mention(node.target), ast.Load
        if node.value is not None:
            yield from _mentions_in_order(node.value)
        for target in getattr(node, "targets", [getattr(node, "target", None)]):
            yield from _mentions_in_order(target)
        return
    mention = _mention(node)
    if mention is not None:
        yield mention, type(node.ctx)
        return
    for child in ast.iter_child_nodes(node):
        yield from _mentions_in_order(child)


def _raise_guard_at(node, func, cls, parents, line):
    """(test, reason) for `if True: raise ...` raising at `line`: the guard it stands for, decided by what the rest of
    the block does with the one value that may be None. Stored there first (`self._it = make()`): the raise refused a
    second use, `is not None`. Only read there: the raise refused a missing value, `is None`."""
    if not (isinstance(node, ast.If) and node.test.value is True):
        return None, None
    if not any(isinstance(st, ast.Raise) and st.lineno <= line <= _end(st) for st in node.body):
        return None, None
    maybe = _maybe_none(func) | (_maybe_none_attrs(cls) if cls is not None else set())
    first = {}  # candidate -> ctx of its first mention after the if
    for st in _rest_of_block(node, parents):
        for mention, ctx in _mentions_in_order(st):
            if mention in maybe:
                first.setdefault(mention, ctx)
    stored = sorted(m for m, ctx in first.items() if ctx is ast.Store)
    read = sorted(m for m, ctx in first.items() if ctx is ast.Load)
    if len(stored) == 1 and not read:
        return "%s is not None" % stored[0], None
    if len(read) == 1 and not stored:
        return "%s is None" % read[0], None
    return None, "the block after the raise at line %d does not settle one value that may be None (stored: %s; read: %s)" % (
        line, ", ".join(stored) or "none", ", ".join(read) or "none")


def constant_guard(frames, raised=None):
    """A condition left constant (`if False:`, `elif True:`, `a if True else b`) in a function of the failure's own
    (non-test) files, where a name that may be None belongs: the `is None` / `is not None` test it stands for.
    frames: [{file, line}] innermost last. Candidates in a function on the stack come first (innermost first), then
    the nearest to a frame; exactly one name must fit, else the candidate is declined with its reason.
    raised: {file, line} when the failure is an exception the project raised there (not a None error): only an
    `if True:` around that raise is considered (see _raise_guard_at)."""
    if raised is not None:
        return _raise_guard(raised)
    ranked = []
    reasons = []
    on_stack = [(f["file"], f["line"]) for f in reversed(frames)]
    for rel in dict.fromkeys(f["file"] for f in frames if not _is_test_rel(f["file"])):
        loaded = _load(rel)
        if loaded is None:
            continue
        _, lines, tree = loaded
        parents = _parents(tree)
        frame_lines = [line for (file, line) in on_stack if file == rel]
        for _, func, _ in _functions(tree):
            maybe = _maybe_none(func)
            for node in _own_nodes(func):
                if not isinstance(node, (ast.If, ast.IfExp)) or not isinstance(node.test, ast.Constant):
                    continue
                if not isinstance(node.test.value, bool) or node.test.lineno != _end(node.test):
                    continue
                name, test, why = _constant_guard_at(node, func, parents, maybe)
                if name is None:
                    reasons.append("%s: %s" % (rel, why))
                    continue
                depth = next((i for i, (file, line) in enumerate(on_stack)
                              if file == rel and func.lineno <= line <= _end(func)), len(on_stack))
                distance = min((abs(line - node.test.lineno) for line in frame_lines), default=10 ** 9)
                ranked.append((depth, distance, rel, node, name, test, lines))
    if not ranked:
        return {"edit": None, "reason": "; ".join(reasons) or "no constant condition in the failure's project files"}
    ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].test.lineno))
    _, _, rel, node, name, test, lines = ranked[0]
    return _guard_edit(rel, lines, node, "%s %s" % (name, test), len(ranked))


def _guard_edit(rel, lines, node, new, candidates):
    """The op's answer: the constant condition of `node` replaced by the test `new`."""
    line = lines[node.test.lineno - 1]
    start = _char_col(line, node.test.col_offset)
    end = _char_col(line, node.test.end_col_offset)
    return {"edit": _line_edit(lines, node.test.lineno, node.test.lineno, line[:start] + new + line[end:]), "file": rel,
            "line": node.test.lineno, "constant": line[start:end], "test": new, "candidates": candidates, "reason": ""}


def _raise_guard(raised):
    """constant_guard for an exception the project raised itself under `if True:` at raised = {file, line}."""
    loaded = _load(raised["file"])
    inner = _innermost_function(loaded[2], raised["line"]) if loaded else None
    if inner is None:
        return {"edit": None, "reason": "the raise at %s:%d is in no function" % (raised["file"], raised["line"])}
    _, lines, tree = loaded
    parents = _parents(tree)
    for node in _own_nodes(inner[0]):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Constant) and node.test.lineno == _end(node.test):
            test, why = _raise_guard_at(node, inner[0], inner[1], parents, raised["line"])
            if test is not None:
                return _guard_edit(raised["file"], lines, node, test, 1)
            if why is not None:
                return {"edit": None, "reason": why}
    return {"edit": None, "reason": "no `if True:` holds the raise at %s:%d" % (raised["file"], raised["line"])}


# ------------------------------------------------------------------------------------------ dropped_return


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
        if isinstance(up, ast.Attribute) and up.value is held and isinstance(parents.get(up), ast.Call) \
                and parents[up].func is up:
            continue
        return False
    return True


def _dropped_value(func, ret):
    """The name a `return None` in `func` dropped, or (None, reason)."""
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    returns = [n for n in _own_nodes(func) if isinstance(n, ast.Return) and n is not ret and n.value is not None
               and not (isinstance(n.value, ast.Constant) and n.value.value is None)]
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
    sym = _sym
    for rel in sym.project_files(os.getcwd()):
        loaded = _load(rel)
        if loaded is None or name not in loaded[0]:
            continue
        inside = {id(n) for n in ast.walk(defining)}
        for node in ast.walk(loaded[2]):
            mentioned = (isinstance(node, ast.Name) and node.id == name) or (isinstance(node, ast.Attribute) and node.attr == name) \
                or (isinstance(node, ast.alias) and (node.asname or node.name).split(".")[-1] == name)
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
        required = positional[:len(positional) - len(a.defaults)]
        optional = positional[len(positional) - len(a.defaults):]
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
            nested = [c for n in [func, *_own_nodes(func)] for c in ast.iter_child_nodes(n)
                      if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef)) and c.name == expr.id]
            if nested:
                return [e for e in self.by_name.get(expr.id, []) if e["node"] is nested[-1]]
            values = [n.value for n in _own_nodes(func) if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None
                      and any(isinstance(t, ast.Name) and t.id == expr.id for t in getattr(n, "targets", [getattr(n, "target", None)]))]
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
        return {"edit": _line_edit(flines, ret.lineno, ret.lineno, line[:start] + name + line[end:]),
                "file": target["file"], "line": ret.lineno, "function": target["qualname"], "value": name, "reason": ""}
    tail = _discarded_tail_call(target["file"], func)
    if tail is not None:
        line = flines[tail.lineno - 1]
        start = _char_col(line, tail.col_offset)
        return {"edit": _line_edit(flines, tail.lineno, tail.lineno, line[:start] + "return " + line[start:]),
                "file": target["file"], "line": tail.lineno, "function": target["qualname"],
                "value": _segment(flines, tail.value), "reason": ""}
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
    gives = returns and all(r.value is not None and not (isinstance(r.value, ast.Constant) and r.value.value is None)
                            for r in returns)
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


OPS = {
    "await_sites": await_sites,
    "commit_sites": commit_sites,
    "none_guard": none_guard,
    "constant_guard": constant_guard,
    "dropped_return": dropped_return,
    "name_suggestion": name_suggestion,
    "assertion_rewrite": assertion_rewrite,
}
