"""redgreen's run-integrity watch: notices when a test's reported outcome is not what really happened.

Loaded by redgreen_pytest_plugin (itself loaded with ``-p`` before any conftest or project module), so the
originals it captures are pytest's own. It reports anomalies; the plugin streams them and redgreen refuses to
count an anomalous test as passing:

  runner_patched          pytest's machinery (runtest, pyfunc_call, call_and_report, TestReport) was replaced
  call_not_executed       a standard test function item reported its call passed, but the test function never ran
  outcome_rewritten       the test function raised, yet the call's report says it passed (judged by the plugin
                          on the final report, from what this watch recorded)
  foreign_test_function   the function run as a test is defined in a project file that is not a collected test file
"""

from __future__ import annotations

import inspect
import os

import _pytest.python
import _pytest.reports
import _pytest.runner

try:  # pytest's unittest support has its own runtest
    import _pytest.unittest as _unittest_mod
except Exception:  # pragma: no cover - always present in supported pytest versions
    _unittest_mod = None


def _machinery() -> dict:
    """The pytest internals a forged pass would replace, by name, as they are now."""
    found = {
        "_pytest.python.Function.runtest": _pytest.python.Function.__dict__.get("runtest"),
        "_pytest.python.pytest_pyfunc_call": _pytest.python.pytest_pyfunc_call,
        "_pytest.runner.call_and_report": _pytest.runner.call_and_report,
        "_pytest.runner.runtestprotocol": _pytest.runner.runtestprotocol,
        "_pytest.runner.CallInfo.from_call": _pytest.runner.CallInfo.__dict__.get("from_call"),
        "_pytest.reports.TestReport.from_item_and_call": _pytest.reports.TestReport.__dict__.get("from_item_and_call"),
    }
    if _unittest_mod is not None:
        found["_pytest.unittest.TestCaseFunction.runtest"] = _unittest_mod.TestCaseFunction.__dict__.get("runtest")
    return found


# Captured when the plugin loads: before conftest files and project modules are imported.
_ORIGINALS = _machinery()
_FUNCTION_RUNTEST = _ORIGINALS["_pytest.python.Function.runtest"]


def patched_machinery() -> list:
    """Names of pytest internals that no longer hold what pytest defined."""
    now = _machinery()
    return [name for name, original in _ORIGINALS.items() if now.get(name) is not original]


_REAL: dict = {}


def _real(path: str) -> str:
    """os.path.realpath, once per path a run (it stats every component: thousands of tests share a few files)."""
    real = _REAL.get(path)
    if real is None:
        try:
            real = os.path.realpath(path)
        except Exception:
            real = path
        _REAL[path] = real
    return real


_INSTALLED_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


class IntegrityWatch:
    """Per-run bookkeeping: which test functions ran, which raised, and where they were defined."""

    def __init__(self, rootdir: str) -> None:
        self.rootdir = _real(rootdir).rstrip(os.sep) + os.sep
        self.test_files: set = set()
        self._executed: set = set()
        self._raised: dict = {}
        self._foreign: dict = {}
        self._runner_reported = False

    def collected(self, items) -> None:
        for item in items:
            path = getattr(item, "path", None) or getattr(item, "fspath", None)
            if path is not None:
                self.test_files.add(_real(str(path)))

    def function_called(self, item) -> None:
        """Called by the plugin's pytest_pyfunc_call wrapper as the test function starts."""
        self._executed.add(item.nodeid)
        code_file = self._code_file(getattr(item, "obj", None))
        if code_file is None:
            return
        if code_file.startswith(self.rootdir) and code_file not in self.test_files and not any(m in code_file for m in _INSTALLED_MARKERS):
            if os.path.basename(code_file) != "conftest.py":
                self._foreign[item.nodeid] = code_file[len(self.rootdir) :]

    def function_raised(self, item, exc) -> None:
        """The test function raised `exc` (pytest's skip/xfail outcomes excluded by the caller)."""
        self._raised[item.nodeid] = f"{type(exc).__name__}: {str(exc)[:200]}"

    def raised(self, nodeid: str):
        """What the test function raised, or None."""
        return self._raised.get(nodeid)

    @staticmethod
    def _code_file(obj):
        try:
            fn = inspect.unwrap(obj)
        except Exception:
            fn = obj
        fn = getattr(fn, "__func__", fn)
        code = getattr(fn, "__code__", None)
        filename = getattr(code, "co_filename", None)
        return _real(filename) if isinstance(filename, str) and filename and not filename.startswith("<") else None

    def anomalies_for_call(self, item, report) -> list:
        """Anomalies of a test whose call phase was just reported (only passing calls can be forged into passes)."""
        if report.outcome != "passed" or getattr(report, "wasxfail", None) is not None:
            return []
        nodeid = report.nodeid
        out = []
        patched = patched_machinery()
        if patched and not self._runner_reported:
            out.append(("runner_patched", None, "pytest internals were replaced while the tests ran: " + ", ".join(patched)))
            self._runner_reported = True
        if item is not None:
            if "runtest" in getattr(item, "__dict__", {}):
                out.append(("runner_patched", nodeid, "the test item's runtest was replaced on the instance"))
            elif type(item).runtest is _FUNCTION_RUNTEST and isinstance(item, _pytest.python.Function) and nodeid not in self._executed:
                out.append(("call_not_executed", nodeid, "reported passed, but the test function never ran"))
        if nodeid in self._foreign:
            out.append(
                (
                    "foreign_test_function",
                    nodeid,
                    f"the function run as this test is defined in {self._foreign[nodeid]}, not in a test file",
                )
            )
        return out

    def anomalies_at_finish(self) -> list:
        patched = patched_machinery()
        if patched and not self._runner_reported:
            self._runner_reported = True
            return [("runner_patched", None, "pytest internals were replaced while the tests ran: " + ", ".join(patched))]
        return []
