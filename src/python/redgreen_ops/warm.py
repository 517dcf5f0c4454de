"""The warm op: reads the project's modules into the facts cache ahead of the first op that needs them.

Called while a test run goes on (at its first failure), so that import_plan and the other ops reading the whole
project find each unchanged file's facts cached (by mtime and size) instead of parsing the project after the run,
on the way to the fix. It stops after `budgetMs`: a call queued behind it on a very large project waits at most that.
"""

import os
import time

from ._project import _file_facts, project_files


def warm(budgetMs=2000):
    """Reads the project's files' facts until done or out of time; returns {files, read}."""
    deadline = time.monotonic() + max(0, budgetMs) / 1000.0
    root = os.getcwd()
    files = project_files(root)
    read = 0
    for rel in files:
        if time.monotonic() >= deadline:
            break
        _file_facts(root, rel)
        read += 1
    return {"files": len(files), "read": read}


OPS = {"warm": warm}
