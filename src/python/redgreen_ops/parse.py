"""The parse op: whether a source parses (and compiles), with the warnings compiling it raises."""

import ast
import warnings


def parse(source, filename="<unknown>", compile_check=True):
    """ast.parse (and, by default, a full compile) of a source string.

    compile() also catches what the parser accepts but the compiler rejects ('return' outside a
    function, misplaced nonlocal, TabError). Syntax warnings (e.g. an assert on a tuple) are returned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if compile_check:
                compile(source, filename, "exec", dont_inherit=True)
            else:
                ast.parse(source, filename)
        except SyntaxError as exc:  # includes IndentationError and TabError
            return {
                "ok": False,
                "error": type(exc).__name__,
                "msg": exc.msg,
                "line": exc.lineno,
                "col": exc.offset,
                "endLine": getattr(exc, "end_lineno", None),
                "text": (exc.text or "").rstrip("\r\n"),
            }
        except (ValueError, TypeError, RecursionError, MemoryError) as exc:
            return {"ok": False, "error": type(exc).__name__, "msg": str(exc), "line": None, "col": None}
    found = []
    for w in caught:
        if issubclass(w.category, (SyntaxWarning, DeprecationWarning)):
            found.append({"category": w.category.__name__, "msg": str(w.message), "line": w.lineno})
    return {"ok": True, "warnings": found}


OPS = {"parse": parse}
