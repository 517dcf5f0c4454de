"""The project's files: cached sources and trees, test-file rule, and per-file facts (definitions, imports, exports)."""

import ast
import os


_SKIP_DIRS = {"__pycache__", "node_modules", "site-packages", "dist-packages", "build", "dist", "htmlcov"}
_MAX_FILES = 5000
_FACTS_CACHE = {}  # abs path -> ((mtime_ns, size), facts)


def _read_source(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8-sig", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_test_file(rel):
    base = os.path.basename(rel)
    return base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def _module_name(root, rel):
    """Dotted module name as pytest's rootdir-relative import puts it: the first folder upward that is
    not a package is on sys.path. Returns (module, is_package)."""
    abs_path = os.path.join(root, rel)
    folder = os.path.dirname(abs_path)
    parts = []
    base = os.path.splitext(os.path.basename(rel))[0]
    is_package = base == "__init__"
    if not is_package:
        parts.append(base)
    while os.path.isfile(os.path.join(folder, "__init__.py")) and folder != root and folder.startswith(root):
        parts.append(os.path.basename(folder))
        folder = os.path.dirname(folder)
    if is_package and not parts:
        return None, True
    return ".".join(reversed(parts)), is_package


def _resolve_relative(module, level, importer_module, importer_is_package):
    """Absolute module name of `from <level dots><module> import ...` written in importer_module."""
    if not level:
        return module
    if importer_module is None:
        return None
    package = importer_module.split(".") if importer_is_package else importer_module.split(".")[:-1]
    if level - 1 > len(package):
        return None
    base = package[: len(package) - (level - 1)]
    if module:
        base = base + module.split(".")
    return ".".join(base) if base else None


def _targets(node, out):
    if isinstance(node, ast.Name):
        out.append(node.id)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            _targets(elt, out)
    elif isinstance(node, ast.Starred):
        _targets(node.value, out)


def _literal_strings(node):
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                out.append(elt.value)
            else:
                return None
        return out
    return None


def _cached(cache, path):
    """The file's stamp (mtime_ns, size) and what `cache` (path -> (stamp, value)) holds for it at that stamp, else None;
    (None, None) when the file cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    stamp = (st.st_mtime_ns, st.st_size)
    hit = cache.get(path)
    return stamp, (hit[1] if hit and hit[0] == stamp else None)


def _file_facts(root, rel):
    abs_path = os.path.join(root, rel)
    stamp, cached = _cached(_FACTS_CACHE, abs_path)
    if stamp is None:
        return None
    if cached is not None:
        return cached
    module, is_package = _module_name(root, rel)
    facts = {
        "rel": rel,
        "module": module,
        "isPackage": is_package,
        "isTest": _is_test_file(rel),
        "defines": {},  # name -> kind (function/async/class/variable)
        "reexports": {},  # name -> (absolute module, original name)
        "stars": [],  # absolute modules of `from x import *` at module level, in order
        "all": None,
        "decorated": [],
        "imports": [],  # every import: {kind, module(abs), name, asname, bound, level, line, scope}
        "ok": True,
    }
    try:
        tree = ast.parse(_read_source(abs_path), abs_path)
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
        facts["ok"] = False
        _FACTS_CACHE[abs_path] = (stamp, facts)
        return facts

    def top_level(stmts):
        for stmt in stmts:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                facts["defines"][stmt.name] = "async" if isinstance(stmt, ast.AsyncFunctionDef) else "function"
                if stmt.decorator_list:
                    facts["decorated"].append(stmt.name)  # lru_cache, click.command: no longer a plain function
            elif isinstance(stmt, ast.ClassDef):
                facts["defines"][stmt.name] = "class"
            elif isinstance(stmt, ast.Assign):
                names = []
                for t in stmt.targets:
                    _targets(t, names)
                for n in names:
                    facts["defines"].setdefault(n, "variable")
                    if n == "__all__":
                        facts["all"] = _literal_strings(stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                names = []
                _targets(stmt.target, names)
                for n in names:
                    facts["defines"].setdefault(n, "variable")
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
                extra = _literal_strings(stmt.value)
                if extra and facts["all"] is not None:
                    facts["all"] = facts["all"] + extra
            elif isinstance(stmt, ast.ImportFrom):
                absolute = _resolve_relative(stmt.module, stmt.level, module, is_package)
                for alias in stmt.names:
                    if alias.name == "*" and absolute:
                        facts["stars"].append(absolute)
                    elif absolute:
                        facts["reexports"][alias.asname or alias.name] = (absolute, alias.name)
            elif isinstance(stmt, ast.If):
                # `if sys.version_info ...:` / `if TYPE_CHECKING:` blocks still define names for readers.
                top_level(stmt.body)
                top_level(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                top_level(stmt.body)
                for handler in stmt.handlers:
                    top_level(handler.body)

    top_level(tree.body)

    def collect(node, scope):
        for child in ast.iter_child_nodes(node):
            child_scope = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                child_scope = "function"
            elif isinstance(child, ast.ClassDef):
                child_scope = "class" if scope == "module" else scope
            if isinstance(child, ast.Import):
                for alias in child.names:
                    facts["imports"].append(
                        {
                            "kind": "import",
                            "module": alias.name,
                            "name": None,
                            "asname": alias.asname,
                            "bound": alias.asname or alias.name.split(".")[0],
                            "level": 0,
                            "line": child.lineno,
                            "scope": scope,
                        }
                    )
            elif isinstance(child, ast.ImportFrom):
                absolute = _resolve_relative(child.module, child.level, module, is_package)
                for alias in child.names:
                    if alias.name == "*":
                        continue
                    facts["imports"].append(
                        {
                            "kind": "from",
                            "module": absolute,
                            "name": alias.name,
                            "asname": alias.asname,
                            "bound": alias.asname or alias.name,
                            "level": child.level or 0,
                            "line": child.lineno,
                            "scope": scope,
                        }
                    )
            collect(child, child_scope)

    collect(tree, "module")
    _FACTS_CACHE[abs_path] = (stamp, facts)
    return facts


def _is_venv(path):
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def project_files(root):
    """Project-relative paths of the project's .py files (virtualenvs, caches and hidden folders skipped)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and not d.endswith(".egg-info") and not _is_venv(os.path.join(folder, d))
        )
        for f in sorted(files):
            if f.endswith(".py"):
                found.append(os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/"))
                if len(found) >= _MAX_FILES:
                    return found
    return found


def project_facts(root):
    out = []
    for rel in project_files(root):
        facts = _file_facts(root, rel)
        if facts is not None and facts["ok"]:
            out.append(facts)
    return out


_TREES = {}  # abs path -> ((mtime_ns, size), (source, lines, tree))


def _load(rel):
    """(source, lines, tree) of a project file, cached by mtime; None when it cannot be parsed."""
    path = os.path.join(os.getcwd(), rel)
    stamp, hit = _cached(_TREES, path)
    if stamp is None:
        return None
    if hit is not None:
        return hit
    try:
        source = _read_source(path)
        tree = ast.parse(source, path)
    except (SyntaxError, ValueError, OSError):
        return None
    lines = source.split("\n")
    _TREES[path] = (stamp, (source, lines, tree))
    return source, lines, tree


def _is_test_rel(rel):
    return _is_test_file(rel)
