"""The overfit_findings op: whether a fix fits itself to the failing tests (their literals, exact inputs, or names).

Findings {rule, key, line, evidence} of the fixed version, compared by the caller (src/validation/findings.ts) with
the original's as multisets of (rule, key). Python 3.8+ stdlib only.
"""

import ast
import re
from collections import Counter

from ._qualify import _aliases, _parents, _parse, _qualify, _walk
from .policy import _FRAME_NAMES, _Findings, _LITERAL_CONTEXTS, _NUMBER, _TEST_INFRA, _TRIVIAL_NUMBERS


def _literal_key(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return "n:%r" % float(value)
        except OverflowError:
            return "n:" + str(value)
    if isinstance(value, str):
        if _NUMBER.match(value.strip()):
            return "n:%r" % float(value.strip())
        return "s:" + value
    if isinstance(value, bytes):
        return "b:" + repr(value)
    return None


def _literals(tree, parents=None):
    """(key, node) for every literal (negative numbers as one literal), docstrings excluded."""
    parents = parents if parents is not None else _parents(tree)
    out = []
    for node in _walk(tree):
        if not isinstance(node, ast.Constant):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):
            continue
        value = node.value
        anchor = node
        if (
            isinstance(parent, ast.UnaryOp)
            and isinstance(parent.op, ast.USub)
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            value, anchor = -value, parent
        key = _literal_key(value)
        if key is not None:
            out.append((key, anchor))
    return out


def _trivial(key, node, parents):
    if key.startswith("n:"):
        try:
            if float(key[2:]) in _TRIVIAL_NUMBERS:
                return True
        except ValueError:
            return False
        parent = parents.get(node)
        if type(parent).__name__ == "Index":
            parent = parents.get(parent)
        return isinstance(parent, (ast.Subscript, ast.Slice)) and parent.value is not node
    return key.startswith("s:") and len(key) <= 3


def _find_test(tree, name):
    """The test function a node id's name part names (`TestCart::test_total[x]`), or None."""
    path = [re.sub(r"\[.*$", "", p) for p in name.split("::") if p]
    body, found = tree.body, None
    for i, part in enumerate(path):
        last = i == len(path) - 1
        found = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part), None)
        if found is None:
            return None
        if not last:
            body = found.body
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _test_facts(tests):
    """Literal keys of the failing test functions (decorators and module constants they read included), and their names.
    Each test file is parsed once, however many of its tests failed (30 failures in a 240 KB test module are common)."""
    keys, names, trees = set(), set(), {}
    for test in tests:
        name = test.get("name") or ""
        source, file = test.get("source") or "", test.get("file") or "<test>"
        if (file, source) not in trees:
            trees[(file, source)] = _parse(source, file)
        tree = trees[(file, source)]
        if tree is None:
            continue
        fn = _find_test(tree, name)
        if fn is None:
            continue
        names.add(fn.name)
        keys.update(k for k, _ in _literals(fn))
        read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if any(isinstance(t, ast.Name) and t.id in read for t in targets):
                    keys.update(k for k, _ in _literals(stmt))
    return keys, names


def _context(node, parents):
    """The nearest comparison, return, dict or conditional expression around a literal (up to its statement)."""
    cur = parents.get(node)
    while cur is not None and not isinstance(cur, ast.stmt):
        if isinstance(cur, _LITERAL_CONTEXTS) or type(cur).__name__ == "match_case":
            return cur
        cur = parents.get(cur)
    return cur if isinstance(cur, ast.Return) else None


def _contains(node, targets):
    return any(n in targets for n in ast.walk(node))


def _guard_compares(test, literal_nodes):
    """Comparisons in a condition of a name against a test literal."""
    for cmp in (n for n in ast.walk(test) if isinstance(n, ast.Compare)):
        sides = [cmp.left] + list(cmp.comparators)
        has_name = any(isinstance(s, (ast.Name, ast.Attribute)) for s in sides)
        if has_name and any(_contains(s, literal_nodes) for s in sides) and any(isinstance(op, (ast.Eq, ast.In, ast.Is)) for op in cmp.ops):
            return cmp
    return None


def _name_findings(tree, source, names, aliases, parents):
    found = _Findings(source)
    for node in _walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == "PYTEST_CURRENT_TEST" or node.value in names:
                found.add("overfit.test_name_branch", "name:" + node.value, node)
        elif isinstance(node, ast.Attribute) and node.attr in _FRAME_NAMES:
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                root = root.func if isinstance(root, ast.Call) else root.value
                q = _qualify(root, aliases) or ""
                if _TEST_INFRA.match(q) and re.search(r"(?:_getframe|stack|currentframe|frames)", q):
                    top = node
                    while isinstance(parents.get(top), (ast.Attribute, ast.Subscript, ast.Call)):
                        top = parents[top]
                    found.add("overfit.test_name_branch", "frame:" + node.attr, node, top)
                    break
    return found.items


def _constant_keys(tree):
    """Module-level names and the literal keys of the value each is bound to (`FLAT_RATE = Decimal("4.95")`)."""
    keys = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    keys.setdefault(t.id, set()).update(k for k, _ in _literals(stmt.value))
    return keys


def _literal_findings(old_literals, new_tree, new_parents, fixed, test_keys):
    """Special-cased test inputs and copied test literals in the fixed version. A test literal is `added` when the fixed
    version holds more of it than the original, `fresh` when the original has none. A guard compares a name for
    equality with an added one and returns a test's value (a literal or a module constant bound to one); a table of two
    or more added ones in comparisons, returns or dicts needs at least one fresh."""
    old_counts = Counter(k for k, _ in old_literals)
    all_literals = _literals(new_tree, new_parents)
    new_literals = [(k, n) for k, n in all_literals if k in test_keys and not _trivial(k, n, new_parents)]
    new_counts = Counter(k for k, _ in new_literals)
    added = [(k, n) for k, n in new_literals if new_counts[k] > old_counts[k]]
    added_nodes = {n for _, n in added}
    fresh = {n for k, n in added if old_counts[k] == 0}
    constants = {name for name, keys in _constant_keys(new_tree).items() if keys & test_keys}
    valued = {n for k, n in all_literals if k in test_keys}
    valued.update(n for n in _walk(new_tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in constants)
    segment = lambda n: " ".join((ast.get_source_segment(fixed, n) or "").split())  # noqa: E731
    found = []
    for cond in (n for n in _walk(new_tree) if isinstance(n, (ast.If, ast.IfExp))):
        if _guard_compares(cond.test, added_nodes) is None:
            continue
        yields = (
            [cond.body]
            if isinstance(cond, ast.IfExp)
            else [s.value for b in cond.body for s in ast.walk(b) if isinstance(s, ast.Return) and s.value]
        )
        if any(_contains(y, valued) for y in yields):
            evidence = "special-cases a test input: %s" % segment(cond.test if isinstance(cond, ast.If) else cond)[:160]
            found.append({"rule": "overfit.test_inputs", "key": "guard:%d" % cond.lineno, "line": cond.lineno, "evidence": evidence})
    in_context = {}
    for key, node in added:
        if _context(node, new_parents) is not None:
            in_context.setdefault(key, node)
    if len(in_context) >= 2 and any(n in fresh for n in in_context.values()):
        first = min(in_context.values(), key=lambda n: n.lineno)
        shown = ", ".join(sorted(segment(n) for n in in_context.values()))
        found.append(
            {
                "rule": "overfit.test_literals",
                "key": "literals",
                "line": first.lineno,
                "evidence": "introduces the failing test's literals %s" % shown[:160],
            }
        )
    return found


def overfit_findings(original, fixed, filename="<fix>", tests=()):
    """How the fixed file fits itself to the failing tests, as findings of both versions ({original, fixed}: the caller
    compares them): test names and frame inspection in either; literals taken from the failing tests (two or more in
    comparisons, returns, dicts) and special-cased test inputs in the fixed one only.
    tests: [{name: the node id after "::", file, source}]."""
    old_tree, new_tree = _parse(original, filename), _parse(fixed, filename)
    if old_tree is None or new_tree is None:
        return {"parsed": False, "original": [], "fixed": []}
    test_keys, names = _test_facts(tests)
    old_parents, new_parents = _parents(old_tree), _parents(new_tree)
    before = _name_findings(old_tree, original, names, _aliases(old_tree), old_parents)
    found = _name_findings(new_tree, fixed, names, _aliases(new_tree), new_parents)
    found.extend(_literal_findings(_literals(old_tree, old_parents), new_tree, new_parents, fixed, test_keys))
    return {"parsed": True, "original": before, "fixed": found}


OPS = {"overfit_findings": overfit_findings}
