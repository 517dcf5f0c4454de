"""Test-integrity op: compares two versions of a test file and reports every way the new one checks
less than the old one (deleted asserts, skip/xfail marks, weakened comparisons, looser tolerances,
removed pytest.raises, swallowed AssertionErrors, early returns), and whether the edit only adds imports.

Python 3.8+ stdlib only.
"""
import ast
import builtins
import difflib
import re
from collections import Counter

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
_TOLERANCE_CALLS = {"approx", "isclose", "allclose", "assert_allclose", "assertAlmostEqual", "assert_almost_equal",
                    "assert_approx_equal", "assert_array_almost_equal", "assertNotAlmostEqual"}
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
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        return _dotted(node.func)
    return ".".join(reversed(parts))


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
    """All nodes of a function body, in source order, without descending into nested defs/lambdas."""
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
        if (
            isinstance(new.test, ast.BoolOp)
            and isinstance(new.test.op, ast.Or)
            and _dump(old.test) in [_dump(v) for v in new.test.values]
        ):
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
                return float(base ** exp)
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
        elif isinstance(node, ast.Name) and node.id in ("skip", "skipIf", "skipUnless", "expectedFailure", "SkipTest", "xfail", "importorskip"):
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


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


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
                    {"kind": "deleted_assert", "line": old.node.lineno, "message": "removes %s and its %d assertion(s)" % (name, len(old.asserts))}
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


# ------------------------------------------------------------------------------------ import-only edits


def _import_lines(tree):
    lines = set()
    names = Counter()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.update(range(node.lineno, getattr(node, "end_lineno", node.lineno) + 1))
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                names[(getattr(node, "level", 0) or 0, module, alias.name, alias.asname)] += 1
    return lines, names


def _module_imports(tree):
    """Line → statements covering it, for module-level statements; and the module-level import nodes."""
    covering = {}
    for node in tree.body:
        for line in range(node.lineno, getattr(node, "end_lineno", node.lineno) + 1):
            covering.setdefault(line, []).append(node)
    return covering


def _import_only_line(covering, line):
    nodes = covering.get(line)
    return bool(nodes) and all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes)


def _binding(node, alias):
    """The name an import alias binds and what it binds it to."""
    if isinstance(node, ast.Import):
        if alias.asname:
            return alias.asname, ("module", alias.name)
        top = alias.name.split(".")[0]
        return top, ("module", top)
    return alias.asname or alias.name, ("from", node.level or 0, node.module or "", alias.name)


def _old_names(tree):
    """Names the old file binds (other than by import), import bindings by name, and names it reads."""
    bound, imported, used = set(), {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    continue
                name, target = _binding(node, alias)
                imported.setdefault(name, set()).add(target)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            bound.add(node.name)
        elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
            bound.add(node.rest)
    return bound, imported, used


def _shadowing(old_tree, added):
    """Why an added import changes what an existing name means (None when it does not): it rebinds a name
    the old file defines, imports from elsewhere, or reads as a builtin. Names the old file read without
    binding (a NameError) may be imported: that is the missing-import fix."""
    bound, imported, used = _old_names(old_tree)
    for node, alias in added:
        if alias.name == "*":
            return "adds a star import"
        name, target = _binding(node, alias)
        if name in bound:
            return "the added import rebinds %s, which the test file already defines" % name
        if name in imported and imported[name] != {target}:
            return "the added import rebinds %s, which the test file already imports from elsewhere" % name
        if name in used and name not in imported and hasattr(builtins, name):
            return "the added import shadows the builtin %s" % name
    return None


def _only_imports(old_src, new_src, old_tree, new_tree):
    """None when the edit only adds module-level import statements (removed lines were module-level imports
    or blank, added lines are module-level imports with nothing else on the line, or blank/comments), no
    imported name disappeared, and no added import rebinds a name the old file bound or used; otherwise
    why it is not import-only."""
    old_lines = old_src.splitlines()
    new_lines = new_src.splitlines()
    old_cover = _module_imports(old_tree)
    new_cover = _module_imports(new_tree)
    _, old_names = _import_lines(old_tree)
    _, new_names = _import_lines(new_tree)
    changed = False
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        if tag == "equal":
            continue
        changed = True
        for i in range(i1, i2):
            if old_lines[i].strip() and not _import_only_line(old_cover, i + 1):
                return "changes line %d, which is not a module-level import" % (i + 1)
        for j in range(j1, j2):
            text = new_lines[j].strip()
            if text and not text.startswith("#") and not _import_only_line(new_cover, j + 1):
                return "line %d is not only a module-level import" % (j + 1)
    if not changed:
        return "changes nothing but whitespace"
    if old_names - new_names:
        return "drops an imported name"
    added_keys = new_names - old_names
    added = []
    for node in new_tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                key = (getattr(node, "level", 0) or 0, module, alias.name, alias.asname)
                if added_keys[key] > 0:
                    added_keys[key] -= 1
                    added.append((node, alias))
    return _shadowing(old_tree, added)


# ------------------------------------------------------------------------------- text-level fallback

_TEXT_SKIP = re.compile(r"mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail|importorskip)\(|\bskipTest\(|\bunittest\.skip|\bexpectedFailure\b|\bSkipTest\b")
_TEXT_ASSERT = re.compile(r"^\s*assert\b|\.assert\w*\(|\bpytest\.(?:raises|fail)\(", re.M)


def _text_weakenings(old_src, new_src):
    found = []
    if len(_TEXT_SKIP.findall(new_src)) > len(_TEXT_SKIP.findall(old_src)):
        found.append({"kind": "skip_marker", "line": None, "message": "adds a skip/xfail marker"})
    if len(_TEXT_ASSERT.findall(new_src)) < len(_TEXT_ASSERT.findall(old_src)):
        found.append({"kind": "deleted_assert", "line": None, "message": "deletes assertions"})
    return found


def compare_tests(original, fixed, filename="<test>"):
    """Weakenings of `fixed` relative to `original` (a test or conftest file), and importOnly: whether
    the edit does nothing but add import lines. Falls back to a text comparison when either side does
    not parse."""
    try:
        old_tree = ast.parse(original, filename)
    except (SyntaxError, ValueError) as exc:
        old_tree, old_error = None, "%s: %s" % (type(exc).__name__, exc)
    else:
        old_error = None
    try:
        new_tree = ast.parse(fixed, filename)
    except (SyntaxError, ValueError) as exc:
        new_tree, new_error = None, "%s: %s" % (type(exc).__name__, exc)
    else:
        new_error = None
    if old_tree is None or new_tree is None:
        return {
            "parsed": False,
            "parseError": new_error or old_error,
            "importOnly": False,
            "notImportOnly": "does not parse",
            "weakenings": _text_weakenings(original, fixed),
        }
    not_import_only = _only_imports(original, fixed, old_tree, new_tree)
    return {
        "parsed": True,
        "parseError": None,
        "importOnly": not_import_only is None,
        "notImportOnly": not_import_only,
        "weakenings": _weakenings(old_tree, new_tree),
    }


OPS = {"compare_tests": compare_tests}
