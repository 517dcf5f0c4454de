"""redgreen's pytest plugin: streams one JSON line per test event to the file named by REDGREEN_JSONL.

Loaded with ``-p redgreen_pytest_plugin`` (its folder on PYTHONPATH). Works with pytest 7, 8 and 9 and
under pytest-xdist: workers attach structured failure data to their reports (``report.redgreen``, a
JSON-ready dict that xdist serializes with the report) and only the controller writes the file.

This module holds the hooks; its sibling modules hold one concern each: redgreen_state (settings, the writer),
redgreen_timer (the per-test timeout), redgreen_failures (failure dicts) with redgreen_frames (traceback frames) and
redgreen_hint ("Did you mean"), redgreen_integrity (the run-integrity watch), redgreen_bytecode (bytecode placement).

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

import json
import os
import re
import signal
import time

import pytest

from redgreen_bytecode import redirect
from redgreen_failures import describe_exception, describe_failure, report_failure
from redgreen_loaded import loaded_paths, temp_roots
from redgreen_state import RedgreenState, env_float, state_of

# `-p` plugins load before entry-point plugins, conftests and any project module (pytest runs in the project root).
if os.environ.get("REDGREEN_PYCACHE_PREFIX"):
    redirect(os.environ["REDGREEN_PYCACHE_PREFIX"], os.getcwd(), env_float("REDGREEN_PYCACHE_SEED_BEFORE", 0.0))


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
        state = state_of(early_config)
        path = str(getattr(exc, "path", "") or "")
        shown = state.classifier.classify(path)[0] if path else "conftest.py"
        failure = describe_exception(exc, state.classifier)
        failure["stackTrace"] = f"ImportError while loading conftest '{path}'.\n{failure['errorType']}: {failure['errorMessage']}"
        state.emit({"event": "collect", "nodeid": shown, "outcome": "failed", "failure": failure})
        state.close()
    except Exception:
        pass


def pytest_configure(config):
    state = state_of(config)
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
            event["failure"] = report_failure(report, self.state.max_output)
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
            event["failure"] = report_failure(report, self.state.max_output)
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
        workeroutput = getattr(self.state.config, "workeroutput", None)
        if isinstance(workeroutput, dict):
            # An xdist worker: the controller gets it with the worker's end (pytest_testnodedown).
            workeroutput["redgreen_loaded"] = loaded_paths(temp_roots(self.state.config))
        else:
            loaded = self.state.worker_loaded.union(loaded_paths(temp_roots(self.state.config)))
            self.state.emit({"event": "loaded", "paths": sorted(loaded)})
        self.state.emit({"event": "finish", "exitstatus": int(exitstatus), "duration": time.time() - self.state.started})


class _XdistController:
    """Hooks that exist only when pytest-xdist runs: the controller learns the collection from workers."""

    def __init__(self, state: RedgreenState) -> None:
        self.state = state

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.state.emit_collected(len(ids))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        paths = getattr(node, "workeroutput", {}).get("redgreen_loaded")
        if isinstance(paths, list):
            self.state.worker_loaded.update(p for p in paths if isinstance(p, str))


# ---------------------------------------------------------------------------------------------------
# Helpers


_PARENT_STAT: dict = {}
# Linux's PF_EXITING task flag: set when a process starts to exit.
_PF_EXITING = 0x4


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
    # After the ")" that ends the command name: state is field 3, the kernel's flags field 9, pending signals field 31
    # (so [0], [6] and [28] here). A SIGKILL already taken off the pending set leaves the parent exiting (PF_EXITING)
    # before it is a zombie.
    fields = stat[stat.rindex(b")") + 2 :].split()
    if fields[0] in (b"Z", b"X") or (len(fields) > 6 and int(fields[6]) & _PF_EXITING):
        return True
    return len(fields) > 28 and int(fields[28]) & (1 << (signal.SIGKILL - 1)) != 0


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
        return reason[len("Skipped: ") :] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "")
