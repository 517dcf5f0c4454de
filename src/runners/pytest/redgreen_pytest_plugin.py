"""redgreen's pytest plugin: streams one JSON line per test event to the file named by REDGREEN_JSONL.

Loaded with ``-p redgreen_pytest_plugin`` (its folder on PYTHONPATH). Works with pytest 7, 8 and 9 and
under pytest-xdist: workers attach structured failure data to their reports (``report.redgreen``, a
JSON-ready dict that xdist serializes with the report) and only the controller writes the file.

Environment:
  REDGREEN_JSONL          file to append events to (required; without it the plugin does nothing)
  REDGREEN_TEST_TIMEOUT   per-test timeout in seconds, for setup + call and again for teardown
                          (default 60; 0 = off); an overrun raises Timeout inside the test
  REDGREEN_MAX_OUTPUT     characters of captured output kept per failure (default 8000)
  REDGREEN_DESELECT_FILE  file of node ids (one JSON string a line) to deselect, used to resume after a hard hang
  REDGREEN_SELECT_FILE    JSON {"files": [...], "patterns": [...]}: in those files only the items whose node id
                          fully matches a pattern are kept (node ids no command line can carry, or whose names
                          carry a seed or a timestamp)
  REDGREEN_HARD_GRACE     seconds past the timeout after which a test stuck where signals cannot
                          reach it (C code holding the GIL) dumps its stack to
                          REDGREEN_JSONL + ".hang-<worker>-<pid>" and the process exits (default 5;
                          negative = off); SIGUSR2 then also dumps the stacks there (redgreen's
                          watchdog sends it before killing a test that outlived its timeout)
  REDGREEN_PYCACHE_PREFIX folder the project's modules compile their bytecode into, never the project's
                          __pycache__ (see redgreen_bytecode)
  REDGREEN_PYCACHE_SEED_BEFORE  epoch seconds redgreen started at: the project's own bytecode written before
                          then may seed the folder (default 0: never)
"""

from __future__ import annotations

import faulthandler
import fnmatch
import importlib.util
import json
import linecache
import os
import re
import signal
import sys
import sysconfig
import threading
import time
import traceback

import pytest

from redgreen_bytecode import redirect
from redgreen_integrity import IntegrityWatch

PLUGIN_VERSION = 1
_STACK_LIMIT = 20000
_MESSAGE_LIMIT = 4000
_HEAD_FRAMES = 10
_TAIL_FRAMES = 40
_TEST_DIR_NAMES = frozenset(("tests", "test"))



def _deselected_ids():
    """The node ids REDGREEN_DESELECT_FILE names (one JSON string a line), or an empty set."""
    path = os.environ.get("REDGREEN_DESELECT_FILE")
    if not path:
        return set()
    try:
        with open(path, encoding="utf-8") as fh:
            return {json.loads(line) for line in fh if line.strip()}
    except (OSError, ValueError):
        return set()


def _selected_by_pattern():
    """A predicate on node ids from REDGREEN_SELECT_FILE: outside its files everything; inside, full pattern matches."""
    path = os.environ.get("REDGREEN_SELECT_FILE")
    if not path:
        return lambda nodeid: True
    try:
        with open(path, encoding="utf-8") as fh:
            pick = json.load(fh)
        files = set(pick["files"])
        patterns = [re.compile(p) for p in pick["patterns"]]
    except (OSError, ValueError, KeyError, re.error):
        return lambda nodeid: True
    return lambda nodeid: nodeid.split("::", 1)[0] not in files or any(p.fullmatch(nodeid) for p in patterns)

class Timeout(pytest.fail.Exception):  # type: ignore[misc,name-defined]
    """Raised inside a test whose phase ran past the per-test timeout (prints as ``Timeout: ...``)."""


# Printed as "Timeout: ..." rather than "redgreen_pytest_plugin.Timeout: ...", like pytest's own outcomes.
Timeout.__module__ = "builtins"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value >= 0 else default


# `-p` plugins load before entry-point plugins, conftests and any project module (pytest runs in the project root).
if os.environ.get("REDGREEN_PYCACHE_PREFIX"):
    redirect(os.environ["REDGREEN_PYCACHE_PREFIX"], os.getcwd(), _env_float("REDGREEN_PYCACHE_SEED_BEFORE", 0.0))


def _cut(text: str, limit: int) -> str:
    """Keeps the head and the tail of a long text."""
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    return f"{text[:head]}\n... [{len(text) - limit} characters omitted] ...\n{text[-tail:]}"


# ---------------------------------------------------------------------------------------------------
# Python's "Did you mean" suggestion, as CPython 3.12+ computes it in traceback.TracebackException
# (3.10/3.11 compute it only in C while printing, so the traceback module cannot give it there).
# The distance and the rule live in the helper's package, shared with its name_suggestion op; loaded by path
# because this plugin runs inside the project's pytest, where the helper's package is not importable.


def _load_suggest():
    name = "_redgreen_suggest"
    module = sys.modules.get(name)
    if module is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "redgreen_ops", "_suggest.py")
        spec = importlib.util.spec_from_file_location(name, os.path.normpath(path))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return module


_closest = _load_suggest()._closest


def _last_frame(tb):
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame


def _candidates(exc, tb, wrong_name):
    """The names Python compares `wrong_name` with, or a ready answer ("self.x"), or None."""
    if isinstance(exc, AttributeError):
        obj = getattr(exc, "obj", None)
        if obj is None and not hasattr(exc, "obj"):
            return None, None
        try:
            names = dir(obj)
        except Exception:
            return None, None
        hide_underscored = wrong_name[:1] != "_"
        frame = _last_frame(tb)
        if hide_underscored and frame is not None and frame.f_locals.get("self") is obj:
            hide_underscored = False
        if hide_underscored:
            names = [x for x in names if x[:1] != "_"]
        return names, None
    if isinstance(exc, ImportError):
        mod = sys.modules.get(exc.name or "")
        if mod is None:
            return None, None
        try:
            names = dir(mod)
        except Exception:
            return None, None
        if wrong_name[:1] != "_":
            names = [x for x in names if x[:1] != "_"]
        return names, None
    frame = _last_frame(tb)
    if frame is None:
        return None, None
    names = list(frame.f_locals) + list(frame.f_globals) + list(frame.f_builtins)
    if "self" in frame.f_locals:
        try:
            if hasattr(frame.f_locals["self"], wrong_name):
                return None, f"self.{wrong_name}"
        except Exception:
            pass
    return names, None


def _compute_suggestion(exc, tb, wrong_name):
    native = getattr(__import__("traceback"), "_compute_suggestion_error", None)
    if native is not None:
        try:
            return native(exc, tb, wrong_name)
        except Exception:
            pass
    names, ready = _candidates(exc, tb, wrong_name)
    if ready is not None:
        return ready
    if names is None:
        return None
    return _closest(names, wrong_name)


_IMPORT_NAME_RE = re.compile(r"cannot import name '([^']+)' from '([^']+)'")


def python_hint(exc, tb):
    """Python's suggestion sentence for NameError/AttributeError/ImportError, e.g. "Did you mean: 'x'?"."""
    try:
        if isinstance(exc, (NameError, AttributeError)):
            wrong_name = getattr(exc, "name", None)
            if not isinstance(wrong_name, str):
                return None
            suggestion = _compute_suggestion(exc, tb, wrong_name)
            hint = f"Did you mean: '{suggestion}'?" if suggestion else None
            if isinstance(exc, NameError) and wrong_name in getattr(sys, "stdlib_module_names", ()):
                extra = f"forget to import '{wrong_name}'?"
                hint = f"{hint} Or did you {extra}" if hint else f"Did you {extra}"
            return hint
        if isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError):
            wrong_name = getattr(exc, "name_from", None)
            if wrong_name is None:
                match = _IMPORT_NAME_RE.search(str(exc))
                if match is None or exc.name is None:
                    return None
                wrong_name = match.group(1)
            suggestion = _compute_suggestion(exc, tb, wrong_name)
            return f"Did you mean: '{suggestion}'?" if suggestion else None
    except Exception:
        return None
    return None


# ---------------------------------------------------------------------------------------------------
# Frames


def _dir_of(module) -> str | None:
    path = getattr(module, "__file__", None)
    return os.path.dirname(os.path.abspath(path)) + os.sep if path else None


class FrameClassifier:
    """Turns traceback frames into {file, line, function, code, kind} with paths relative to rootdir."""

    def __init__(self, rootdir: str, python_files) -> None:
        self.rootdir = os.path.abspath(rootdir).rstrip(os.sep) + os.sep
        self.python_files = list(python_files) or ["test_*.py", "*_test.py"]
        paths = sysconfig.get_paths()
        self.stdlib = tuple(
            {os.path.realpath(paths[k]).rstrip(os.sep) + os.sep for k in ("stdlib", "platstdlib") if paths.get(k)}
        )
        self.prefixes = tuple(
            {os.path.realpath(p).rstrip(os.sep) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        )
        import pluggy
        import _pytest

        self.internal = tuple(d for d in (_dir_of(_pytest), _dir_of(pluggy)) if d) + (os.path.abspath(__file__),)
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
                shown = absolute[len(self.rootdir):].replace(os.sep, "/")
            elif real.startswith(self.rootdir):
                shown = real[len(self.rootdir):].replace(os.sep, "/")
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


# ---------------------------------------------------------------------------------------------------
# Exceptions → failure dicts


def error_type(exc) -> str:
    """The exception's name as Python prints it (module-qualified unless builtin)."""
    cls = type(exc)
    module = getattr(cls, "__module__", "builtins")
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module in ("builtins", "__main__") else f"{module}.{name}"


def error_message(exc) -> str:
    if isinstance(exc, SyntaxError) and exc.msg:
        return _cut(str(exc.msg), _MESSAGE_LIMIT)
    try:
        text = str(exc)
    except Exception as problem:  # a broken __str__ must not break the report
        text = f"<unprintable {type(exc).__name__}: {problem!r}>"
    return _cut(text, _MESSAGE_LIMIT)


def _unwrap(exc):
    """The real error behind pytest's wrappers (CollectError from SyntaxError/ImportError, conftest failures)."""
    for _ in range(5):
        name = type(exc).__name__
        if name == "CollectError" and exc.__cause__ is not None:
            exc = exc.__cause__
        elif name == "ConftestImportFailure":
            cause = getattr(exc, "cause", None)
            if cause is None:
                info = getattr(exc, "excinfo", None)
                cause = info[1] if isinstance(info, tuple) and len(info) > 1 else exc.__cause__
            if cause is None:
                break
            exc = cause
        else:
            break
    return exc


def _chain(exc) -> list:
    seen = set()
    items = []
    cur = exc
    while cur is not None and id(cur) not in seen and len(items) < 10:
        seen.add(id(cur))
        items.append({"errorType": error_type(cur), "errorMessage": _cut(error_message(cur), 500)})
        cur = cur.__cause__ if cur.__cause__ is not None else (None if cur.__suppress_context__ else cur.__context__)
    items.reverse()
    return items


def describe_exception(exc, classifier: FrameClassifier) -> dict:
    """errorType, errorMessage, frames, hint and chain of an exception (after unwrapping pytest's wrappers)."""
    exc = _unwrap(exc)
    tb = exc.__traceback__
    out = {"errorType": error_type(exc), "errorMessage": error_message(exc), "frames": classifier.frames(tb)}
    if isinstance(exc, SyntaxError) and exc.filename:
        # The frames are the importer's (importlib, pytest's assertion rewriter): keep only own code.
        out["frames"] = [f for f in out["frames"] if f["kind"] in ("project", "test")]
        syntax_frame = classifier.frame(exc.filename, exc.lineno or 0, "<module>")
        if exc.text and "code" not in syntax_frame:
            syntax_frame["code"] = exc.text.strip()[:300]
        out["frames"].append(syntax_frame)
    hint = python_hint(exc, tb)
    if hint:
        out["hint"] = hint
    chain = _chain(exc)
    if len(chain) > 1:
        out["chain"] = chain
    return out


def _is_click_result(value) -> bool:
    """A click.testing.Result (typer's CliRunner returns one too), recognised without importing click."""
    return any(c.__name__ == "Result" and c.__module__ == "click.testing" for c in type(value).__mro__)


def _click_hidden_exception(exc):
    """The exception a click CliRunner caught while the failing test ran: a Result in the locals of the test's frames
    whose `exception` is a real error (not the SystemExit of a plain exit code). None when there is none, or when the
    failure is that very exception."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if not _is_click_result(value):
                continue
            hidden = getattr(value, "exception", None)
            if isinstance(hidden, BaseException) and not isinstance(hidden, SystemExit) and hidden is not exc:
                return hidden
        tb = tb.tb_next
    return None


def describe_failure(exc, classifier: FrameClassifier) -> dict:
    """describe_exception of a test's failure; when the test's CliRunner swallowed the real error (`assert 1 == 0` on
    result.exit_code), that error instead: the test's own frames first, then the error's, the test's failure last in
    the chain, and the error's traceback text ahead of pytest's report (`hiddenTraceback`)."""
    out = describe_exception(exc, classifier)
    hidden = _click_hidden_exception(exc)
    if hidden is None:
        return out
    inner = describe_exception(hidden, classifier)
    inner["frames"] = [f for f in out["frames"] if f["kind"] == "test"] + inner["frames"]
    chain = inner.get("chain") or [{"errorType": inner["errorType"], "errorMessage": _cut(inner["errorMessage"], 500)}]
    inner["chain"] = chain + [{"errorType": out["errorType"], "errorMessage": _cut(out["errorMessage"], 500)}]
    text = "".join(traceback.format_exception(type(hidden), hidden, hidden.__traceback__))
    inner["hiddenTraceback"] = "The error click's CliRunner caught (result.exception):\n" + text
    return inner


_XDIST_HEADER_RE = re.compile(r"\A\[gw\d+\] \S+ -- Python \S+ .*\n")


def _report_text(report, limit: int) -> dict:
    out = {}
    try:
        text = report.longreprtext
    except Exception:
        text = ""
    if text:
        # xdist puts "[gw0] linux -- Python 3.x /path/python" above the report.
        text = _XDIST_HEADER_RE.sub("", text, count=1)
        out["stackTrace"] = _cut(text, _STACK_LIMIT)
    sections = []
    for title, content in getattr(report, "sections", ()) or ():
        if content:
            sections.append(f"----- {title} -----\n{content}")
    if sections:
        out["capturedOutput"] = _cut("\n".join(sections), limit)
    return out


# ---------------------------------------------------------------------------------------------------
# Per-phase timeout


class PhaseTimer:
    """SIGALRM raises Timeout inside a phase that runs too long; faulthandler catches what signals cannot.

    The handler is installed once per session and each phase only sets the interval timer, so a
    passing test costs two setitimer calls. A test stuck in C code that holds the GIL never lets the
    handler run: faulthandler's watchdog (a C thread) then dumps every thread's stack to `hang_file`
    and exits the process; the adapter reads the dump and resumes the run without that test.
    """

    def __init__(self, seconds: float, grace: float, hang_file: str | None, exact_hard: bool) -> None:
        self.seconds = seconds
        # Lazy mode guards each phase, exact mode a whole test (setup, call, teardown and reporting).
        hard = (3 * seconds if exact_hard else seconds) + grace
        self.hard_seconds = hard if hang_file and seconds > 0 and grace >= 0 else 0.0
        self.hang_file = hang_file
        # Exact mode (xdist workers) cancels the watchdog after every test, because a worker may
        # wait idle between tests; the lazy mode re-arms it only when less than one hard timeout is
        # left, so a stuck phase is dumped between 1x and 2x the hard timeout after it began.
        self.exact_hard = exact_hard
        self.phase = "call"
        self._hang_fh = None
        self._hard_until = 0.0
        self._previous = None
        self._installed = False
        self._armed = False
        self.usable = seconds > 0 and hasattr(signal, "setitimer")
        self._main_ident = threading.main_thread().ident
        self._handler = self._on_alarm  # one bound method, so `is` can recognise it

    def _on_alarm(self, signum, frame):
        __tracebackhide__ = True
        raise Timeout(f"test exceeded the per-test timeout of {self.seconds:g} s during {self.phase}")

    def arm(self, phase: str) -> None:
        """Starts the clock for a test (phase "setup") or for its teardown."""
        if not self.usable or threading.get_ident() != self._main_ident:
            return
        if not self._installed:
            self._previous = signal.signal(signal.SIGALRM, self._handler)
            self._installed = True
        elif signal.getsignal(signal.SIGALRM) is not self._handler:
            # A test replaced the handler (signal.alarm users): take it back for our phases.
            signal.signal(signal.SIGALRM, self._handler)
        self.phase = phase
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self._armed = True
        if self.hard_seconds > 0 and phase == "setup":
            self._arm_hard()

    def disarm(self) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._armed = False

    def test_done(self) -> None:
        if self.exact_hard and self._hard_until:
            faulthandler.cancel_dump_traceback_later()
            self._hard_until = 0.0

    def _arm_hard(self) -> None:
        now = time.monotonic()
        if self.exact_hard:
            if self._hard_until:
                return
            span = self.hard_seconds
        else:
            if self._hard_until - now >= self.hard_seconds:
                return
            span = 2 * self.hard_seconds
        if self._hang_fh is None:
            self._hang_fh = open(self.hang_file, "w")
            if not self.exact_hard and hasattr(faulthandler, "register"):
                # redgreen's own watchdog asks for a dump (SIGUSR2) before it kills a test that outlived its timeout.
                faulthandler.register(signal.SIGUSR2, file=self._hang_fh, all_threads=True)
        faulthandler.dump_traceback_later(span, repeat=False, file=self._hang_fh, exit=True)
        self._hard_until = now + span

    def close(self) -> None:
        self.disarm()
        if self._installed:
            signal.signal(signal.SIGALRM, self._previous if self._previous is not None else signal.SIG_DFL)
            self._installed = False
        if self._hang_fh is not None:
            faulthandler.cancel_dump_traceback_later()
            if not self.exact_hard and hasattr(faulthandler, "unregister"):
                faulthandler.unregister(signal.SIGUSR2)
            self._hard_until = 0.0
            self._hang_fh.close()
            self._hang_fh = None
            try:
                os.unlink(self.hang_file)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------------
# Plugin state


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
        self.max_output = int(_env_float("REDGREEN_MAX_OUTPUT", 8000)) or 8000
        timeout = _env_float("REDGREEN_TEST_TIMEOUT", 60.0)
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
                    "xdist": self.config.pluginmanager.hasplugin("xdist")
                    and bool(getattr(self.config.option, "numprocesses", None)),
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
            f[len(root):]
            for f in (getattr(p, "__file__", None) for p in self.config.pluginmanager.get_plugins())
            if isinstance(f, str) and os.path.basename(f) == "conftest.py" and f.startswith(root)
        )
        inipath = str(getattr(self.config, "inipath", None) or getattr(self.config, "inifile", None) or "")
        try:
            python_files = [str(p) for p in self.config.getini("python_files")]
        except Exception:
            python_files = []
        self.emit({
            "event": "files",
            "testFiles": sorted({str(item.path)[len(root):] for item in session.items if str(getattr(item, "path", "")).startswith(root)}),
            "conftests": conftests,
            "configFile": inipath[len(root):] if inipath.startswith(root) else None,
            "pythonFiles": python_files,
        })

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


def _state(config) -> RedgreenState:
    state = getattr(config, "_redgreen_state", None)
    if state is None:
        state = RedgreenState(config)
        config._redgreen_state = state
    return state


# ---------------------------------------------------------------------------------------------------
# Hooks


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    outcome = yield
    excinfo = getattr(outcome, "excinfo", None)
    if excinfo is None or excinfo[1] is None or type(excinfo[1]).__name__ != "ConftestImportFailure":
        return
    # pytest stops before pytest_configure here: record the broken conftest as a collection error.
    exc = excinfo[1]
    try:
        state = _state(early_config)
        path = str(getattr(exc, "path", "") or "")
        shown = state.classifier.classify(path)[0] if path else "conftest.py"
        failure = describe_exception(exc, state.classifier)
        failure["stackTrace"] = f"ImportError while loading conftest '{path}'.\n{failure['errorType']}: {failure['errorMessage']}"
        state.emit({"event": "collect", "nodeid": shown, "outcome": "failed", "failure": failure})
        state.close()
    except Exception:
        pass


def pytest_configure(config):
    state = _state(config)
    config.pluginmanager.register(RedgreenPlugin(state), "redgreen")
    if config.pluginmanager.hasplugin("xdist") and not state.is_worker:
        config.pluginmanager.register(_XdistController(state), "redgreen-xdist")


def pytest_unconfigure(config):
    state = getattr(config, "_redgreen_state", None)
    if state is not None:
        state.close()


class RedgreenPlugin:
    """The per-run hooks; registered in pytest_configure with the run's state."""

    def __init__(self, state: RedgreenState) -> None:
        self.state = state

    # One clock runs through setup and call (the per-test timeout), a fresh one through teardown. They
    # start in the first implementation of the phase hooks and stop when pytest builds the call's or
    # teardown's report (plain hooks and few timer syscalls: this runs for every test).
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        self.state.timer.arm("setup")

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_call(self, item):
        self.state.timer.phase = "call"

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_teardown(self, item, nextitem):
        self.state.timer.arm("teardown")

    def pytest_runtest_logfinish(self, nodeid, location):
        self.state.timer.test_done()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        keep = _selected_by_pattern()
        unwanted = _deselected_ids()
        dropped = [item for item in items if item.nodeid in unwanted or not keep(item.nodeid)]
        if dropped:
            gone = {id(item) for item in dropped}
            items[:] = [item for item in items if id(item) not in gone]
            config.hook.pytest_deselected(items=dropped)

    def pytest_collection_finish(self, session):
        self.state.watch.collected(session.items)
        if not self.state.is_worker:
            self.state.emit_collected(len(session.items), [item.nodeid for item in session.items])
            self.state.emit_files(session)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        self.state.watch.function_called(pyfuncitem)
        outcome = yield
        excinfo = getattr(outcome, "excinfo", None)
        exc = excinfo[1] if excinfo else None
        if exc is not None and not isinstance(exc, (pytest.skip.Exception, pytest.xfail.Exception)):
            self.state.watch.function_raised(pyfuncitem, exc)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector):
        outcome = yield
        try:
            report = outcome.get_result()
        except BaseException:
            return
        if not report.failed:
            return
        excinfo = getattr(report.__dict__.get("call"), "excinfo", None)
        if excinfo is None:
            return
        try:
            report.redgreen = describe_exception(excinfo.value, self.state.classifier)
        except Exception:
            pass

    def pytest_collectreport(self, report):
        state = self.state
        if report.passed or state.is_worker or state.path is None:
            return
        event = {"event": "collect", "nodeid": report.nodeid, "outcome": report.outcome}
        if report.failed:
            event["failure"] = self._failure(report)
        else:
            event["reason"] = _skip_reason(report)
        state.emit(event)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        if call.when != "setup":
            self.state.timer.disarm()
        outcome = yield
        try:
            report = outcome.get_result()
        except BaseException:
            return
        if call.when == "call":
            # Travels with the report (xdist serialises it), so the controller judges what the worker saw.
            report.redgreen_anomalies = [list(a) for a in self.state.watch.anomalies_for_call(item, report)]
            report.redgreen_raised = self.state.watch.raised(report.nodeid)
        if not report.failed or call.excinfo is None:
            return
        try:
            report.redgreen = describe_failure(call.excinfo.value, self.state.classifier)
        except Exception:
            pass

    def pytest_runtest_logreport(self, report):
        state = self.state
        if state.path is not None and _parent_gone(state.parent_pid, report.when == "teardown"):
            # The test that just ran killed redgreen's supervisor (our parent): stop before reporting it, so the
            # adapter blames this test, the first one that did not finish; redgreen kills the rest of the group.
            os._exit(70)
        if state.is_worker or state.path is None:
            return
        for kind, nodeid, detail in getattr(report, "redgreen_anomalies", None) or []:
            state.emit_anomaly(kind, nodeid, detail)
        raised = getattr(report, "redgreen_raised", None)
        if raised and report.when == "call" and report.passed and getattr(report, "wasxfail", None) is None:
            state.emit_anomaly("outcome_rewritten", report.nodeid, f"the test raised {raised} but was reported passed")
        wasxfail = getattr(report, "wasxfail", None)
        subtest = _subtest_description(report)
        if subtest is None and report.passed and wasxfail is None:
            state.emit_pass(report.nodeid, report.when, report.duration)
            return
        if subtest is not None and report.passed and wasxfail is None:
            if _subtest_category(self.state.config, report) in ("", "subtests passed"):
                return  # a passing subtest is not a test of its own in pytest's summary
        event = {
            "event": "phase",
            "nodeid": report.nodeid,
            "when": report.when,
            "outcome": report.outcome,
            "duration": report.duration,
        }
        if wasxfail is not None:
            event["wasxfail"] = str(wasxfail)
        if subtest is not None:
            event["subtest"] = subtest
            event["category"] = _subtest_category(self.state.config, report)
        worker = getattr(getattr(getattr(report, "node", None), "gateway", None), "id", None)
        if worker is not None:
            event["worker"] = worker
        if report.skipped and wasxfail is None:
            event["reason"] = _skip_reason(report)
        if report.failed:
            event["failure"] = self._failure(report)
        state.emit_phase(event)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session):
        yield
        self.state.timer.close()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        self.state.timer.close()
        for kind, nodeid, detail in self.state.watch.anomalies_at_finish():
            self.state.emit_anomaly(kind, nodeid, detail)
        self.state.emit({"event": "finish", "exitstatus": int(exitstatus), "duration": time.time() - self.state.started})

    def _failure(self, report) -> dict:
        failure = dict(getattr(report, "redgreen", None) or {})
        hidden = failure.pop("hiddenTraceback", None)
        failure.update(_report_text(report, self.state.max_output))
        if hidden:
            failure["stackTrace"] = _cut(hidden + "\n" + failure.get("stackTrace", ""), _STACK_LIMIT)
        if "errorType" not in failure:
            failure.update(_failure_from_text(failure.get("stackTrace", "")))
        return failure


class _XdistController:
    """Hooks that exist only when pytest-xdist runs: the controller learns the collection from workers."""

    def __init__(self, state: RedgreenState) -> None:
        self.state = state

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.state.emit_collected(len(ids))


# ---------------------------------------------------------------------------------------------------
# Helpers


_PARENT_STAT: dict = {}


def _parent_gone(parent_pid: int, thorough: bool) -> bool:
    """Whether redgreen's supervisor (our parent) died. A SIGKILL a test sent it lands asynchronously, so before a
    test's last report (`thorough`) a kill still pending or an exit under way counts too (Linux /proc/PID/stat, read
    through one descriptor kept open)."""
    if os.getppid() != parent_pid:
        return True
    if not thorough:
        return False
    fd = _PARENT_STAT.get(parent_pid)
    try:
        if fd is None:
            fd = _PARENT_STAT[parent_pid] = os.open(f"/proc/{parent_pid}/stat", os.O_RDONLY)
        stat = os.pread(fd, 1024, 0)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not stat:
        return True
    # After the ")" that ends the command name: state is field 3, pending signals field 31 (so [0] and [28] here).
    fields = stat[stat.rindex(b")") + 2:].split()
    return fields[0] in (b"Z", b"X") or (len(fields) > 28 and int(fields[28]) & (1 << (signal.SIGKILL - 1)) != 0)


def _subtest_description(report):
    """A subtest's description ("[msg] (i=1)") when `report` is one (pytest 9 `subtests`, pytest-subtests), else None."""
    if type(report).__name__ not in ("SubtestReport", "SubTestReport") or getattr(report, "context", None) is None:
        return None
    describe = getattr(report, "_sub_test_description", None)
    try:
        return str(describe()) if callable(describe) else str(report.context)
    except Exception:
        return "(<subtest>)"


def _subtest_category(config, report) -> str:
    """The category pytest's summary counts a subtest report in ("failed", "skipped", "subtests passed", "" = none)."""
    try:
        status = config.hook.pytest_report_teststatus(report=report, config=config)
    except Exception:
        status = None
    if isinstance(status, tuple) and status and isinstance(status[0], str):
        return status[0]
    return report.outcome


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "")


_E_LINE_RE = re.compile(r"^E\s+([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failed|Timeout|[A-Z]\w*))(?::\s?(.*))?$")


def _failure_from_text(text: str) -> dict:
    """Best-effort type/message from pytest's text when no exception object was at hand (xdist crash, XPASS strict)."""
    xpass = re.search(r"^\[XPASS\(strict\)\] ?(.*)$", text, re.MULTILINE)
    if xpass:
        return {"errorType": "XPASS(strict)", "errorMessage": xpass.group(1).strip(), "frames": []}
    crash = re.search(r"worker '([^']+)' crashed while running", text)
    if crash:
        return {"errorType": "WorkerCrashed", "errorMessage": text[crash.start():].strip(), "frames": []}
    for line in reversed(text.splitlines()):
        match = _E_LINE_RE.match(line)
        if match:
            return {"errorType": match.group(1), "errorMessage": (match.group(2) or "").strip(), "frames": []}
    first = text.strip().splitlines()[-1] if text.strip() else ""
    return {"errorType": "Error", "errorMessage": first[:_MESSAGE_LIMIT], "frames": []}
