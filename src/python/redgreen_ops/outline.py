"""The outline op: a source's definitions and control-flow counts, which the risk estimate compares."""

import ast
from collections import Counter


_CONTROL = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.Try,
    ast.With,
    ast.AsyncWith,
    ast.Return,
    ast.Raise,
    ast.Break,
    ast.Continue,
)


def _control_counts(body):
    counts = Counter()
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, _CONTROL) or type(node).__name__ in ("TryStar", "Match"):
            counts[type(node).__name__] += 1
        stack.extend(ast.iter_child_nodes(node))
    return dict(counts)


def outline(source, filename="<unknown>"):
    """Definitions (qualified name, kind, line range, signature digest) and per-scope control-flow
    statement counts; the risk estimate compares two outlines."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    defs = []

    def visit(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qual = prefix + node.name
                if isinstance(node, ast.ClassDef):
                    signature = ast.dump(ast.Tuple(elts=node.bases + [k.value for k in node.keywords], ctx=ast.Load()))
                    kind = "class"
                else:
                    signature = ast.dump(node.args) + "->" + (ast.dump(node.returns) if node.returns else "")
                    kind = "async" if isinstance(node, ast.AsyncFunctionDef) else "function"
                signature += "@" + "|".join(ast.dump(d) for d in node.decorator_list)
                defs.append(
                    {
                        "name": qual,
                        "kind": kind,
                        "line": node.decorator_list[0].lineno if node.decorator_list else node.lineno,
                        "endLine": getattr(node, "end_lineno", node.lineno),
                        "signature": signature,
                        "control": _control_counts(node.body) if kind != "class" else {},
                    }
                )
                visit(node.body, qual + ".")
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        visit([n for n in inner if isinstance(n, ast.AST)], prefix)

    visit(tree.body, "")
    return {"ok": True, "defs": defs, "moduleControl": _control_counts(tree.body)}


OPS = {"outline": outline}
