"""redgreen's bytecode placement: the project's modules compile into redgreen's own folder, everything else as usual.

Imported by redgreen_pytest_plugin, which pytest loads (``-p``) before conftests and project modules. Python checks
cached bytecode by the source's mtime (whole seconds) and size, so a project file restored within the second its edited
version was compiled could run stale bytecode from the project's __pycache__; redgreen drops the bytecode of every file
it writes from its own folder instead. A PYTHONPYCACHEPREFIX would send every module there, so the first run of each
redgreen process would recompile the standard library and every plugin; here only files under the project (outside
installed packages) go to the folder, and the rest keep their warm __pycache__.
"""

from __future__ import annotations

import os
import sys
from importlib import _bootstrap_external

_INSTALLED_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def redirect(prefix: str, project_root: str) -> None:
    """Sends the bytecode of modules under project_root to prefix (pytest's rewritten modules follow sys.pycache_prefix)."""
    roots = tuple({os.path.abspath(project_root).rstrip(os.sep) + os.sep, os.path.realpath(project_root).rstrip(os.sep) + os.sep})
    sys.pycache_prefix = prefix

    def in_project(source: str) -> bool:
        return os.path.abspath(source).startswith(roots) and not any(m in source for m in _INSTALLED_MARKERS)

    prefixed = _bootstrap_external.cache_from_source

    def cache_from_source(path, debug_override=None, *, optimization=None):
        cached = prefixed(path, debug_override, optimization=optimization)
        source = os.fspath(path)
        return cached if in_project(source) else os.path.join(os.path.dirname(source), "__pycache__", os.path.basename(cached))

    _bootstrap_external.cache_from_source = cache_from_source
    # pytest's assertion rewriter keeps its own bytecode (test modules, conftests, plugins), by the same rule.
    rewrite = sys.modules.get("_pytest.assertion.rewrite")
    prefixed_dir = getattr(rewrite, "get_cache_dir", None)
    if prefixed_dir is not None:
        rewrite.get_cache_dir = lambda file_path: prefixed_dir(file_path) if in_project(str(file_path)) else file_path.parent / "__pycache__"
