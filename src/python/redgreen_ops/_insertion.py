"""The import statement for a chosen home and the minimal edit inserting it next to the file's imports of its group."""

import ast

from ._exports import _STDLIB_TOP


_GROUP_ORDER = {"future": 0, "stdlib": 1, "thirdparty": 2, "local": 3}
_LABEL = {"future": "__future__", "stdlib": "stdlib", "thirdparty": "third-party", "local": "project"}


def _group(module, level, local_tops):
    if level:
        return "local"
    top = (module or "").split(".")[0]
    if top == "__future__":
        return "future"
    if top in local_tops:
        return "local"
    if top in _STDLIB_TOP:
        return "stdlib"
    return "thirdparty"


def _sort_key(module, level):
    return ("." * level + (module or "")).lower()


def _imported_names(c):
    """(name, asname) pairs a from-import candidate binds: its name and the names gathered with it."""
    return sorted([(c["name"], c["asname"])] + [(n, None) for n in c.get("also") or []], key=lambda p: _by_type(p[0]))


def _statement(c, relative_module=None):
    module = relative_module or c["module"]
    if c["name"] is None:
        return "import %s%s" % (module, " as %s" % c["asname"] if c["asname"] else "")
    return "from %s import %s" % (module, ", ".join(n + (" as %s" % a if a else "") for n, a in _imported_names(c)))


def _relative_name(target_module, target_is_package, module):
    """`from .x import` spelling of an absolute project module as seen from the target module."""
    if not target_module:
        return None
    package = target_module.split(".") if target_is_package else target_module.split(".")[:-1]
    parts = module.split(".")
    common = 0
    while common < len(package) and common < len(parts) and package[common] == parts[common]:
        common += 1
    if common == 0:
        return None
    dots = len(package) - common + 1
    return "." * dots + ".".join(parts[common:])


def _top_imports(tree):
    """Top-level import statements before the first def/class (the file's import block)."""
    out = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            break
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            out.append(stmt)
    return out


def _edit_insert(lines, before_line, text):
    """An anchored edit that inserts `text` (lines joined by \\n) before 1-based line `before_line`."""
    n = len(lines)
    if 1 <= before_line <= n and lines[before_line - 1].strip():
        anchor = lines[before_line - 1]
        return {"find": anchor, "replace": text + "\n" + anchor, "nearLine": before_line}
    prev = before_line - 1
    if 1 <= prev <= n and lines[prev - 1].strip():
        anchor = lines[prev - 1]
        return {"find": anchor, "replace": anchor + "\n" + text, "nearLine": prev}
    return {"find": "", "replace": text + "\n", "nearLine": max(1, min(before_line, n + 1))}


def _docstring_end(tree):
    if (
        tree.body
        and isinstance(tree.body[0], ast.Expr)
        and isinstance(getattr(tree.body[0], "value", None), ast.Constant)
        and isinstance(tree.body[0].value.value, str)
    ):
        return getattr(tree.body[0], "end_lineno", tree.body[0].lineno)
    return 0


def _by_type(name):
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name.lower())


def _merge_into(stmt, lines, added):
    """Adds (name, asname) pairs to an existing one-line `from M import a, b` (kept sorted when it was sorted)."""
    if getattr(stmt, "end_lineno", stmt.lineno) != stmt.lineno:
        return None
    line = lines[stmt.lineno - 1]
    if "(" in line or ";" in line or "\\" in line or "#" in line:
        return None
    names = [(a.name, a.asname) for a in stmt.names]
    # isort/ruff order by type (CONSTANTS, Classes, functions), else plain case-insensitive order; else append.
    order = next((o for o in (_by_type, lambda n: n.lower()) if [o(n) for n, _ in names] == sorted(o(n) for n, _ in names)), None)
    for new in added:
        pos = len(names) if order is None else len([n for n, _ in names if order(n) <= order(new[0])])
        names.insert(pos, new)
    spelled = [n + (" as " + a if a else "") for n, a in names]
    head = line[: line.index(" import ") + len(" import ")]
    merged = head + ", ".join(spelled)
    if len(merged) > 99:
        return None
    return {"find": line, "replace": merged, "nearLine": stmt.lineno}


def _sole_function_use(tree, names):
    """The one top-level function whose body holds every read of `names`, else None (its defaults, annotations and
    decorators run when the module loads, so a read there does not count as inside)."""

    def reads(nodes):
        return sum(1 for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load))

    total = reads([tree])
    if total == 0:
        return None
    return next((f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and reads(f.body) == total), None)


def _first_module_use(tree, names):
    """The first line where module-level code (not a function body) reads one of `names`, else None."""

    def reads(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return False
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            return True
        return any(reads(child) for child in ast.iter_child_nodes(node))

    return next((stmt.lineno for stmt in tree.body if reads(stmt)), None)


def _plan_edit(tree, lines, c, statement, module_for_group, level, local_tops, names=()):
    # Only imports above the first module-level use of a restored name: an import below it binds too late.
    use = _first_module_use(tree, set(names))
    imports = [s for s in _top_imports(tree) if use is None or getattr(s, "end_lineno", s.lineno) < use]
    # Same module already imported with `from M import ...`: extend that statement.
    if c["name"] is not None:
        for stmt in imports:
            if (
                isinstance(stmt, ast.ImportFrom)
                and (stmt.level or 0) == level
                and ("." * level + (stmt.module or "")) == ("." * level + (module_for_group or ""))
                and not any(a.name == "*" for a in stmt.names)
            ):
                merged = _merge_into(stmt, lines, _imported_names(c))
                if merged:
                    return merged, "merged into the existing import of %s" % ("." * level + module_for_group)
                end = getattr(stmt, "end_lineno", stmt.lineno)
                return _edit_insert(lines, end + 1, statement), "next to the existing import of the same module"
    group = _group(module_for_group, level, local_tops)
    key = _sort_key(module_for_group, level)
    classified = []
    for stmt in imports:
        mod = stmt.names[0].name if isinstance(stmt, ast.Import) else stmt.module
        lvl = 0 if isinstance(stmt, ast.Import) else (stmt.level or 0)
        classified.append((stmt, _group(mod, lvl, local_tops), _sort_key(mod, lvl)))
    same = [x for x in classified if x[1] == group]
    if same:
        after = [x for x in same if x[2] <= key]
        if after:
            stmt = after[-1][0]
            return _edit_insert(lines, getattr(stmt, "end_lineno", stmt.lineno) + 1, statement), "in the %s imports" % _LABEL[group]
        return _edit_insert(lines, same[0][0].lineno, statement), "in the %s imports" % _LABEL[group]
    later = [x for x in classified if _GROUP_ORDER[x[1]] > _GROUP_ORDER[group]]
    earlier = [x for x in classified if _GROUP_ORDER[x[1]] < _GROUP_ORDER[group]]
    if earlier:
        stmt = earlier[-1][0]
        end = getattr(stmt, "end_lineno", stmt.lineno)
        if end + 1 < len(lines) and not lines[end].strip() and not lines[end + 1].strip():
            # Two blank lines follow: the new group takes the second one's place, keeping one above and one below.
            return _edit_insert(lines, end + 2, statement), "as a new %s group" % _LABEL[group]
        return _edit_insert(lines, end + 1, "\n" + statement), "as a new %s group" % _LABEL[group]
    if later:
        first = later[0][0]
        return _edit_insert(lines, first.lineno, statement + "\n"), "as a new %s group" % _LABEL[group]
    # No imports yet: after the docstring (and before the first statement), separated by blank lines.
    doc_end = _docstring_end(tree)
    next_stmt = next((s for s in tree.body if s.lineno > doc_end), None)
    first_line = next_stmt.lineno if next_stmt is not None else len(lines) + 1
    if next_stmt is not None and getattr(next_stmt, "decorator_list", None):
        first_line = min([first_line] + [d.lineno for d in next_stmt.decorator_list])
    wanted_blank = 2 if isinstance(next_stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else 1
    # Comments directly above the first statement belong to it: insert above them.
    while first_line - 1 > doc_end and lines[first_line - 2].lstrip().startswith("#"):
        first_line -= 1
    if doc_end:
        text = "\n\n" + statement
        if next_stmt is not None:
            gap = sum(1 for ln in lines[doc_end : first_line - 1] if not ln.strip())
            text += "\n" * max(0, wanted_blank - gap)
        return {"find": lines[doc_end - 1], "replace": lines[doc_end - 1] + text, "nearLine": doc_end}, "after the module docstring"
    if next_stmt is None:
        return {"find": "", "replace": statement + "\n", "nearLine": len(lines) + 1}, "as the first statement"
    return _edit_insert(lines, first_line, statement + "\n" * wanted_blank), "at the top of the file"


def _annotation_uses(tree, name, line):
    """Whether an annotation evaluated at `line` (a def's signature or an annotated assignment) names `name`."""
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            last = node.body[0].lineno - 1 if node.body else node.lineno
            if not (first <= line <= max(last, node.lineno)):
                continue
            a = node.args
            annotations = [
                x.annotation
                for x in a.args + a.kwonlyargs + getattr(a, "posonlyargs", []) + [a.vararg, a.kwarg]
                if x is not None and x.annotation is not None
            ] + ([node.returns] if node.returns else [])
        elif isinstance(node, ast.AnnAssign) and node.lineno <= line <= getattr(node, "end_lineno", node.lineno):
            annotations = [node.annotation]
        for ann in annotations:
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ann)):
                return True
            if isinstance(ann, ast.Constant):
                continue
    return False


def _has_future_annotations(tree):
    return any(
        isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names) for s in tree.body
    )


def _future_edit(tree, lines, statement):
    """`from __future__` must come first: right after the docstring (merged into an existing one)."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            merged = _merge_into(stmt, lines, [("annotations", None)])
            if merged:
                return merged
    doc_end = _docstring_end(tree)
    # A blank line separates it from what follows directly (PEP 8 groups).
    gap = "\n" if doc_end < len(lines) and lines[doc_end].strip() else ""
    if doc_end:
        return {"find": lines[doc_end - 1], "replace": lines[doc_end - 1] + "\n" + statement + gap, "nearLine": doc_end}
    return _edit_insert(lines, 1, statement + ("\n" if lines and lines[0].strip() else ""))
