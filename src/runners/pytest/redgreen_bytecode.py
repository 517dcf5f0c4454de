"""redgreen's bytecode placement: the project's modules compile into redgreen's own folder, everything else as usual.

Imported by redgreen_pytest_plugin, which pytest loads (``-p``) before conftests and project modules. Python checks
cached bytecode by the source's mtime (whole seconds) and size, so a project file restored within the second its edited
version was compiled could run stale bytecode from the project's __pycache__; redgreen drops the bytecode of every file
it writes from its own folder instead. A PYTHONPYCACHEPREFIX would send every module there, so the first run of each
redgreen process would recompile the standard library and every plugin; here only files under the project (outside
installed packages) go to the folder, and the rest keep their warm __pycache__.

A project file's bytecode missing from the folder starts as a copy of the project's own __pycache__ entry when that
entry was written before redgreen started (``seed_before``, epoch seconds): every file redgreen writes gets a later
mtime, so such an entry can only match (Python's mtime + size check) a source redgreen has not written.
"""

from __future__ import annotations

import _imp
import marshal
import os
import sys
from importlib import _bootstrap_external

_INSTALLED_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def _seed(cached: str, source: str, seed_before: float) -> None:
    """Copies the project's own bytecode of `source` to `cached` when `cached` is missing and the copy predates redgreen.

    The code's file names become `source`'s: a project copied with its __pycache__ keeps the names it was compiled
    under, which importlib corrects on load but pytest's rewritten test modules would show in every traceback.
    """
    if os.path.exists(cached):
        return
    own = os.path.join(os.path.dirname(source), "__pycache__", os.path.basename(cached))
    try:
        if os.stat(own).st_mtime >= seed_before:
            return
        with open(own, "rb") as fh:
            data = fh.read()
        # Only bytecode Python checks against its source by mtime and size (flags 0): an unchecked hash-based pyc
        # would hold its code whatever redgreen writes to the source.
        if int.from_bytes(data[4:8], "little") != 0:
            return
        code = marshal.loads(data[16:])
        _imp._fix_co_filename(code, source)
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        # Written aside and renamed: xdist workers may seed and read the same file at once.
        partial = f"{cached}.{os.getpid()}.tmp"
        with open(partial, "wb") as fh:
            fh.write(data[:16] + marshal.dumps(code))
        os.replace(partial, cached)
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        pass


def redirect(prefix: str, project_root: str, seed_before: float) -> None:
    """Sends the bytecode of modules under project_root to prefix (pytest's rewritten modules follow sys.pycache_prefix)."""
    roots = tuple({os.path.abspath(project_root).rstrip(os.sep) + os.sep, os.path.realpath(project_root).rstrip(os.sep) + os.sep})
    sys.pycache_prefix = prefix
    # Python processes the tests start load no plugin: they keep all their bytecode in the folder, as before.
    os.environ["PYTHONPYCACHEPREFIX"] = prefix

    def in_project(source: str) -> bool:
        return os.path.abspath(source).startswith(roots) and not any(m in source for m in _INSTALLED_MARKERS)

    prefixed = _bootstrap_external.cache_from_source

    def cache_from_source(path, debug_override=None, *, optimization=None):
        cached = prefixed(path, debug_override, optimization=optimization)
        source = os.fspath(path)
        if not in_project(source):
            return os.path.join(os.path.dirname(source), "__pycache__", os.path.basename(cached))
        _seed(cached, source, seed_before)
        return cached

    _bootstrap_external.cache_from_source = cache_from_source
    # pytest's assertion rewriter keeps its own bytecode (test modules, conftests, plugins), by the same rule.
    rewrite = sys.modules.get("_pytest.assertion.rewrite")
    prefixed_dir = getattr(rewrite, "get_cache_dir", None)
    tail = getattr(rewrite, "PYC_TAIL", None)
    if prefixed_dir is None:
        return

    def get_cache_dir(file_path):
        if not in_project(str(file_path)):
            return file_path.parent / "__pycache__"
        folder = prefixed_dir(file_path)
        if isinstance(tail, str) and file_path.name.endswith(".py"):
            _seed(str(folder / (file_path.name[:-3] + tail)), str(file_path), seed_before)
        return folder

    rewrite.get_cache_dir = get_cache_dir
