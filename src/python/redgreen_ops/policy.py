"""Fix content policy and overfitting ops: what a fix's added code does that a fix must not (touch test
infrastructure, execute or fetch code, read secret or whole environments, write files), and whether it fits
itself to the failing tests (their literals, exact inputs, or names).

Each op reports findings {rule, key, line, evidence} of a version of the file; the caller (src/validation/findings.ts)
compares the versions as multisets of (rule, key), so code that was already there, even where it moved, is never
reported. Python 3.8+ stdlib only.
"""
import ast
import re
from collections import Counter

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
_ENV_READERS = {"os.getenv", "os.getenvb", "os.environ.get", "os.environ.pop", "os.environ.setdefault", "os.environ.__getitem__",
                "os.environb.get", "os.environb.pop"}
_ENV_ROOTS = ("os.environ", "os.environb")
_TOOL_ENV = re.compile(r"^(?:REDGREEN_|PYTEST_)\w*$")
_EXITS = {"sys.exit", "exit", "quit"}
_DYNAMIC_IMPORTS = {"__import__", "importlib.import_module"}
_FRAME_NAMES = {"function", "co_name", "f_code", "f_back", "code_context"}
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_TRIVIAL_NUMBERS = {-1.0, 0.0, 1.0, 2.0}
_LITERAL_CONTEXTS = (ast.Compare, ast.Return, ast.Dict, ast.IfExp)


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
    for rule, pattern in (("policy.test_infrastructure", _TEST_INFRA), ("policy.code_execution", _EXEC),
                          ("policy.network", _NETWORK), ("policy.file_write", _FILE_WRITE)):
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


# --------------------------------------------------------------------------------------------- overfitting


def _literal_key(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return "n:%r" % float(value)
        except OverflowError:
            return "n:" + str(value)
    if isinstance(value, str):
        if _NUMBER.match(value.strip()):
            return "n:%r" % float(value.strip())
        return "s:" + value
    if isinstance(value, bytes):
        return "b:" + repr(value)
    return None


def _literals(tree, parents=None):
    """(key, node) for every literal (negative numbers as one literal), docstrings excluded."""
    parents = parents if parents is not None else _parents(tree)
    out = []
    for node in _walk(tree):
        if not isinstance(node, ast.Constant):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):
            continue
        value = node.value
        anchor = node
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub) and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            value, anchor = -value, parent
        key = _literal_key(value)
        if key is not None:
            out.append((key, anchor))
    return out


def _trivial(key, node, parents):
    if key.startswith("n:"):
        try:
            if float(key[2:]) in _TRIVIAL_NUMBERS:
                return True
        except ValueError:
            return False
        parent = parents.get(node)
        if type(parent).__name__ == "Index":
            parent = parents.get(parent)
        return isinstance(parent, (ast.Subscript, ast.Slice)) and parent.value is not node
    return key.startswith("s:") and len(key) <= 3


def _find_test(tree, name):
    """The test function a node id's name part names (`TestCart::test_total[x]`), or None."""
    path = [re.sub(r"\[.*$", "", p) for p in name.split("::") if p]
    body, found = tree.body, None
    for i, part in enumerate(path):
        last = i == len(path) - 1
        found = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == part), None)
        if found is None:
            return None
        if not last:
            body = found.body
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _test_facts(tests):
    """Literal keys of the failing test functions (decorators and module constants they read included), and their names.
    Each test file is parsed once, however many of its tests failed (30 failures in a 240 KB test module are common)."""
    keys, names, trees = set(), set(), {}
    for test in tests:
        name = test.get("name") or ""
        source, file = test.get("source") or "", test.get("file") or "<test>"
        if (file, source) not in trees:
            trees[(file, source)] = _parse(source, file)
        tree = trees[(file, source)]
        if tree is None:
            continue
        fn = _find_test(tree, name)
        if fn is None:
            continue
        names.add(fn.name)
        keys.update(k for k, _ in _literals(fn))
        read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                if any(isinstance(t, ast.Name) and t.id in read for t in targets):
                    keys.update(k for k, _ in _literals(stmt))
    return keys, names


def _context(node, parents):
    """The nearest comparison, return, dict or conditional expression around a literal (up to its statement)."""
    cur = parents.get(node)
    while cur is not None and not isinstance(cur, ast.stmt):
        if isinstance(cur, _LITERAL_CONTEXTS) or type(cur).__name__ == "match_case":
            return cur
        cur = parents.get(cur)
    return cur if isinstance(cur, ast.Return) else None


def _contains(node, targets):
    return any(n in targets for n in ast.walk(node))


def _guard_compares(test, literal_nodes):
    """Comparisons in a condition of a name against a test literal."""
    for cmp in (n for n in ast.walk(test) if isinstance(n, ast.Compare)):
        sides = [cmp.left] + list(cmp.comparators)
        has_name = any(isinstance(s, (ast.Name, ast.Attribute)) for s in sides)
        if has_name and any(_contains(s, literal_nodes) for s in sides) and any(isinstance(op, (ast.Eq, ast.In, ast.Is)) for op in cmp.ops):
            return cmp
    return None


def _name_findings(tree, source, names, aliases, parents):
    found = _Findings(source)
    for node in _walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == "PYTEST_CURRENT_TEST" or node.value in names:
                found.add("overfit.test_name_branch", "name:" + node.value, node)
        elif isinstance(node, ast.Attribute) and node.attr in _FRAME_NAMES:
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                root = root.func if isinstance(root, ast.Call) else root.value
                q = _qualify(root, aliases) or ""
                if _TEST_INFRA.match(q) and re.search(r"(?:_getframe|stack|currentframe|frames)", q):
                    top = node
                    while isinstance(parents.get(top), (ast.Attribute, ast.Subscript, ast.Call)):
                        top = parents[top]
                    found.add("overfit.test_name_branch", "frame:" + node.attr, node, top)
                    break
    return found.items


def _constant_keys(tree):
    """Module-level names and the literal keys of the value each is bound to (`FLAT_RATE = Decimal("4.95")`)."""
    keys = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    keys.setdefault(t.id, set()).update(k for k, _ in _literals(stmt.value))
    return keys


def _literal_findings(old_literals, new_tree, new_parents, fixed, test_keys):
    """Special-cased test inputs and copied test literals in the fixed version. A test literal is `added` when the fixed
    version holds more of it than the original, `fresh` when the original has none. A guard compares a name for
    equality with an added one and returns a test's value (a literal or a module constant bound to one); a table of two
    or more added ones in comparisons, returns or dicts needs at least one fresh."""
    old_counts = Counter(k for k, _ in old_literals)
    all_literals = _literals(new_tree, new_parents)
    new_literals = [(k, n) for k, n in all_literals if k in test_keys and not _trivial(k, n, new_parents)]
    new_counts = Counter(k for k, _ in new_literals)
    added = [(k, n) for k, n in new_literals if new_counts[k] > old_counts[k]]
    added_nodes = {n for _, n in added}
    fresh = {n for k, n in added if old_counts[k] == 0}
    constants = {name for name, keys in _constant_keys(new_tree).items() if keys & test_keys}
    valued = {n for k, n in all_literals if k in test_keys}
    valued.update(n for n in _walk(new_tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in constants)
    segment = lambda n: " ".join((ast.get_source_segment(fixed, n) or "").split())  # noqa: E731
    found = []
    for cond in (n for n in _walk(new_tree) if isinstance(n, (ast.If, ast.IfExp))):
        if _guard_compares(cond.test, added_nodes) is None:
            continue
        yields = [cond.body] if isinstance(cond, ast.IfExp) else [s.value for b in cond.body for s in ast.walk(b) if isinstance(s, ast.Return) and s.value]
        if any(_contains(y, valued) for y in yields):
            evidence = "special-cases a test input: %s" % segment(cond.test if isinstance(cond, ast.If) else cond)[:160]
            found.append({"rule": "overfit.test_inputs", "key": "guard:%d" % cond.lineno, "line": cond.lineno, "evidence": evidence})
    in_context = {}
    for key, node in added:
        if _context(node, new_parents) is not None:
            in_context.setdefault(key, node)
    if len(in_context) >= 2 and any(n in fresh for n in in_context.values()):
        first = min(in_context.values(), key=lambda n: n.lineno)
        shown = ", ".join(sorted(segment(n) for n in in_context.values()))
        found.append({"rule": "overfit.test_literals", "key": "literals", "line": first.lineno,
                      "evidence": "introduces the failing test's literals %s" % shown[:160]})
    return found


def overfit_findings(original, fixed, filename="<fix>", tests=()):
    """How the fixed file fits itself to the failing tests, as findings of both versions ({original, fixed}: the caller
    compares them): test names and frame inspection in either; literals taken from the failing tests (two or more in
    comparisons, returns, dicts) and special-cased test inputs in the fixed one only.
    tests: [{name: the node id after "::", file, source}]."""
    old_tree, new_tree = _parse(original, filename), _parse(fixed, filename)
    if old_tree is None or new_tree is None:
        return {"parsed": False, "original": [], "fixed": []}
    test_keys, names = _test_facts(tests)
    old_parents, new_parents = _parents(old_tree), _parents(new_tree)
    before = _name_findings(old_tree, original, names, _aliases(old_tree), old_parents)
    found = _name_findings(new_tree, fixed, names, _aliases(new_tree), new_parents)
    found.extend(_literal_findings(_literals(old_tree, old_parents), new_tree, new_parents, fixed, test_keys))
    return {"parsed": True, "original": before, "fixed": found}


OPS = {"policy_findings": policy_findings, "overfit_findings": overfit_findings}
