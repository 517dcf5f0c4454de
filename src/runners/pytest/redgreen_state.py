"""redgreen's pytest plugin, the run's state: settings read from the environment, the JSON-lines writer, the timer."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from redgreen_frames import FrameClassifier
from redgreen_integrity import IntegrityWatch
from redgreen_timer import PhaseTimer

PLUGIN_VERSION = 1


def env_float(name: str, default: float) -> float:
    """A non-negative number from the environment variable `name`, else `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value >= 0 else default


class _Writer:
    """Appends one JSON line per event, unbuffered (one write syscall per line, no fsync)."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "ab", buffering=0)

    def write(self, event: dict) -> None:
        self._fh.write((json.dumps(event, separators=(",", ":"), default=str) + "\n").encode("ascii"))

    def write_raw(self, line: str) -> None:
        self._fh.write(line.encode("ascii"))

    def close(self) -> None:
        self._fh.close()


class RedgreenState:
    """Everything the plugin keeps for one pytest run (stored on the config object)."""

    def __init__(self, config) -> None:
        self.config = config
        self.path = os.environ.get("REDGREEN_JSONL") or None
        self.is_worker = hasattr(config, "workerinput") or "PYTEST_XDIST_WORKER" in os.environ
        self.started = time.time()
        self.parent_pid = os.getppid()
        self.max_output = int(env_float("REDGREEN_MAX_OUTPUT", 8000)) or 8000
        timeout = env_float("REDGREEN_TEST_TIMEOUT", 60.0)
        if _other_timeout_plugin_active(config):
            timeout = 0.0
        raw_grace = os.environ.get("REDGREEN_HARD_GRACE", "").strip()
        try:
            grace = float(raw_grace) if raw_grace else 5.0
        except ValueError:
            grace = 5.0
        if _faulthandler_timeout_set(config):
            grace = -1.0  # pytest's own faulthandler_timeout owns faulthandler's single watchdog
        worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
        hang_file = f"{self.path}.hang-{worker_id}-{os.getpid()}" if self.path else None
        self.timer = PhaseTimer(timeout, grace, hang_file, exact_hard=self.is_worker)
        self._classifier = None
        self._writer = None
        self._collected_sent = False
        self._passes: dict = {}
        self._reported: set = set()
        # What the xdist workers loaded from the import path, told at their end.
        self.worker_loaded: set = set()
        self.watch = IntegrityWatch(str(getattr(config, "rootpath", None) or getattr(config, "rootdir", os.getcwd())))

    @property
    def classifier(self) -> FrameClassifier:
        if self._classifier is None:
            rootpath = getattr(self.config, "rootpath", None) or getattr(self.config, "rootdir", os.getcwd())
            try:
                python_files = self.config.getini("python_files")
            except Exception:
                python_files = []
            self._classifier = FrameClassifier(str(rootpath), python_files)
        return self._classifier

    def emit(self, event: dict) -> None:
        if self.path is None or self.is_worker:
            return
        if self._writer is None:
            self._writer = _Writer(self.path)
            self._writer.write(
                {
                    "event": "start",
                    "pluginVersion": PLUGIN_VERSION,
                    "pytest": pytest.__version__,
                    "python": sys.version.split()[0],
                    "rootdir": self.classifier.rootdir.rstrip(os.sep),
                    "pid": os.getpid(),
                    "testTimeout": self.timer.seconds,
                    "xdist": self.config.pluginmanager.hasplugin("xdist") and bool(getattr(self.config.option, "numprocesses", None)),
                }
            )
        self._writer.write(event)

    def emit_pass(self, nodeid: str, when: str, duration: float) -> None:
        """A passing phase. Passing setup and call wait in memory; a test that passed every phase is
        written as one "test" line at teardown (one line per test is the common case)."""
        if self.path is None or self.is_worker:
            return
        if when != "teardown":
            self._passes.setdefault(nodeid, {})[when] = duration
            return
        earlier = self._passes.pop(nodeid, None)
        if nodeid in self._reported:
            self._reported.discard(nodeid)
            self._flush_passes(nodeid, earlier)
            self.emit({"event": "phase", "nodeid": nodeid, "when": "teardown", "outcome": "passed", "duration": duration})
            return
        if earlier is None or "call" not in earlier:
            self.emit({"event": "phase", "nodeid": nodeid, "when": "teardown", "outcome": "passed", "duration": duration})
            return
        total = duration + earlier.get("setup", 0.0) + earlier["call"]
        if self._writer is None:
            self.emit({"event": "test", "nodeid": nodeid, "outcome": "passed", "duration": total})
            return
        self._writer.write_raw('{"event":"test","nodeid":%s,"outcome":"passed","duration":%.6f}\n' % (json.dumps(nodeid), total))

    def emit_phase(self, event: dict) -> None:
        """A phase that did not simply pass: earlier passing phases of the test are written first."""
        nodeid = event["nodeid"]
        if event["when"] != "teardown":
            self._reported.add(nodeid)
        else:
            self._reported.discard(nodeid)
        self._flush_passes(nodeid, self._passes.pop(nodeid, None))
        self.emit(event)

    def _flush_passes(self, nodeid: str, earlier) -> None:
        for when in ("setup", "call"):
            if earlier and when in earlier:
                self.emit({"event": "phase", "nodeid": nodeid, "when": when, "outcome": "passed", "duration": earlier[when]})

    def emit_collected(self, count: int, nodeids=None) -> None:
        if not self._collected_sent:
            self._collected_sent = True
            event = {"event": "collected", "count": count}
            if nodeids is not None:
                # Run order, so the adapter can tell which test a hard hang stopped in.
                event["nodeids"] = nodeids
            self.emit(event)

    def emit_anomaly(self, kind: str, nodeid, detail: str) -> None:
        self.emit({"event": "anomaly", "kind": kind, "nodeid": nodeid, "detail": detail})

    def emit_files(self, session) -> None:
        """The files that define this run's tests besides the collected modules: conftests and the config file."""
        root = self.classifier.rootdir.rstrip(os.sep) + os.sep
        conftests = sorted(
            f[len(root) :]
            for f in (getattr(p, "__file__", None) for p in self.config.pluginmanager.get_plugins())
            if isinstance(f, str) and os.path.basename(f) == "conftest.py" and f.startswith(root)
        )
        inipath = str(getattr(self.config, "inipath", None) or getattr(self.config, "inifile", None) or "")
        try:
            python_files = [str(p) for p in self.config.getini("python_files")]
        except Exception:
            python_files = []
        self.emit(
            {
                "event": "files",
                "testFiles": sorted(
                    {str(item.path)[len(root) :] for item in session.items if str(getattr(item, "path", "")).startswith(root)}
                ),
                "conftests": conftests,
                "configFile": inipath[len(root) :] if inipath.startswith(root) else None,
                "pythonFiles": python_files,
            }
        )

    def close(self) -> None:
        self.timer.close()
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _other_timeout_plugin_active(config) -> bool:
    """pytest-timeout with a timeout set would fight over SIGALRM: let it own timeouts then."""
    if not config.pluginmanager.hasplugin("timeout"):
        return False
    try:
        return bool(config.getoption("timeout", None)) or bool(config.getini("timeout"))
    except Exception:
        return False


def _faulthandler_timeout_set(config) -> bool:
    try:
        return float(config.getini("faulthandler_timeout") or 0) > 0
    except Exception:
        return False


def state_of(config) -> RedgreenState:
    state = getattr(config, "_redgreen_state", None)
    if state is None:
        state = RedgreenState(config)
        config._redgreen_state = state
    return state
