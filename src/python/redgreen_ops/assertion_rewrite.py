"""The assertion_rewrite op: the flipped/updated comparison of a failing `assert`, from pytest's rewritten message."""

import ast
import io
import tokenize

from ._ast import _char_col, _end, _segment
from ._edits import _insert_text, _line_edit
from ._project import _load


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
        return (
            "{" + ", ".join("%s: %s" % (_literal_repr(k, prefer_double), _literal_repr(v, prefer_double)) for k, v in value.items()) + "}"
        )
    return repr(value)


def _message_compare(message):
    """The `assert L op R` line pytest prints, parsed: (left text, op name, right text) or None."""
    for raw in (message or "").split("\n"):
        text = raw.strip()
        if text.startswith("AssertionError:"):
            text = text[len("AssertionError:") :].strip()
        if not text.startswith("assert "):
            continue
        try:
            node = ast.parse(text[len("assert ") :], mode="eval").body
        except SyntaxError:
            return None
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            src = text[len("assert ") :]
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
        return {
            "edit": _line_edit(lines, first, last, text),
            "kind": "none-check",
            "from": _segment(lines, test),
            "to": new_test,
            "reason": "",
        }
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
    text = text[:start] + new_literal + text[start + len(old_literal) :]
    return {"edit": _line_edit(lines, first, last, text), "kind": "expected-value", "from": old_literal, "to": new_literal, "reason": ""}


OPS = {"assertion_rewrite": assertion_rewrite}
