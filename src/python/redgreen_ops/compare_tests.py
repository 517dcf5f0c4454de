"""The compare_tests op: compares two versions of a test file and reports every way the new one checks
less than the old one (deleted asserts, skip/xfail marks, weakened comparisons, looser tolerances,
removed pytest.raises, swallowed AssertionErrors, early returns), and whether the edit only adds imports.

Python 3.8+ stdlib only.
"""

import ast
import builtins
import re
from collections import Counter

from ._weakening import _opcodes, _weakenings


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


_TEXT_SKIP = re.compile(
    r"mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail|importorskip)\(|\bskipTest\(|\bunittest\.skip|\bexpectedFailure\b|\bSkipTest\b"
)
_TEXT_ASSERT = re.compile(r"^\s*assert\b|\.assert\w*\(|\bpytest\.(?:raises|fail)\(", re.M)


def _text_weakenings(old_src, new_src):
    found = []
    if len(_TEXT_SKIP.findall(new_src)) > len(_TEXT_SKIP.findall(old_src)):
        found.append({"kind": "skip_marker", "line": None, "message": "adds a skip/xfail marker"})
    if len(_TEXT_ASSERT.findall(new_src)) < len(_TEXT_ASSERT.findall(old_src)):
        found.append({"kind": "deleted_assert", "line": None, "message": "deletes assertions"})
    return found


def _parse(source, filename):
    """(tree, None), or (None, "SyntaxError: ...") when `source` does not parse."""
    try:
        return ast.parse(source, filename), None
    except (SyntaxError, ValueError) as exc:
        return None, "%s: %s" % (type(exc).__name__, exc)


def compare_tests(original, fixed, filename="<test>"):
    """Weakenings of `fixed` relative to `original` (a test or conftest file), and importOnly: whether
    the edit does nothing but add import lines. Falls back to a text comparison when either side does
    not parse."""
    old_tree, old_error = _parse(original, filename)
    new_tree, new_error = _parse(fixed, filename)
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
