"""The project's DECLARED dependencies, as the top-level modules they install (for the missing-import fix).

declared_dependencies: the requirement names the project declares (pyproject [project] dependencies and
optional dependencies, PEP 735 dependency groups, Poetry dependency tables, setup.cfg install_requires /
extras_require / tests_require, setup.py's literal lists of the same, requirements*.txt and requirements/*.txt
with their -r includes) and the importable top-level modules of the installed distributions they name.
A package that is installed only because a declared one needs it (typing_extensions under SQLAlchemy) is not
declared. The test runner itself (pytest) always counts: it is what runs the suite.

Python 3.8+ stdlib only (tomllib when available, else a reader for the few TOML shapes that hold requirements).
"""

import ast
import configparser
import glob
import os
import re
import sys


try:
    import tomllib  # Python 3.11+
except ImportError:  # pragma: no cover - older interpreters use the fallback reader
    tomllib = None


_ALWAYS = {"pytest", "_pytest"}
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_CACHE = {}  # root -> (stamp, result)
_DIST_TOPS = {}  # sys.path snapshot -> {normalized distribution name: set of top-level modules}


def _normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(text):
    """The distribution name of one requirement line (`SQLAlchemy[asyncio]>=2; python_version>'3.8'`)."""
    text = text.strip()
    if not text or text.startswith(("#", "-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    m = _REQ_NAME.match(text)
    return _normalize(m.group(1)) if m else None


def _strings(value):
    """Requirement strings inside a parsed TOML value (a list, a table of lists, or a Poetry table's keys)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        out = []
        for v in value.values():
            out.extend(_strings(v))
        return out
    return []


def _toml_requirements(data):
    project = data.get("project") or {}
    found = _strings(project.get("dependencies") or [])
    found += _strings(project.get("optional-dependencies") or {})
    found += _strings(data.get("dependency-groups") or {})
    poetry = (data.get("tool") or {}).get("poetry") or {}
    tables = [poetry.get("dependencies") or {}, poetry.get("dev-dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    for table in tables:
        found += [k for k in table if _normalize(k) != "python"]
    return found


_SECTION = re.compile(r"^\[+\s*([^\]]+?)\s*\]+$")
_QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def _uncomment(line):
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def _toml_fallback(text):
    """Requirement strings from pyproject.toml without tomllib: the arrays and Poetry keys that hold them."""
    found = []
    section = ""
    in_array = False
    for raw in text.split("\n"):
        line = _uncomment(raw).strip()
        if in_array:
            found += [a or b for a, b in _QUOTED.findall(line)]
            in_array = "]" not in _QUOTED.sub("", line)
            continue
        m = _SECTION.match(line)
        if m:
            section = m.group(1).strip()
            continue
        key, eq, value = line.partition("=")
        key = key.strip().strip("\"'")
        if not eq:
            continue
        if section.startswith("tool.poetry") and section.endswith("dependencies"):
            if _normalize(key) != "python":
                found.append(key)
        elif section in ("project.optional-dependencies", "dependency-groups") or (section == "project" and key == "dependencies"):
            value = value.strip()
            if value.startswith("["):
                found += [a or b for a, b in _QUOTED.findall(value)]
                in_array = "]" not in _QUOTED.sub("", value)
    return found


def _pyproject(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if tomllib is not None:
        try:
            return _toml_requirements(tomllib.loads(text))
        except (ValueError, TypeError):
            return []
    return _toml_fallback(text)


def _setup_cfg(path):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return []
    found = []
    for section, key in (("options", "install_requires"), ("options", "tests_require"), ("options", "setup_requires")):
        found += parser.get(section, key, fallback="").split("\n")
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            found += value.split("\n")
    return found


def _setup_py(path):
    """Literal string lists passed as install_requires / extras_require / tests_require to setup()."""
    with open(path, encoding="utf-8") as fh:
        try:
            tree = ast.parse(fh.read(), path)
        except (SyntaxError, ValueError):
            return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "extras_require", "tests_require"):
            found += [n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return found


def _requirements_txt(path, seen):
    if path in seen or len(seen) > 50:
        return []
    seen.add(path)
    found = []
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return []
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        include = re.match(r"^-(?:r|c|-requirement|-constraint)[ =]?\s*(\S+)", line)
        if include:
            found += _requirements_txt(os.path.join(os.path.dirname(path), include.group(1)), seen)
        else:
            found.append(line)
    return found


def _declaration_files(root):
    files = [os.path.join(root, n) for n in ("pyproject.toml", "setup.cfg", "setup.py")]
    files += sorted(glob.glob(os.path.join(root, "requirements*.txt")) + glob.glob(os.path.join(root, "requirements", "*.txt")))
    return [f for f in files if os.path.isfile(f)]


def _read_declarations(files):
    names = set()
    seen = set()
    for path in files:
        base = os.path.basename(path)
        try:
            if base == "pyproject.toml":
                raw = _pyproject(path)
            elif base == "setup.cfg":
                raw = _setup_cfg(path)
            elif base == "setup.py":
                raw = _setup_py(path)
            else:
                raw = _requirements_txt(path, seen)
        except (OSError, UnicodeDecodeError):
            continue
        names.update(n for n in (_requirement(r) for r in raw) if n)
    return names


def _distribution_tops():
    """Normalized distribution name -> the top-level modules it installs (top_level.txt, else its file list)."""
    key = tuple(sys.path)
    if key in _DIST_TOPS:
        return _DIST_TOPS[key]
    try:
        from importlib import metadata
    except ImportError:  # pragma: no cover - Python 3.8 always has it
        return {}
    out = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if not name:
            continue
        tops = set((dist.read_text("top_level.txt") or "").split())
        if not tops:
            for f in dist.files or []:
                first = str(f).replace("\\", "/").split("/")[0]
                if first.endswith(".py"):
                    tops.add(first[:-3])
                elif "." not in first and first != "__pycache__" and "/" in str(f).replace("\\", "/"):
                    tops.add(first)
        tops.add(_normalize(name).replace("-", "_"))
        out.setdefault(_normalize(name), set()).update(t for t in tops if t.isidentifier())
    _DIST_TOPS[key] = out
    return out


def declared_modules(root=None):
    """(declares_anything, top-level modules of the declared distributions) for the project at root."""
    root = root or os.getcwd()
    files = _declaration_files(root)
    stamp = tuple((f, os.stat(f).st_mtime_ns) for f in files)
    hit = _CACHE.get(root)
    if hit and hit[0] == stamp:
        return hit[1]
    names = _read_declarations(files)
    tops = set(_ALWAYS)
    if names:
        by_dist = _distribution_tops()
        for n in names:
            tops.update(by_dist.get(n, {n.replace("-", "_")}))
    result = (bool(names), tops, sorted(names))
    _CACHE[root] = (stamp, result)
    return result


def declared_dependencies():
    """The op: what the project declares and the modules that makes importable."""
    declares, tops, names = declared_modules()
    files = [os.path.relpath(f, os.getcwd()).replace(os.sep, "/") for f in _declaration_files(os.getcwd())]
    return {"declares": declares, "requirements": names, "modules": sorted(tops), "files": files}


OPS = {"declared_dependencies": declared_dependencies}
