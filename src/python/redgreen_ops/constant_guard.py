"""The constant_guard op: the `is None` / `is not None` test a constant condition (`if False:`) stands where it belongs."""

import ast

from ._ast import _char_col, _end, _functions, _innermost_function, _own_nodes, _parents
from ._await import _terminal
from ._edits import _line_edit
from ._project import _is_test_rel, _load


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
    for arg, default in zip(positional[len(positional) - len(a.defaults) :], a.defaults):
        if isinstance(default, ast.Constant) and default.value is None:
            names.add(arg.arg)
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        if isinstance(default, ast.Constant) and default.value is None:
            names.add(arg.arg)
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            none_default = (
                isinstance(v, ast.Call)
                and isinstance(v.func, ast.Attribute)
                and v.func.attr == "get"
                and (len(v.args) == 1 or (len(v.args) == 2 and isinstance(v.args[1], ast.Constant) and v.args[1].value is None))
            )
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
            after = block[i + 1 :]
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
        line,
        ", ".join(stored) or "none",
        ", ".join(read) or "none",
    )


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
                depth = next(
                    (i for i, (file, line) in enumerate(on_stack) if file == rel and func.lineno <= line <= _end(func)), len(on_stack)
                )
                distance = min((abs(line - node.test.lineno) for line in frame_lines), default=10**9)
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
    return {
        "edit": _line_edit(lines, node.test.lineno, node.test.lineno, line[:start] + new + line[end:]),
        "file": rel,
        "line": node.test.lineno,
        "constant": line[start:end],
        "test": new,
        "candidates": candidates,
        "reason": "",
    }


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


OPS = {"constant_guard": constant_guard}
