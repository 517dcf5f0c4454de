"""redgreen's pytest plugin, the per-phase timeout: Timeout raised inside a test's setup + call or teardown that runs too long."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time

import pytest


class Timeout(pytest.fail.Exception):  # type: ignore[misc,name-defined]
    """Raised inside a test whose phase ran past the per-test timeout (prints as ``Timeout: ...``)."""


# Printed as "Timeout: ..." rather than "redgreen_timer.Timeout: ...", like pytest's own outcomes.
Timeout.__module__ = "builtins"


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
