"""redgreen's pytest plugin, what a run loaded from the import path: the files and folders later runs load again.

redgreen stamps them before each run (src/proof/runtime-files.ts): a run that changes one (a patched pytest or
installed package, a new .pth file that runs at every start-up, a folder that would shadow a module) changes what
every later run measures with, and redgreen stops there.
"""

from __future__ import annotations

import os
import sys
import tempfile


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
    with its .pth files; none under the `skip` folders."""
    out = set()
    # The project's modules compile into redgreen's own folder (redgreen_bytecode), which redgreen empties as it writes.
    own = getattr(sys, "pycache_prefix", None)
    own = os.path.abspath(own) + os.sep if isinstance(own, str) and own else None
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path and not path.startswith("<"):
            path = os.path.abspath(path)
            out.add(path)
            out.add(os.path.dirname(path))
            # Its bytecode: a later run loads a .pyc whose header matches the source, whatever the .pyc holds.
            cached = getattr(module, "__cached__", None)
            if isinstance(cached, str) and cached and not (own and os.path.abspath(cached).startswith(own)):
                out.add(os.path.abspath(cached))
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
    return sorted(p for p in out if not (p + os.sep).startswith(skip))
