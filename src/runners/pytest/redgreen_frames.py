"""redgreen's pytest plugin, traceback frames: {file, line, function, code, kind} with paths relative to rootdir.

Frames of pytest, pluggy and the plugin's own modules (this folder's redgreen_*.py) are left out, as are frames that
set ``__tracebackhide__``.
"""

from __future__ import annotations

import fnmatch
import linecache
import os
import sys
import sysconfig

_HEAD_FRAMES = 10
_TAIL_FRAMES = 40
_TEST_DIR_NAMES = frozenset(("tests", "test"))
# Every module of the plugin lives next to this one and is named redgreen_*.py.
_PLUGIN_FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "redgreen_")


def _dir_of(module) -> str | None:
    path = getattr(module, "__file__", None)
    return os.path.dirname(os.path.abspath(path)) + os.sep if path else None


class FrameClassifier:
    """Turns traceback frames into {file, line, function, code, kind} with paths relative to rootdir."""

    def __init__(self, rootdir: str, python_files) -> None:
        self.rootdir = os.path.abspath(rootdir).rstrip(os.sep) + os.sep
        self.python_files = list(python_files) or ["test_*.py", "*_test.py"]
        paths = sysconfig.get_paths()
        self.stdlib = tuple({os.path.realpath(paths[k]).rstrip(os.sep) + os.sep for k in ("stdlib", "platstdlib") if paths.get(k)})
        self.prefixes = tuple({os.path.realpath(p).rstrip(os.sep) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
        import pluggy
        import _pytest

        self.internal = tuple(d for d in (_dir_of(_pytest), _dir_of(pluggy)) if d) + (_PLUGIN_FILES,)
        self._cache: dict[str, tuple[str, str]] = {}

    def is_test_path(self, rel: str) -> bool:
        base = rel.rsplit("/", 1)[-1]
        if base == "conftest.py":
            return True
        for pattern in self.python_files:
            if ("/" in pattern and fnmatch.fnmatch(rel, pattern)) or fnmatch.fnmatch(base, pattern):
                return True
        return any(part in _TEST_DIR_NAMES for part in rel.split("/")[:-1])

    def is_internal(self, filename: str) -> bool:
        if filename.startswith("<frozen importlib"):
            return True
        return os.path.abspath(filename).startswith(self.internal) if not filename.startswith("<") else False

    def classify(self, filename: str) -> tuple[str, str]:
        hit = self._cache.get(filename)
        if hit is not None:
            return hit
        if filename.startswith("<"):
            result = (filename, "stdlib" if filename.startswith("<frozen") else "library")
        else:
            absolute = os.path.abspath(filename)
            real = os.path.realpath(absolute)
            if "site-packages" in real or "dist-packages" in real:
                kind = "library"
            elif real.startswith(self.stdlib):
                kind = "stdlib"
            elif absolute.startswith(self.rootdir) or real.startswith(self.rootdir):
                kind = None
            elif real.startswith(self.prefixes):
                kind = "library"
            else:
                kind = "library"
            if absolute.startswith(self.rootdir):
                shown = absolute[len(self.rootdir) :].replace(os.sep, "/")
            elif real.startswith(self.rootdir):
                shown = real[len(self.rootdir) :].replace(os.sep, "/")
            else:
                shown = absolute
            if kind is None:
                kind = "test" if self.is_test_path(shown) else "project"
            result = (shown, kind)
        self._cache[filename] = result
        return result

    def frame(self, filename: str, line: int, function: str) -> dict:
        shown, kind = self.classify(filename)
        out = {"file": shown, "line": int(line or 0), "function": function, "kind": kind}
        code = linecache.getline(filename, line).strip() if line else ""
        if code:
            out["code"] = code[:300]
        return out

    def frames(self, tb) -> list:
        """Frames of a traceback, outermost first, without pytest/pluggy internals and hidden frames."""
        frames = []
        while tb is not None:
            f = tb.tb_frame
            filename = f.f_code.co_filename
            if not self.is_internal(filename) and not _hidden(f):
                frames.append(self.frame(filename, tb.tb_lineno, f.f_code.co_name))
            tb = tb.tb_next
        # Leading library frames are pytest plugins' hook wrappers (pytest-asyncio, ...) around the
        # test or fixture, not part of the failure.
        first_own = next((i for i, fr in enumerate(frames) if fr["kind"] in ("project", "test")), 0)
        frames = frames[first_own:]
        if len(frames) > _HEAD_FRAMES + _TAIL_FRAMES:
            frames = frames[:_HEAD_FRAMES] + frames[-_TAIL_FRAMES:]
        return frames


def _hidden(frame) -> bool:
    try:
        value = frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__", False))
    except Exception:
        return False
    return bool(value) and not callable(value)
