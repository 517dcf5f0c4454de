"""redgreen's pytest plugin, what a run loaded from the import path: the files and folders later runs load again.

redgreen checks them after each run (src/proof/runtime-files.ts): a run that changes one (a patched pytest or
installed package, a new .pth file that runs at every start-up, a folder that would shadow a module, rewritten
bytecode) changes what every later run measures with, and redgreen stops there.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def temp_roots(config) -> tuple:
    """The folders pytest makes its temporary directories in: modules a test writes and imports there (pytester's,
    tmp_path's) are the run's own, deleted by later runs, never what a later run loads by itself."""
    roots = []
    basetemp = getattr(getattr(config, "option", None), "basetemp", None)
    if basetemp:
        roots.append(os.path.abspath(str(basetemp)))
    try:
        from _pytest.tmpdir import get_user

        roots.append(os.path.join(os.path.realpath(tempfile.gettempdir()), f"pytest-of-{get_user() or 'unknown'}"))
    except ImportError:
        pass
    return tuple(root.rstrip(os.sep) + os.sep for root in roots)


def loaded_paths(skip: tuple = ()) -> list:
    """The files of the modules loaded so far (source and bytecode) and their folders, and each import path folder
    with its .pth files and its distributions' entry points (where there are none yet, where they would be); none
    under the `skip` folders."""
    out = set()
    rewrite = sys.modules.get("_pytest.assertion.rewrite")
    hook = getattr(rewrite, "AssertionRewritingHook", None)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path and not path.startswith("<"):
            path = os.path.abspath(path)
            out.add(path)
            out.add(os.path.dirname(path))
            # Its bytecode (a project module's in redgreen's own folder): a later run loads a .pyc whose header
            # matches the source, whatever the .pyc holds; for a module pytest rewrote (tests, conftests), the
            # rewritten .pyc, which holds its assertions.
            cached = getattr(module, "__cached__", None)
            if isinstance(cached, str) and cached:
                out.add(os.path.abspath(cached))
            if isinstance(hook, type) and isinstance(getattr(module, "__loader__", None), hook) and path.endswith(".py"):
                try:
                    folder = rewrite.get_cache_dir(Path(path))
                    out.add(os.path.abspath(os.path.join(str(folder), os.path.basename(path)[:-3] + rewrite.PYC_TAIL)))
                except (AttributeError, OSError, TypeError):
                    pass
    for entry in list(sys.path):
        if not isinstance(entry, str) or not entry:
            continue
        folder = os.path.abspath(entry)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        out.add(folder)
        out.update(os.path.join(folder, name) for name in names if name.endswith(".pth"))
        # Installed distributions' entry points: pytest loads every pytest11 plugin they name at start-up.
        out.update(os.path.join(folder, name, "entry_points.txt") for name in names if name.endswith((".dist-info", ".egg-info")))
    return sorted(p for p in out if not (p + os.sep).startswith(skip))
