"""AST helpers several ops share: parents maps, end lines, node text, a function's own nodes, functions by line."""

import ast


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
    parts = [lines[first - 1][start:]] + lines[first : last - 1] + [lines[last - 1][:stop]]
    return "\n".join(parts)


def _own_nodes(func):
    """Nodes of a function body, last statement first. Functions, classes and lambdas nested in a statement are left out
    with everything in them; a def or class that is itself a statement of the body is kept and walked into."""
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


def _dotted_parts(node, through_calls=False):
    """The names of a dotted chain, last first (`a.b.c` -> ['c', 'b', 'a']); [] unless it starts at a plain name.
    through_calls: a call stands for its callee (`a.b().c` -> ['b', 'a']) and a chain on any other base keeps the
    attributes it has (`x[0].y` -> ['y'])."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts
    if through_calls:
        return _dotted_parts(node.func, True) if isinstance(node, ast.Call) else parts
    return []
