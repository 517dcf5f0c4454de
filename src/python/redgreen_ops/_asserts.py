"""What a test asserts: assert calls, scopes of test functions, and whether a new assert is weaker than the old one."""

import ast

from ._ast import _dotted_parts


# unittest / numpy.testing assertion methods that are plain aliases of each other (a rename is no weakening).
_ASSERT_ALIASES = {
    "assertEquals": "assertEqual",
    "failUnlessEqual": "assertEqual",
    "assertNotEquals": "assertNotEqual",
    "failIfEqual": "assertNotEqual",
    "assertAlmostEquals": "assertAlmostEqual",
    "failUnlessAlmostEqual": "assertAlmostEqual",
    "assertNotAlmostEquals": "assertNotAlmostEqual",
    "assert_": "assertTrue",
    "failUnless": "assertTrue",
    "failIf": "assertFalse",
    "assertRegexpMatches": "assertRegex",
    "assertNotRegexpMatches": "assertNotRegex",
    "assertRaisesRegexp": "assertRaisesRegex",
    "assertItemsEqual": "assertCountEqual",
    "failUnlessRaises": "assertRaises",
}


# Comparison operator changes inside an assert that keep (or tighten) what the test checks.
_ALLOWED_OP_CHANGES = {("Is", "Eq"), ("IsNot", "NotEq"), ("LtE", "Lt"), ("GtE", "Gt"), ("In", "Eq")}
_RAISES_CALLS = {
    "raises",
    "warns",
    "deprecated_call",
    "assertRaises",
    "assertRaisesRegex",
    "assertRaisesRegexp",
    "assertWarns",
    "assertWarnsRegex",
    "assertLogs",
    "failUnlessRaises",
}


_FAIL_CALLS = {"fail"}  # pytest.fail / self.fail: an unconditional assertion
# Tolerance keywords: larger is looser, except places/decimal (digits compared), where smaller is looser.
_TOLERANCE_KEYWORDS = {"rel", "abs", "rel_tol", "abs_tol", "rtol", "atol", "delta", "places", "decimal"}
_DIGIT_KEYWORDS = {"places", "decimal"}
_TOLERANCE_CALLS = {
    "approx",
    "isclose",
    "allclose",
    "assert_allclose",
    "assertAlmostEqual",
    "assert_almost_equal",
    "assert_approx_equal",
    "assert_array_almost_equal",
    "assertNotAlmostEqual",
}


# An explicit tolerance newly added at or above these values is a loosening (pytest's default rel is 1e-6).
_NEW_TOLERANCE_LIMIT = {"rel": 1e-3, "rel_tol": 1e-3, "rtol": 1e-3, "abs": 1e-3, "abs_tol": 1e-3, "atol": 1e-3, "delta": 1e-3}
_NEW_DIGITS_LIMIT = {"places": 3, "decimal": 3}
_SKIP_ATTRS = {"skip", "skipif", "xfail", "skipIf", "skipUnless", "expectedFailure", "importorskip", "skipTest"}
_SWALLOW_TYPES = {"AssertionError", "Exception", "BaseException"}


def _call_name(node):
    """The last dotted component of a call's function: pytest.raises -> raises, self.assertEqual -> assertEqual."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _dotted(node):
    """The dotted name of an expression, through calls: `pytest.mark.skip(...)` -> "pytest.mark.skip"."""
    return ".".join(reversed(_dotted_parts(node, through_calls=True)))


def _is_assert_call(node):
    if not isinstance(node, ast.Call):
        return False
    name = _call_name(node)
    if name is None:
        return False
    if name in _FAIL_CALLS and _dotted(node.func) in ("pytest.fail", "self.fail"):
        return True
    return (name.startswith("assert") or name in _ASSERT_ALIASES) and name not in _RAISES_CALLS


def _own_nodes(body):
    """All nodes of a function body, in source order; nested functions, classes and lambdas are kept but not walked into
    (unlike _ast._own_nodes, which leaves out those nested in statements)."""
    out = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


class _Scope(object):
    """What one function (or the module level) asserts, in order."""

    def __init__(self, name, node, body, is_test):
        self.name = name
        self.node = node
        self.is_test = is_test
        nodes = _own_nodes(body)
        self.asserts = [n for n in nodes if isinstance(n, ast.Assert) or _is_assert_call(n)]
        self.raises = [n for n in nodes if isinstance(n, ast.Call) and _call_name(n) in _RAISES_CALLS]
        self.tolerances = [n for n in nodes if isinstance(n, ast.Call) and _call_name(n) in _TOLERANCE_CALLS]
        self.swallows = [n for n in nodes if _swallows_assertions(n)]
        last_assert = max([a.lineno for a in self.asserts] or [0])
        self.early_returns = [n for n in nodes if isinstance(n, ast.Return) and n.lineno < last_assert]


def _swallows_assertions(node):
    """A try/except or contextlib.suppress that would turn a failing assert into a pass."""
    if isinstance(node, ast.Try):
        if not any(isinstance(n, ast.Assert) or _is_assert_call(n) for s in node.body for n in ast.walk(s)):
            return False
        for handler in node.handlers:
            if handler.type is None:
                return True
            types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            if any(_call_name(t) in _SWALLOW_TYPES for t in types) and not any(
                isinstance(n, ast.Raise) for s in handler.body for n in ast.walk(s)
            ):
                return True
        return False
    if isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            ctx = item.context_expr
            if isinstance(ctx, ast.Call) and _call_name(ctx) == "suppress":
                if any(_call_name(a) in _SWALLOW_TYPES for a in ctx.args):
                    return True
    return False


def _scopes(tree):
    scopes = {"<module>": _Scope("<module>", tree, tree.body, False)}

    def visit(body, prefix, in_test_class):
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".", node.name.startswith("Test") or _looks_like_testcase(node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qual = prefix + node.name
                is_test = node.name.startswith("test") and (prefix == "" or in_test_class)
                scopes[qual] = _Scope(qual, node, node.body, is_test)
                visit(node.body, qual + ".", False)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        visit([n for n in inner if isinstance(n, ast.AST)], prefix, in_test_class)

    visit(tree.body, "", False)
    return scopes


def _looks_like_testcase(cls):
    return any(_dotted(b).endswith("TestCase") for b in cls.bases)


def _dump(node):
    return ast.dump(node)


def _truthy_constant(node):
    if isinstance(node, ast.Constant):
        return bool(node.value)
    if isinstance(node, ast.Name) and node.id == "True":  # Python 3.8 parses True as Constant already
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return len(getattr(node, "elts", getattr(node, "keys", []))) > 0
    return False


def _trivially_true(test):
    if _truthy_constant(test):
        return True
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return any(_trivially_true(v) for v in test.values)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Is)):
        return _dump(test.left) == _dump(test.comparators[0])  # assert x == x
    return False


def _strip_not(test):
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand, True
    return test, False


def _close_call(node):
    return isinstance(node, ast.Call) and any(k in (_call_name(node) or "").lower() for k in ("close", "equal", "approx"))


def _weaker_assert(old, new):
    """Why `new` checks less than `old` (both ast.Assert or both assertion calls), or None."""
    if isinstance(old, ast.Assert) and isinstance(new, ast.Assert):
        if _trivially_true(new.test) and not _trivially_true(old.test):
            return "trivial_assert", "assertion made always true"
        old_inner, old_not = _strip_not(old.test)
        new_inner, new_not = _strip_not(new.test)
        if old_not != new_not and _dump(old_inner) == _dump(new_inner):
            return "weakened_comparison", "assertion negated"
        if isinstance(new.test, ast.BoolOp) and isinstance(new.test.op, ast.Or) and _dump(old.test) in [_dump(v) for v in new.test.values]:
            return "weakened_comparison", "assertion loosened with `or`"
        if isinstance(old.test, ast.Compare):
            if not isinstance(new.test, ast.Compare):
                if _close_call(new.test):
                    return None
                return "weakened_comparison", "comparison removed from assertion"
            old_ops = [type(o).__name__ for o in old.test.ops]
            new_ops = [type(o).__name__ for o in new.test.ops]
            if len(new_ops) < len(old_ops):
                return "weakened_comparison", "chained comparison shortened"
            if len(new_ops) == len(old_ops):
                for a, b in zip(old_ops, new_ops):
                    if a != b and (a, b) not in _ALLOWED_OP_CHANGES:
                        return "weakened_comparison", "comparison changed from %s to %s" % (_OP_TEXT[a], _OP_TEXT[b])
        return None
    if isinstance(old, ast.Call) and isinstance(new, ast.Call):
        old_name = _ASSERT_ALIASES.get(_call_name(old), _call_name(old))
        new_name = _ASSERT_ALIASES.get(_call_name(new), _call_name(new))
        if new_name in ("assertTrue",) and new.args and _truthy_constant(new.args[0]):
            return "trivial_assert", "assertion made always true"
        if old_name != new_name:
            if old_name == "assertTrue" and new_name in ("assertEqual", "assertIs", "assertIn"):
                return None
            return "weakened_comparison", "assertion changed from %s to %s" % (old_name, new_name)
        return None
    if isinstance(old, ast.Assert) and isinstance(new, ast.Call):
        if _call_name(new) == "assertTrue" and new.args and _truthy_constant(new.args[0]):
            return "trivial_assert", "assertion made always true"
        return None
    return None


_OP_TEXT = {
    "Eq": "==",
    "NotEq": "!=",
    "Lt": "<",
    "LtE": "<=",
    "Gt": ">",
    "GtE": ">=",
    "Is": "is",
    "IsNot": "is not",
    "In": "in",
    "NotIn": "not in",
}
