"""redgreen's pytest plugin, Python's "Did you mean" hint for NameError, AttributeError and ImportError failures.

As CPython 3.12+ computes it in traceback.TracebackException (3.10/3.11 compute it only in C while printing, so the
traceback module cannot give it there). The distance and the rule live in the helper's package, shared with its
name_suggestion op; loaded by path because this plugin runs inside the project's pytest, where the helper's package
is not importable.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys


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
