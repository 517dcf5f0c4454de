"""The dotted names a module's expressions stand for (aliases, imports), over a cached walk of its tree."""

import ast


_DYNAMIC_IMPORTS = {"__import__", "importlib.import_module"}


def _parse(source, filename):
    try:
        return ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return None


def _walk(tree):
    """ast.walk's nodes as a list kept on the node: the rules walk the same module many times (10 walks of a
    5,000-line module were most of overfit_findings' time)."""
    nodes = tree.__dict__.get("_redgreen_nodes")
    if nodes is None:
        nodes = tree._redgreen_nodes = list(ast.walk(tree))
    return nodes


def _parents(tree):
    parents = {}
    for node in _walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _index(sub):
    """A subscript's index expression (Python 3.8 wraps it in ast.Index)."""
    s = sub.slice
    return s.value if type(s).__name__ == "Index" else s


def _aliases(tree):
    """Local name -> dotted name it stands for: imports, and `x = <dotted name>` assignments."""
    aliases = {}
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name != "*":
                    aliases[a.asname or a.name] = "%s.%s" % (node.module, a.name)
    for node in _walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            q = _qualify(node.value, aliases)
            if q and q != node.targets[0].id and ("." in q or q in ("eval", "exec", "compile", "open", "__import__")):
                aliases.setdefault(node.targets[0].id, q)
    # A name the file binds itself (a local `compile`, a parameter `socket`) refers to nothing known: None.
    for node in _walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            aliases.setdefault(node.id, None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            aliases.setdefault(node.name, None)
        elif isinstance(node, ast.arg):
            aliases.setdefault(node.arg, None)
    return aliases


def _qualify(node, aliases):
    """The dotted name an expression refers to (`sp.run` -> `subprocess.run`, `__import__("os")` -> `os`), or None."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        base = _qualify(node.value, aliases)
        return base + "." + node.attr if base else None
    if isinstance(node, ast.Call) and node.args:
        func = _qualify(node.func, aliases)
        first = _str(node.args[0])
        if func in _DYNAMIC_IMPORTS and first:
            return first
        if func == "getattr" and len(node.args) >= 2 and _str(node.args[1]):
            base = _qualify(node.args[0], aliases)
            return base + "." + _str(node.args[1]) if base else None
    return None
