"""redgreen's pytest plugin, failures: an exception or a failed report as the JSON-ready failure dict the stream carries.

errorType, errorMessage, frames, hint and chain of the exception (after unwrapping pytest's wrappers), with pytest's
report text and captured output; type and message read from that text when no exception object was at hand.
"""

from __future__ import annotations

import re
import traceback

from redgreen_frames import FrameClassifier
from redgreen_hint import python_hint

_STACK_LIMIT = 20000
_MESSAGE_LIMIT = 4000


def _cut(text: str, limit: int) -> str:
    """Keeps the head and the tail of a long text."""
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    return f"{text[:head]}\n... [{len(text) - limit} characters omitted] ...\n{text[-tail:]}"


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


def report_failure(report, max_output: int) -> dict:
    """The failure of a failed report: what the test's process described (``report.redgreen``) and pytest's text."""
    failure = dict(getattr(report, "redgreen", None) or {})
    hidden = failure.pop("hiddenTraceback", None)
    failure.update(_report_text(report, max_output))
    if hidden:
        failure["stackTrace"] = _cut(hidden + "\n" + failure.get("stackTrace", ""), _STACK_LIMIT)
    if "errorType" not in failure:
        failure.update(_failure_from_text(failure.get("stackTrace", "")))
    return failure


_E_LINE_RE = re.compile(r"^E\s+([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Failed|Timeout|[A-Z]\w*))(?::\s?(.*))?$")


def _failure_from_text(text: str) -> dict:
    """Best-effort type/message from pytest's text when no exception object was at hand (xdist crash, XPASS strict)."""
    xpass = re.search(r"^\[XPASS\(strict\)\] ?(.*)$", text, re.MULTILINE)
    if xpass:
        return {"errorType": "XPASS(strict)", "errorMessage": xpass.group(1).strip(), "frames": []}
    crash = re.search(r"worker '([^']+)' crashed while running", text)
    if crash:
        return {"errorType": "WorkerCrashed", "errorMessage": text[crash.start() :].strip(), "frames": []}
    for line in reversed(text.splitlines()):
        match = _E_LINE_RE.match(line)
        if match:
            return {"errorType": match.group(1), "errorMessage": (match.group(2) or "").strip(), "frames": []}
    first = text.strip().splitlines()[-1] if text.strip() else ""
    return {"errorType": "Error", "errorMessage": first[:_MESSAGE_LIMIT], "frames": []}
