"""The commit_sites op: project functions reachable from a test that write to a session/connection and never commit."""

import ast
import re

from ._ast import _end, _functions, _innermost_function, _own_nodes, _parents, _segment
from ._await import _call_name, _terminal
from ._edits import _indent_of
from ._project import _load
from ._reach import _local_types, _project_functions, _reachable, _test_roots


_WRITE_METHODS = {"add", "add_all", "merge", "delete", "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
_EXEC_METHODS = {"execute", "executemany"}
_SQL_WRITE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(insert|update|delete|replace|upsert)\b", re.I)
_DB_NAME = re.compile(r"(?:^|_)(?:session|sess|db|conn|connection|con|cursor|cur|uow|tx|transaction|dbsession)(?:$|_)", re.I)
_DB_TYPES = re.compile(r"Session|Connection|Cursor|AsyncSession|Engine", re.I)


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _string_value(node, func, module_tree):
    """The SQL text of an execute() argument: a literal, text("..."), or a name bound to one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Call) and _call_name(node) == "text" and node.args:
        return _string_value(node.args[0], func, module_tree)
    if isinstance(node, ast.Name):
        for scope in (list(_own_nodes(func)), module_tree.body):
            for stmt in scope:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
                    if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                        return stmt.value.value
    return None


def _is_write_statement(node):
    """sqlalchemy insert(...)/update(...)/delete(...) statements, possibly chained (.values(), .where())."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Call) and _call_name(node) in ("insert", "update", "delete")


def _db_receiver(recv, func, types):
    name = _terminal(recv)
    if name and _DB_NAME.search(name):
        return True
    root = _root_name(recv)
    if isinstance(recv, ast.Name) and recv.id in types and _DB_TYPES.search(types[recv.id]):
        return True
    for node in _own_nodes(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if any(isinstance(t, ast.Name) and t.id == root for t in node.targets):
                callee = _call_name(node.value) or ""
                if callee in ("connect", "cursor", "Session", "sessionmaker", "session_factory", "begin") or _DB_TYPES.search(callee):
                    return True
                if isinstance(node.value.func, ast.Call):
                    return True  # sessionmaker(...)()
    return False


def _writes(entry, tree):
    func = entry["node"]
    types = _local_types(func)
    out = []
    for node in _own_nodes(func):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        recv = node.func.value
        if method in _WRITE_METHODS:
            if method == "add" and not node.args:
                continue
            if _db_receiver(recv, func, types):
                out.append((node, recv, method))
        elif method in _EXEC_METHODS and node.args:
            sql = _string_value(node.args[0], func, tree)
            if (sql is not None and _SQL_WRITE.search(sql)) or _is_write_statement(node.args[0]):
                out.append((node, recv, method))
    return out


_SQL_COMMIT = re.compile(r"^\s*(?:commit|end)(?:\s+(?:transaction|work))?\s*;?\s*$", re.I)
_SQL_METHODS = _EXEC_METHODS | {"executescript", "exec_driver_sql"}


def _is_commit(node, func, tree):
    """A commit: `.commit()`, or SQL COMMIT/END sent through execute (`cursor.execute("COMMIT")`, `text("commit")`)."""
    if not isinstance(node, ast.Call):
        return False
    name = _call_name(node)
    if name == "commit":
        return True
    if name in _SQL_METHODS and node.args:
        sql = _string_value(node.args[0], func, tree)
        return sql is not None and _SQL_COMMIT.match(sql) is not None
    return False


def _commits_after(func, line, tree):
    """Whether the function's own body commits at or after a line."""
    return any(_is_commit(node, func, tree) and _end(node) >= line for node in _own_nodes(func))


def _calls_commit(entry):
    loaded = _load(entry["file"])
    tree = loaded[2] if loaded else ast.Module(body=[], type_ignores=[])
    return any(_is_commit(n, entry["node"], tree) for n in _own_nodes(entry["node"]))


def _in_transaction_block(func, call, recv_root, parents):
    """The write runs inside `with session.begin():`, `with engine.begin() as conn:` or `with conn:` (sqlite3)."""
    node = parents.get(call)
    while node is not None and node is not func:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and _call_name(expr) in ("begin", "begin_nested", "transaction"):
                    return True
                if isinstance(expr, ast.Name) and expr.id == recv_root and item.optional_vars is None:
                    return True
        node = parents.get(node)
    return False


def _commit_receiver(recv, func, lines):
    """Who to call .commit() on: the session/connection itself; for a sqlite3 cursor, its connection."""
    text = _segment(lines, recv)
    if "\n" in text:
        return None
    root = _root_name(recv)
    name = _terminal(recv) or ""
    for node in _own_nodes(func):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value) == "cursor"
            and any(isinstance(t, ast.Name) and t.id == root for t in node.targets)
            and isinstance(node.value.func, ast.Attribute)
        ):
            owner = _segment(lines, node.value.func.value)
            if "\n" not in owner:
                return owner
    if re.search(r"(?:^|_)(cursor|cur)$", name, re.I):
        return text + ".connection"
    return text


def _stmt_ancestors(node, parents, stop):
    """Statements containing node, innermost first, up to (not including) `stop`."""
    out = []
    cur = parents.get(node)
    while cur is not None and cur is not stop:
        if isinstance(cur, ast.stmt):
            out.append(cur)
        cur = parents.get(cur)
    return out


_ENDS_TRANSACTION = {"close", "rollback", "dispose", "expunge_all", "invalidate"}


def _leaves_after(stmt, line):
    """A return/raise, or a close()/rollback(), inside stmt after a line: a commit placed after stmt would
    be skipped or would run on a closed/rolled-back session."""
    for n in ast.walk(stmt):
        if isinstance(n, (ast.Return, ast.Raise)) and n.lineno > line:
            return True
        if isinstance(n, ast.Call) and _call_name(n) in _ENDS_TRANSACTION and n.lineno > line:
            return True
    return False


def _commit_edit(lines, func, call, recv, parents):
    """Inserts `<receiver>.commit()` after the outermost statement holding the last write, without lifting
    it past an early return or a close()/rollback(), out of a `try` (its finally/except would run first),
    or out of a `with ... as <session>` block that binds the receiver."""
    receiver = _commit_receiver(recv, func, lines)
    if not receiver:
        return None, "cannot spell the session/connection receiver"
    root = _root_name(recv)
    last_write = _end(call)
    chosen = None
    for stmt in _stmt_ancestors(call, parents, func):
        if isinstance(stmt, ast.Return):
            if chosen is None:
                return None, "the write is part of a return statement"
            break
        if isinstance(stmt, (ast.With, ast.AsyncWith)) and any(
            isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == root for i in stmt.items
        ):
            break  # the session closes at the end of this block: commit inside it
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            break  # finally/except (close, rollback, raise) run before anything after the try: commit inside it
        if chosen is not None and _leaves_after(stmt, last_write):
            break
        chosen = stmt
    if chosen is None:
        return None, "no statement to insert after"
    indent = _indent_of(lines[chosen.lineno - 1])
    last = _end(chosen)
    anchor = lines[last - 1]
    edit = {"find": anchor, "replace": anchor + "\n" + indent + receiver + ".commit()", "nearLine": last}
    return {"edit": edit, "receiver": receiver, "afterLine": last}, ""


_READ_METHODS = {
    "fetchone",
    "fetchall",
    "fetchmany",
    "scalar",
    "scalars",
    "scalar_one",
    "scalar_one_or_none",
    "query",
    "get",
    "first",
    "one",
    "one_or_none",
    "all",
    "count",
    "execute",
    "exec_driver_sql",
    "read_sql",
}


_OPENERS = {"connect", "Session", "sessionmaker", "session_factory", "begin", "cursor", "SessionLocal"}


def _db_call(node):
    """A call that opens a connection/session (`connect(path)`, `Session(engine)`) or reads rows (`.fetchall()`)."""
    name = _call_name(node) or ""
    if name in _OPENERS or (_DB_TYPES.search(name) and name[:1].isupper()):
        return True
    return isinstance(node.func, ast.Attribute) and name in _READ_METHODS


def _db_use(expr, handles, helpers):
    """How an expression touches the database: a query or a new connection, a test-file helper that reads, or a
    name bound to a database handle or to what one returned; None when it does not."""
    for n in ast.walk(expr):
        if isinstance(n, ast.Name) and n.id in handles:
            return "uses %s, read through a database handle" % n.id
        if isinstance(n, ast.Call) and _db_call(n):
            return "calls %s()" % _call_name(n)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in helpers:
            return "calls %s(), which reads the database" % n.func.id
    return None


def _bound_names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)] if target is not None else []


def _read_back(test_file, test_function, test_class, line):
    """Evidence that the failing statement of the test (the one at `line`) checks data read back from the database:
    it runs a query, opens a connection, calls a test-file helper that does, or uses a name the test bound from one
    (a session/connection parameter counts as a handle). "" when it does not: its failure is about something else."""
    loaded = _load(test_file)
    if loaded is None or not line:
        return ""
    _, _, tree = loaded
    base = re.sub(r"\[.*$", "", test_function or "")
    funcs = _functions(tree)
    test = next((n for q, n, c in funcs if n.name == base and (test_class is None or (c is not None and c.name == test_class))), None)
    if test is None:
        return ""
    helpers = {
        n.name for q, n, c in funcs if n is not test and c is None and any(isinstance(x, ast.Call) and _db_call(x) for x in _own_nodes(n))
    }
    handles = {a.arg for a in test.args.args if _DB_NAME.search(a.arg)}
    failing = None
    compound = (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try)
    for node in sorted((n for n in _own_nodes(test) if isinstance(n, ast.stmt)), key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, compound):
            if node.lineno >= line:
                continue
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if _db_use(item.context_expr, handles, helpers):
                        handles.update(_bound_names(item.optional_vars))
            elif isinstance(node, (ast.For, ast.AsyncFor)) and _db_use(node.iter, handles, helpers):
                handles.update(_bound_names(node.target))
        elif node.lineno <= line <= _end(node):
            failing = node
        elif node.lineno < line and isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            if _db_use(node.value, handles, helpers):
                for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    handles.update(_bound_names(t))
    if failing is None:
        return ""
    why = _db_use(failing, handles, helpers)
    return "%s:%d %s" % (test_file, failing.lineno, why) if why else ""


def commit_sites(test_file, test_function, test_class=None, frames=None, failing_line=None):
    """Project functions reachable from the test (and from the failure's frames) that write through a
    session or connection and never commit, with the edit adding `<receiver>.commit()` after the last write;
    `readBack` tells whether the failing statement of the test (at failing_line) checks data read from the database."""
    by_name, _, _, modules = _project_functions()
    read_back = _read_back(test_file, test_function, test_class, failing_line)
    roots = _test_roots(test_file, test_function, test_class, by_name)
    for fr in frames or []:
        loaded = _load(fr.get("file", "")) if fr.get("file") else None
        if loaded is None:
            continue
        inner = _innermost_function(loaded[2], int(fr.get("line") or 0))
        if inner is not None:
            for e in by_name.get(inner[0].name, []):
                if e["file"] == fr["file"] and e["node"] is inner[0]:
                    roots.append(e)
    if not roots:
        return {"sites": [], "reason": "test function %s not found in %s" % (test_function, test_file), "visited": 0, "readBack": read_back}
    order = _reachable(roots, by_name, modules)
    parent_of = {(e["file"], e["qualname"]): p for e, _, p in order}
    sites = []
    for entry, depth, parent in order:
        if entry["test"]:
            continue
        loaded = _load(entry["file"])
        if loaded is None:
            continue
        _, lines, tree = loaded
        writes = _writes(entry, tree)
        if not writes:
            continue
        parents = _parents(tree)
        pending = [w for w in writes if not _in_transaction_block(entry["node"], w[0], _root_name(w[1]), parents)]
        if not pending:
            continue
        last_call, last_recv, method = max(pending, key=lambda w: (_end(w[0]), w[0].col_offset))
        if _commits_after(entry["node"], last_call.lineno, tree):
            continue
        # A caller on the path that commits (a service around a repository) makes this write fine.
        committed_above = False
        p = parent
        while p is not None:
            if _calls_commit(p):
                committed_above = True
                break
            p = parent_of.get((p["file"], p["qualname"]))
        if committed_above:
            continue
        planned, why = _commit_edit(lines, entry["node"], last_call, last_recv, parents)
        if planned is None:
            sites.append({"file": entry["file"], "function": entry["qualname"], "line": last_call.lineno, "edit": None, "reason": why})
            continue
        sites.append(
            {
                "file": entry["file"],
                "function": entry["qualname"],
                "line": last_call.lineno,
                "method": method,
                "receiver": planned["receiver"],
                "depth": depth,
                "edit": planned["edit"],
                "reason": "",
            }
        )
    return {
        "sites": sites,
        "visited": len(order),
        "reason": "" if sites else "no uncommitted write reachable from the test",
        "readBack": read_back,
    }


OPS = {"commit_sites": commit_sites}
