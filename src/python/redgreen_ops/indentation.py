"""The check_indentation op: tabs mixed with spaces and inconsistent indentation, per line."""

import io
import tokenize
from collections import Counter


def _indent_kind(ws):
    has_tab = "\t" in ws
    has_space = " " in ws
    if has_tab and has_space:
        return "mixed"
    return "tabs" if has_tab else "spaces"


def check_indentation(source):
    """Tokenizes the source and reports how it indents: tabs or spaces, the indent width, and the lines
    that do not follow the file's own convention.

    lines: [line, indent text] for every indented logical line; steps: [line, columns added] for every
    INDENT token (a tab counts as one column, so steps of tab-indented files are in tabs)."""
    lines = []
    steps = []
    stack = [""]
    at_line_start = True
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.INDENT:
                parent = stack[-1]
                steps.append([tok.start[0], len(tok.string) - len(parent)])
                stack.append(tok.string)
            elif tok.type == tokenize.DEDENT:
                if len(stack) > 1:
                    stack.pop()
            if tok.type in (tokenize.NEWLINE, tokenize.NL):
                at_line_start = True
                continue
            if tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            if at_line_start:
                at_line_start = False
                row = tok.start[0]
                ws = tok.line[: tok.start[1]]
                if ws:
                    lines.append([row, ws])
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        if line is None and isinstance(exc, tokenize.TokenError) and len(exc.args) > 1:
            line = exc.args[1][0]
        msg = exc.msg if isinstance(exc, SyntaxError) else str(exc.args[0] if exc.args else exc)
        return {"ok": False, "error": type(exc).__name__, "msg": msg, "line": line}

    kinds = Counter(_indent_kind(ws) for _, ws in lines)
    if not lines:
        style = "none"
    elif kinds["mixed"] or (kinds["tabs"] and kinds["spaces"]):
        style = "mixed"
    else:
        style = "tabs" if kinds["tabs"] else "spaces"
    # The width is the most common step; a tie goes to the smaller step (4 beats 8 in a nested file).
    step_counts = Counter(s for _, s in steps if s > 0)
    width = None
    if step_counts:
        best = max(step_counts.values())
        width = min(s for s, c in step_counts.items() if c == best)
    majority = None
    if kinds:
        majority = "tabs" if kinds["tabs"] > kinds["spaces"] else "spaces"
    mixed_lines = [row for row, ws in lines if _indent_kind(ws) == "mixed"]
    minority_lines = [row for row, ws in lines if majority is not None and _indent_kind(ws) not in (majority, "mixed")]
    odd_steps = [row for row, s in steps if width and s > 0 and s % width != 0]
    return {
        "ok": True,
        "style": style,
        "width": width,
        "tabLines": kinds["tabs"],
        "spaceLines": kinds["spaces"],
        "mixedLines": mixed_lines,
        "minorityLines": minority_lines,
        "oddStepLines": odd_steps,
        "lines": lines,
        "steps": steps,
    }


OPS = {"check_indentation": check_indentation}
