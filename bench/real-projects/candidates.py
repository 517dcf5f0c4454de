# Lists one-line mutation candidates of Python source files (AST-based) for bench/real-projects/generate.mjs.
# stdin: {"files": {rel: text}}; stdout: {"candidates": [{kind, how, file, line, original, mutated}]}.
import ast
import builtins
import json
import sys

BUILTINS = set(dir(builtins))


def parents(tree):
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node


def enclosing_function(node):
    cur = getattr(node, "parent", None)
    while cur is not None:
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return cur
        cur = getattr(cur, "parent", None)
    return None


def in_type_checking(node):
    cur = getattr(node, "parent", None)
    while cur is not None:
        if isinstance(cur, ast.If) and "TYPE_CHECKING" in ast.dump(cur.test):
            return True
        cur = getattr(cur, "parent", None)
    return False


def bound_names(tree):
    """Every name the module binds anywhere (imports, defs, assignments, parameters)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                out.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
    return out


def misspell(name):
    """Swaps two adjacent letters in the middle of the name (deterministic); None when that changes nothing."""
    i = len(name) // 2
    if name[i - 1] == name[i]:
        return None
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def single_line(node):
    return node.lineno == node.end_lineno


def candidates(rel, src):
    tree = ast.parse(src)
    parents(tree)
    lines = src.split("\n")
    names = bound_names(tree)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    out = []

    def add(kind, how, node, start, end, replacement):
        text = lines[node.lineno - 1]
        if not text.isascii():
            return
        out.append(
            {
                "kind": kind,
                "how": how,
                "file": rel,
                "line": node.lineno,
                "original": text,
                "mutated": text[:start] + replacement + text[end:],
            }
        )

    for node in ast.walk(tree):
        # deleted-import: a one-line import whose names the file uses (deleting it removes the whole line).
        if isinstance(node, (ast.Import, ast.ImportFrom)) and single_line(node) and not in_type_checking(node):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            bound = [a.asname or a.name.split(".")[0] for a in node.names]
            text = lines[node.lineno - 1]
            if ";" in text or not any(b in used for b in bound) or not text.isascii():
                continue
            indent = text[: len(text) - len(text.lstrip())]
            out.append(
                {
                    "kind": "deleted-import",
                    "how": "delete line" if not indent else "replace by pass",
                    "file": rel,
                    "line": node.lineno,
                    "original": text,
                    "mutated": "" if not indent else indent + "pass",
                }
            )
        # misspelling: one use (inside a function) of a name the module binds, not a builtin.
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and enclosing_function(node) is not None:
            if node.id in BUILTINS or node.id not in names or len(node.id) < 4 or node.id.startswith("__"):
                continue
            wrong = misspell(node.id)
            if wrong is None or wrong in names or wrong in BUILTINS:
                continue
            add("misspelling", "swap two letters", node, node.col_offset, node.end_col_offset, wrong)
        # missing-await: drop one `await`.
        elif isinstance(node, ast.Await) and single_line(node):
            add("missing-await", "drop await", node, node.col_offset, node.value.col_offset, "")
        # undefined-access (None in Python): a None guard that no longer guards, or a return that loses its value.
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)) and isinstance(node.test, ast.Compare) and single_line(node.test):
            t = node.test
            if len(t.ops) == 1 and isinstance(t.comparators[0], ast.Constant) and t.comparators[0].value is None:
                if isinstance(t.ops[0], ast.Is):
                    add("undefined-access", "None guard never taken", t, t.col_offset, t.end_col_offset, "False")
                elif isinstance(t.ops[0], ast.IsNot):
                    add("undefined-access", "None guard always taken", t, t.col_offset, t.end_col_offset, "True")
        elif isinstance(node, ast.Return) and node.value is not None and single_line(node):
            fn = enclosing_function(node)
            is_gen = fn is not None and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(fn))
            if fn is None or is_gen or isinstance(node.value, ast.Constant):
                continue
            add("undefined-access", "return None", node, node.value.col_offset, node.value.end_col_offset, "None")
    return out


def main():
    files = json.loads(sys.stdin.read())["files"]
    found = []
    for rel in sorted(files):
        found.extend(candidates(rel, files[rel]))
    print(json.dumps({"candidates": found}))


main()
