"""The none_guard op: the guard for `'NoneType' object has no attribute 'x'` at a line."""

import ast
import sys

from ._ast import _char_col, _end, _innermost_function, _parents, _segment
from ._edits import _indent_of, _indent_unit, _insert_text, _line_edit
from ._project import _is_test_rel, _load
from .commit_sites import _root_name, _stmt_ancestors


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
        if isinstance(n, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(n, "value", ""), (str, bytes, list)) and _end(n) > n.lineno:
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
    hits = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr == attr and n.lineno <= line <= _end(n) and (_end(n.value) == line or n.lineno == line)
    ]
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
        simple = isinstance(stmt.test, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Compare, ast.UnaryOp)) or (
            isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.And)
        )
        new = "%s and %s" % (guard, test_text if simple else "(%s)" % test_text)
        first, last, text = _insert_text(lines, stmt.test, "", "")
        text = text.replace(test_text, new, 1)
        return {
            "edit": _line_edit(lines, first, last, text),
            "object": obj_text,
            "kind": "condition",
            "reason": "",
            "statement": stmt.lineno,
        }
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
        rest = text[len(prefix) + len(text_value) :]
        text = prefix + wrapped + " if %s else None" % guard + rest
        return {
            "edit": _line_edit(lines, first, last, text),
            "object": obj_text,
            "kind": "conditional",
            "reason": "",
            "statement": stmt.lineno,
        }
    if isinstance(stmt, (ast.Assert,)):
        return {"edit": None, "reason": "guarding an assert would disable the check"}
    if isinstance(
        stmt,
        (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef),
    ) or type(stmt).__name__ in ("Match", "TryStar"):
        return {"edit": None, "reason": "the access is in the header of a compound statement"}
    if isinstance(stmt, (ast.Return, ast.Assign, ast.AnnAssign)) and isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
        return {"edit": None, "reason": "chained assignment"}
    # Wrap the simple statement (an expression statement, augmented assignment, attribute store, ...).
    first, last = stmt.lineno, _end(stmt)
    head = lines[first - 1]
    start = _char_col(head, stmt.col_offset)
    tail = lines[last - 1][_char_col(lines[last - 1], stmt.end_col_offset) :]
    if head[:start].strip() or (tail.strip() and not tail.strip().startswith("#")):
        return {"edit": None, "reason": "the statement shares its line with another statement"}
    if _multiline_string_inside(stmt):
        return {"edit": None, "reason": "re-indenting would change a multi-line string"}
    unit = _indent_unit(source)
    indent = _indent_of(head)
    body = [unit + ln if ln.strip() else ln for ln in lines[first - 1 : last]]
    text = "\n".join([indent + "if %s:" % guard] + body)
    return {"edit": _line_edit(lines, first, last, text), "object": obj_text, "kind": "wrap", "reason": "", "statement": first}


OPS = {"none_guard": none_guard}
