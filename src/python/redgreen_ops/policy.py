"""The policy_findings op: what a fix's added code does that a fix must not (touch test infrastructure, execute or
fetch code, read secret or whole environments, write files).

It reports findings {rule, key, line, evidence} of a version of the file; the caller (src/validation/findings.ts)
compares the versions as multisets of (rule, key), so code that was already there, even where it moved, is never
reported. Python 3.8+ stdlib only.
"""

import ast
import re

from ._qualify import _DYNAMIC_IMPORTS, _aliases, _index, _parents, _parse, _qualify, _str, _walk


_TEST_INFRA = re.compile(
    r"^(?:_pytest|pytest\.(?:hookimpl|hookspec)|sys\.(?:modules|_getframe|settrace|setprofile|_current_frames)"
    r"|inspect\.(?:stack|currentframe|getouterframes|getinnerframes|trace)|traceback\.(?:extract_stack|walk_stack)"
    r"|builtins|__builtins__|os\.(?:_exit|abort|kill|killpg)|atexit|faulthandler)(?:\.|$)"
)


_EXEC = re.compile(
    r"^(?:os\.(?:system|popen|exec\w*|spawn\w*|fork|forkpty|posix_spawn\w*)|subprocess|pty|ctypes|cffi|runpy"
    r"|multiprocessing|concurrent\.futures\.ProcessPoolExecutor|marshal\.loads|importlib\.(?:util\.spec_from_file_location"
    r"|machinery|__import__)|exec|eval|compile|code\.(?:interact|InteractiveInterpreter|InteractiveConsole))(?:\.|$)"
)


_NETWORK = re.compile(
    r"^(?:socket|socketserver|ssl|urllib\.request|urllib2|urllib3|http\.client|http\.server|httplib|requests|httpx|aiohttp"
    r"|ftplib|smtplib|poplib|imaplib|telnetlib|nntplib|xmlrpc\.client|websocket|websockets"
    r"|asyncio\.(?:open_connection|start_server|open_unix_connection))(?:\.|$)"
)


_FILE_WRITE = re.compile(
    r"^(?:os\.(?:remove|unlink|rename|renames|replace|rmdir|removedirs|truncate|ftruncate|mkdir|makedirs|symlink|link"
    r"|chmod|chown|utime|write|mkfifo)|shutil)(?:\.|$)"
)


_WRITE_METHODS = {"write_text", "write_bytes", "unlink", "rmdir", "touch", "symlink_to", "hardlink_to"}
_OPEN_CALLS = {"open", "io.open", "codecs.open", "os.fdopen", "builtins.open"}
_MODE_TEXT = re.compile(r"^[rwaxbtU+]+$")
_ENV_READERS = {
    "os.getenv",
    "os.getenvb",
    "os.environ.get",
    "os.environ.pop",
    "os.environ.setdefault",
    "os.environ.__getitem__",
    "os.environb.get",
    "os.environb.pop",
}


_ENV_ROOTS = ("os.environ", "os.environb")
_TOOL_ENV = re.compile(r"^(?:REDGREEN_|PYTEST_)\w*$")
_EXITS = {"sys.exit", "exit", "quit"}
_FRAME_NAMES = {"function", "co_name", "f_code", "f_back", "code_context"}
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_TRIVIAL_NUMBERS = {-1.0, 0.0, 1.0, 2.0}
_LITERAL_CONTEXTS = (ast.Compare, ast.Return, ast.Dict, ast.IfExp)


class _Findings(object):
    def __init__(self, source):
        self.source = source
        self.items = []

    def add(self, rule, what, node, evidence_node=None):
        segment = ast.get_source_segment(self.source, evidence_node or node) or what
        evidence = " ".join(segment.split())
        if len(evidence) > 160:
            evidence = evidence[:157] + "..."
        self.items.append({"rule": rule, "key": what, "line": node.lineno, "evidence": evidence})


def _mode_of(call, position):
    for kw in call.keywords:
        if kw.arg == "mode":
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _env_name_rule(name, secret_re, not_secret):
    # Tool variables (REDGREEN_*, PYTEST_*) are reported by the literal rule wherever their names appear.
    if not _TOOL_ENV.match(name) and name.upper() not in not_secret and secret_re.search(name):
        return "policy.secret_env"
    return None


def _env_use(found, node, q, parent, secret_re, not_secret):
    """Reads of os.environ / os.getenv: secret-named or computed names, and reads of the whole environment."""
    call = parent if isinstance(parent, ast.Call) and parent.func is node else None
    if q in _ENV_READERS:
        name = _str(call.args[0]) if call and call.args else None
        if call is None or name is None:
            found.add("policy.secret_env", "env:computed", node, call or node)
        else:
            rule = _env_name_rule(name, secret_re, not_secret)
            if rule:
                found.add(rule, "env:" + name, node, call)
        return
    if q not in _ENV_ROOTS:
        found.add("policy.secret_env", "env:whole:" + q, node, call or node)
        return
    if isinstance(parent, ast.Subscript) and parent.value is node:
        if not isinstance(parent.ctx, ast.Load):
            return
        name = _str(_index(parent))
        rule = "policy.secret_env" if name is None else _env_name_rule(name, secret_re, not_secret)
        if rule:
            found.add(rule, "env:%s" % (name if name is not None else "computed"), node, parent)
        return
    if isinstance(parent, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
        return
    found.add("policy.secret_env", "env:whole", node, parent if isinstance(parent, ast.Call) else node)


def _reference(found, node, q, parent, is_test, secret_re, not_secret):
    call = parent if isinstance(parent, ast.Call) and parent.func is node else None
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return
    if q in _ENV_READERS or q in _ENV_ROOTS or q.startswith(("os.environ.", "os.environb.")):
        _env_use(found, node, q, parent, secret_re, not_secret)
        return
    if q in _EXITS:
        if call is not None and not is_test:
            found.add("policy.test_infrastructure", "exit:" + q, node, call)
        return
    if q in _DYNAMIC_IMPORTS:
        if call is not None and not (call.args and _str(call.args[0])):
            found.add("policy.code_execution", "import:computed", node, call)
        return
    if q in _OPEN_CALLS:
        if call is not None:
            mode = _mode_of(call, 1)
            text = _str(mode) if mode is not None else "r"
            if text is None or any(c in text for c in "wax+"):
                found.add("policy.file_write", "open:" + (text or "?"), node, call)
        return
    if q == "os.open":
        flags = ast.dump(call.args[1]) if call is not None and len(call.args) > 1 else ""
        if call is not None and (not flags or re.search(r"O_(?:WRONLY|RDWR|CREAT|APPEND|TRUNC)", flags) or "Attribute" not in flags):
            found.add("policy.file_write", "os.open", node, call)
        return
    for rule, pattern in (
        ("policy.test_infrastructure", _TEST_INFRA),
        ("policy.code_execution", _EXEC),
        ("policy.network", _NETWORK),
        ("policy.file_write", _FILE_WRITE),
    ):
        if pattern.match(q):
            found.add(rule, q, node, call or node)
            return
    if not is_test and re.match(r"^_?pytest\.", q) and isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)):
        found.add("policy.test_infrastructure", "patch:" + q, node, parent if isinstance(parent, ast.Assign) else node)


def _chain_top(node, parents):
    """The outermost Attribute of a dotted chain (a Name or Attribute that is not itself an attribute's base)."""
    parent = parents.get(node)
    return not (isinstance(parent, ast.Attribute) and parent.value is node)


def _import_finding(found, node):
    if isinstance(node, ast.ImportFrom) and node.level:
        return
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        names = [node.module] + ["%s.%s" % (node.module, a.name) for a in node.names]
    for rule, pattern in (("policy.test_infrastructure", _TEST_INFRA), ("policy.code_execution", _EXEC), ("policy.network", _NETWORK)):
        hit = next((n for n in names if pattern.match(n)), None)
        if hit:
            found.add(rule, "import:" + hit, node)
            return


def _policy_findings(tree, source, is_test, secret_re, not_secret):
    found = _Findings(source)
    aliases = _aliases(tree)
    parents = _parents(tree)
    for node in _walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _import_finding(found, node)
            continue
        if isinstance(node, ast.Raise) and not is_test and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _qualify(exc, aliases) in ("SystemExit", "KeyboardInterrupt", "builtins.SystemExit"):
                found.add("policy.test_infrastructure", "exit:raise", node)
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _TOOL_ENV.match(node.value):
            found.add("policy.test_infrastructure", "name:" + node.value, node)
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args:
            target = _qualify(node.args[0], aliases) or ""
            if re.match(r"^(?:_?pytest|builtins|sys|__builtins__)(?:\.|$)", target) and not (is_test and target.startswith("pytest")):
                found.add("policy.test_infrastructure", "setattr:" + target, node)
        if not isinstance(node, (ast.Name, ast.Attribute, ast.Call)) or not _chain_top(node, parents):
            continue
        parent = parents.get(node)
        q = _qualify(node, aliases)
        if q:
            _reference(found, node, q, parent, is_test, secret_re, not_secret)
        if not (isinstance(node, ast.Attribute) and isinstance(parent, ast.Call) and parent.func is node):
            continue
        if node.attr in _WRITE_METHODS and not (q and q.startswith("os.")):
            found.add("policy.file_write", "method:" + node.attr, node, parent)
        elif node.attr == "open" and q not in _OPEN_CALLS:
            mode = _str(_mode_of(parent, 0))
            if mode and _MODE_TEXT.match(mode) and any(c in mode for c in "wax+"):
                found.add("policy.file_write", "open:" + mode, node, parent)
    return found.items


def policy_findings(source, filename="<fix>", is_test=False, secret_name_pattern="(?!)", not_secret_names=()):
    """Everything the policy is about in one version of a file: [{rule, key, line, evidence}] (the caller compares
    the two versions); parsed=False when it does not parse."""
    tree = _parse(source, filename)
    if tree is None:
        return {"parsed": False, "findings": []}
    not_secret = {n.upper() for n in not_secret_names}
    return {"parsed": True, "findings": _policy_findings(tree, source, is_test, re.compile(secret_name_pattern, re.I), not_secret)}


OPS = {"policy_findings": policy_findings}
