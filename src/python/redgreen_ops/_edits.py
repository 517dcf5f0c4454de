"""Line edits the fix patterns return: indentation of a line and of a source, replacing lines, inserting text around a node."""

import io
import tokenize

from ._ast import _char_col, _end


def _indent_of(line):
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(source):
    """The file's indentation step (from tokenize INDENT tokens); four spaces when it has none."""
    steps = {}
    prev = [""]
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.INDENT:
                parent = prev[-1]
                step = tok.string[len(parent) :] if tok.string.startswith(parent) else tok.string
                if step:
                    steps[step] = steps.get(step, 0) + 1
                prev.append(tok.string)
            elif tok.type == tokenize.DEDENT and len(prev) > 1:
                prev.pop()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    if not steps:
        return "    "
    return sorted(steps.items(), key=lambda kv: (-kv[1], len(kv[0])))[0][0]


def _line_edit(lines, first, last, new_text):
    """Edit replacing whole lines first..last (1-based) with new_text."""
    return {"find": "\n".join(lines[first - 1 : last]), "replace": new_text, "nearLine": first}


def _insert_text(lines, node, before, after):
    """Wraps a node's source with text before/after, returning (first, last, new lines text)."""
    first, last = node.lineno, _end(node)
    start = _char_col(lines[first - 1], node.col_offset)
    stop = _char_col(lines[last - 1], node.end_col_offset)
    block = lines[first - 1 : last]
    if first == last:
        ln = block[0]
        block[0] = ln[:start] + before + ln[start:stop] + after + ln[stop:]
    else:
        block[0] = block[0][:start] + before + block[0][start:]
        block[-1] = block[-1][:stop] + after + block[-1][stop:]
    return first, last, "\n".join(block)
