"""The list_imports op: every import statement of a source, with its scope and whether an ImportError guard covers it."""

import ast


def _guarded_by_import_error(handlers):
    for handler in handlers:
        if handler.type is None:
            return True
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for n in names:
            ident = n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None)
            if ident in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException"):
                return True
    return False


def _collect_imports(tree):
    found = []

    def visit(node, guarded, scope):
        for child in ast.iter_child_nodes(node):
            child_guarded = guarded
            child_scope = scope
            if isinstance(node, ast.Try) and child in node.body and _guarded_by_import_error(node.handlers):
                child_guarded = True
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                child_scope = "function" if not isinstance(child, ast.ClassDef) else "class"
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(
                        {
                            "kind": "import",
                            "module": alias.name,
                            "level": 0,
                            "names": [],
                            "asname": alias.asname,
                            "line": child.lineno,
                            "endLine": getattr(child, "end_lineno", child.lineno),
                            "guarded": child_guarded,
                            "scope": scope,
                        }
                    )
            elif isinstance(child, ast.ImportFrom):
                found.append(
                    {
                        "kind": "from",
                        "module": child.module,
                        "level": child.level or 0,
                        "names": [[a.name, a.asname] for a in child.names],
                        "asname": None,
                        "line": child.lineno,
                        "endLine": getattr(child, "end_lineno", child.lineno),
                        "guarded": child_guarded,
                        "scope": scope,
                    }
                )
            visit(child, child_guarded, child_scope)

    visit(tree, False, "module")
    return found


def list_imports(source, filename="<unknown>"):
    """Every import statement, in source order: module, imported names, relative level, lines, and
    whether it sits in a try that handles ImportError ("guarded")."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError) as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    return {"ok": True, "imports": _collect_imports(tree)}


OPS = {"list_imports": list_imports}
