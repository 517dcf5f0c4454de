"""How a new version of a test file checks less: looser tolerances, broader raises, new skips."""

import ast
import difflib
from collections import Counter

from ._asserts import (
    _DIGIT_KEYWORDS,
    _NEW_DIGITS_LIMIT,
    _NEW_TOLERANCE_LIMIT,
    _SKIP_ATTRS,
    _TOLERANCE_KEYWORDS,
    _call_name,
    _dotted,
    _dump,
    _scopes,
    _weaker_assert,
)
from ._ast import _parents


def _opcodes(a, b):
    """difflib's opcodes turning a into b, with the common head and tail matched first: a fix changes a few
    lines of a long file, and the quadratic matcher then sees only the changed middle."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    ops = [("equal", 0, head, 0, head)] if head else []
    matcher = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _align(old_items, new_items):
    """Pairs items of two sequences: exact matches by LCS on their dumps, the rest positionally inside
    each gap. Returns (pairs of changed items, unmatched old items)."""
    a = [_dump(n) for n in old_items]
    b = [_dump(n) for n in new_items]
    changed = []
    deleted = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            continue
        olds = old_items[i1:i2]
        news = new_items[j1:j2]
        for k, old in enumerate(olds):
            if k < len(news):
                changed.append((old, news[k]))
            else:
                deleted.append(old)
    return changed, deleted


def _number(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base, exp = _number(node.left), _number(node.right)
        if base is not None and exp is not None:
            try:
                return float(base**exp)
            except (OverflowError, ZeroDivisionError):
                return None
    return None


def _tolerances(call):
    found = {}
    for kw in call.keywords:
        if kw.arg in _TOLERANCE_KEYWORDS:
            found[kw.arg] = _number(kw.value)
    # positional tolerances: approx(expected, rel, abs), isclose has none positional we rely on
    if _call_name(call) == "approx":
        for key, arg in zip(("rel", "abs"), call.args[1:3]):
            found.setdefault(key, _number(arg))
    return found


def _looser_tolerance(old, new):
    old_t = _tolerances(old) if old is not None else {}
    new_t = _tolerances(new)
    for key, value in new_t.items():
        if value is None:
            continue
        before = old_t.get(key)
        if key in _DIGIT_KEYWORDS:
            if (before is not None and value < before) or (before is None and value < _NEW_DIGITS_LIMIT[key]):
                return "%s lowered to %g" % (key, value)
        elif (before is not None and value > before) or (before is None and value >= _NEW_TOLERANCE_LIMIT.get(key, 1e-3)):
            return "%s raised to %g" % (key, value)
    return None


_BROAD_EXCEPTIONS = {"Exception", "BaseException"}


def _broader_raises(old, new):
    if _call_name(old) != _call_name(new):
        return None
    if old.args and new.args:
        old_types = {_dotted(t) for t in (old.args[0].elts if isinstance(old.args[0], ast.Tuple) else [old.args[0]])}
        new_types = {_dotted(t) for t in (new.args[0].elts if isinstance(new.args[0], ast.Tuple) else [new.args[0]])}
        if (new_types & _BROAD_EXCEPTIONS) and not (old_types & _BROAD_EXCEPTIONS):
            return "expected exception broadened to %s" % ", ".join(sorted(new_types & _BROAD_EXCEPTIONS))
        if old_types < new_types:
            return "more exception types accepted"
    old_kw = {k.arg for k in old.keywords}
    new_kw = {k.arg for k in new.keywords}
    if "match" in old_kw and "match" not in new_kw:
        return "match= removed"
    if _call_name(old) in ("assertRaisesRegex", "assertWarnsRegex") and len(old.args) > len(new.args):
        return "expected message removed"
    return None


def _skip_constructs(tree):
    """Every skip/xfail construct: mark.skip/skipif/xfail, unittest.skip*, expectedFailure, pytest.skip(),
    pytest.xfail(), pytest.importorskip(), self.skipTest(), raise SkipTest."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _SKIP_ATTRS:
            dotted = _dotted(node)
            if dotted.startswith(("pytest.", "unittest.", "mark.", "self.")) or ".mark." in dotted:
                found.append(node)
        elif isinstance(node, ast.Name) and node.id in (
            "skip",
            "skipIf",
            "skipUnless",
            "expectedFailure",
            "SkipTest",
            "xfail",
            "importorskip",
        ):
            found.append(node)
        elif isinstance(node, ast.Attribute) and node.attr == "SkipTest":
            found.append(node)
    return found


def _skip_anchor(node, parents):
    """The decorator or innermost statement a skip construct sits in: it identifies the construct, so
    changing a skipif's condition counts as adding a new one."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child in parent.decorator_list:
            return child, True
        if isinstance(child, ast.stmt):
            return child, False
        child, parent = parent, parents.get(parent)
    return child, False


def _new_skips(old_tree, new_tree):
    old_parents = _parents(old_tree)
    new_parents = _parents(new_tree)
    before = Counter(_dump(_skip_anchor(n, old_parents)[0]) for n in _skip_constructs(old_tree))
    out = []
    seen = Counter()
    for node in sorted(_skip_constructs(new_tree), key=lambda n: (n.lineno, n.col_offset)):
        anchor, is_decorator = _skip_anchor(node, new_parents)
        key = _dump(anchor)
        seen[key] += 1
        if seen[key] > before[key]:
            label = _dotted(node) or getattr(node, "id", "skip")
            parent = new_parents.get(node)
            is_call = isinstance(parent, ast.Call) and parent.func is node and not is_decorator
            is_mark = isinstance(anchor, ast.Assign) or is_decorator
            kind = "skip_call" if is_call and not is_mark else "skip_marker"
            out.append({"kind": kind, "line": node.lineno, "message": "adds %s" % label})
    return out


def _weakenings(old_tree, new_tree):
    found = []
    old_scopes = _scopes(old_tree)
    new_scopes = _scopes(new_tree)
    found.extend(_new_skips(old_tree, new_tree))
    for name, old in old_scopes.items():
        new = new_scopes.get(name)
        if new is None:
            if old.is_test:
                found.append({"kind": "removed_test", "line": old.node.lineno, "message": "removes or renames test %s" % name})
            elif old.asserts:
                found.append(
                    {
                        "kind": "deleted_assert",
                        "line": old.node.lineno,
                        "message": "removes %s and its %d assertion(s)" % (name, len(old.asserts)),
                    }
                )
            continue
        changed, deleted = _align(old.asserts, new.asserts)
        for node in deleted:
            found.append({"kind": "deleted_assert", "line": node.lineno, "message": "deletes an assertion in %s" % name})
        for before, after in changed:
            verdict = _weaker_assert(before, after)
            if verdict:
                found.append({"kind": verdict[0], "line": after.lineno, "message": "%s in %s" % (verdict[1], name)})
        changed, deleted = _align(old.raises, new.raises)
        for node in deleted:
            found.append({"kind": "removed_raises", "line": node.lineno, "message": "removes %s in %s" % (_dotted(node.func), name)})
        for before, after in changed:
            why = _broader_raises(before, after)
            if why:
                found.append({"kind": "broadened_raises", "line": after.lineno, "message": "%s in %s" % (why, name)})
        changed, _deleted = _align(old.tolerances, new.tolerances)
        matched_new = {id(a) for _, a in changed}
        for before, after in changed:
            why = _looser_tolerance(before, after)
            if why:
                found.append({"kind": "loosened_tolerance", "line": after.lineno, "message": "%s in %s" % (why, name)})
        old_dumps = Counter(_dump(n) for n in old.tolerances)
        for after in new.tolerances:
            if id(after) in matched_new:
                continue
            if old_dumps[_dump(after)] > 0:
                old_dumps[_dump(after)] -= 1
                continue
            why = _looser_tolerance(None, after)
            if why:
                found.append({"kind": "loosened_tolerance", "line": after.lineno, "message": "%s in %s" % (why, name)})
        if len(new.swallows) > len(old.swallows):
            node = new.swallows[-1]
            found.append({"kind": "swallowed_assertion", "line": node.lineno, "message": "catches assertion failures in %s" % name})
        if new.is_test and len(new.early_returns) > len(old.early_returns):
            node = new.early_returns[0]
            found.append({"kind": "early_return", "line": node.lineno, "message": "returns before its assertions in %s" % name})
    return found
