"""redgreen's per-test coverage contexts: one coverage.py context per test, named by its node id.

Loaded with ``-p redgreen_test_contexts`` next to pytest-cov, on full runs that record the per-test coverage map.
pytest-cov's ``--cov-context=test`` switches three times a test ("nodeid|setup", "|run", "|teardown") and coverage.py
writes its data at every switch; one switch a test, before its setup, records the same lines per test for about half
the cost. A test's teardown keeps its context until the next test starts. Lines run before the first test (imports
during collection) stay in the empty context. Does nothing when coverage.py is not measuring (or too old to say).
"""

import pytest

try:
    from coverage import Coverage
except ImportError:  # pragma: no cover - pytest-cov brings coverage
    Coverage = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    current = getattr(Coverage, "current", None)
    cov = current() if current is not None else None
    if cov is not None:
        cov.switch_context(item.nodeid)
