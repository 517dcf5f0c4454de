"""A standby pytest process: Python and pytest load before the run is known, the run's order arrives on stdin.

Started as ``python -m redgreen_standby`` in the project root with a run's environment, it imports pytest and its builtin
plugins (no project code; not the pytest11 plugins, which pytest imports for assertion rewriting), then waits for one
JSON line ``{"args": [...], "env": {...}}``: the arguments after ``-m pytest`` and the run's whole environment. It then
becomes ``python -m pytest ARGS`` (runpy's own ``-m`` path: the same ``__main__``, ``sys.argv`` and ``sys.path``), so
the run saves the interpreter's start and pytest's imports, about 0.15 s a run.

It is equivalent to a fresh process only while nothing it loaded could load differently now, so it refuses the order
(exit REFUSED_EXIT, one line on stderr: REFUSED_MARKER, the order's nonce, why; nothing run) and redgreen starts
pytest afresh when:
  - a file it loaded changed (size or mtime) or was written after it started, or one lies in the project outside
    installed packages;
  - an importable name appeared or went in a folder of sys.path inside the project since it started, before loading
    anything (a new ``json.py`` in the root would shadow the standard library in a fresh process);
  - the order's environment differs from the one it started with in anything but RUN_VARIABLES (redgreen's per-run
    settings, read only by redgreen's plugin, which loads after the order; they are set from the order), OWN_VARIABLES
    (what its shell set for it) or the locale Python coerced: whatever loading pytest did to os.environ stays, as in a
    fresh run;
  - the arguments block a builtin plugin it loaded that ``import pytest`` alone does not (``-p no:faulthandler``).
End of stdin without an order: it exits 0 (redgreen did not need it).
"""

from __future__ import annotations

import os
import sys
import time


def _project_path(root: str) -> list[str]:
    """The folders of sys.path inside the project (the root itself, for ``-m``)."""
    return [f for f in {os.path.realpath(p or ".") for p in sys.path} if (f + os.sep).startswith(root)]


def _names(folder: str) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


# Taken before anything else loads (pytest, this module's own imports): a name that appears in the project from now on,
# even while pytest loads, and a loaded file written since, make it refuse.
_STARTED_NS = time.time_ns()
_ROOT = os.path.realpath(os.getcwd()) + os.sep
_LISTED = {folder: _names(folder) for folder in _project_path(_ROOT)}

import importlib
import json
import re
import runpy

REFUSED_EXIT = 86
REFUSED_MARKER = "redgreen-standby: refused:"

# Read only after the order (by redgreen's plugin and coverage): they may differ from run to run.
RUN_VARIABLES = frozenset(
    {
        "REDGREEN_JSONL",
        "REDGREEN_TEST_TIMEOUT",
        "REDGREEN_HARD_GRACE",
        "REDGREEN_MAX_OUTPUT",
        "REDGREEN_DESELECT_FILE",
        "REDGREEN_SELECT_FILE",
        "REDGREEN_PYCACHE_PREFIX",
        "REDGREEN_PYCACHE_SEED_BEFORE",
        "COVERAGE_FILE",
    }
)
# Set for this process by redgreen's supervisor (its tag) and its shell (dash sets PWD, bash SHLVL and _): a fresh run
# through the same supervisor in the same folder gets the same values.
OWN_VARIABLES = frozenset({"REDGREEN_PROCESS_TAG", "PWD", "OLDPWD", "SHLVL", "_"})
# Set by Python itself when the order's environment has none: it coerces the C locale (PEP 538), as a fresh one would.
COERCED_LOCALE = "LC_CTYPE"

# The names of a fresh interpreter's __main__ before ``-m`` runs a module in it.
_FRESH_MAIN = frozenset({"__name__", "__doc__", "__package__", "__loader__", "__spec__", "__annotations__", "__builtins__"})
_INSTALLED_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)
# A file system's clock may lag the process's by a tick: a file written this long before the start counts as written after.
_MTIME_SLACK_NS = 1_000_000_000
# A module's or package's name, or a .pth file (whatever its name: Python runs its lines at start-up in a site folder).
_IMPORTABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(\.py|\.pyc|\.[A-Za-z0-9_.-]*\.(so|pyd)|\.so|\.pyd)?|.*\.pth)$")


class Snapshot:
    """What the standby loaded: each module file's size and mtime, the importable names of the project's path folders."""

    def __init__(self, root: str, plugins: frozenset[str], env: dict[str, str]) -> None:
        self.root = os.path.realpath(root) + os.sep
        self.plugins = plugins
        self.env = env
        files = _module_files()
        listed = {f: _LISTED[f] if f in _LISTED else _names(f) for f in _project_path(self.root)}
        # The .pth files of the project's path folders count as loaded: a fresh interpreter would run them as they are now.
        pth = [os.path.join(f, n) for f, names in listed.items() for n in names if n.endswith(".pth")]
        self.files = {path: _stamp(path) for path in [*files, *pth]}
        # Checked now, while the process waits: a file's place does not change.
        self.from_project = next((path for path in files if self._in_project(path)), None)
        # Written since the process started (maybe after its import): stamped now, it would look unchanged.
        recent = _STARTED_NS - _MTIME_SLACK_NS
        self.written = next((p for p, st in self.files.items() if st is not None and st[1] >= recent), None)
        self.folders = {f: _importable(names) for f, names in listed.items()}

    def _in_project(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real.startswith(self.root) and not any(m in real for m in _INSTALLED_MARKERS)

    def refusal(self, order: dict) -> str | None:
        """Why this process cannot run `order` as a fresh ``python -m pytest`` would, or None."""
        env = order.get("env")
        args = order.get("args")
        if not isinstance(env, dict) or not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            return "the order is not {args: [strings], env: {...}}"
        keys = (set(env) | set(self.env)) - RUN_VARIABLES - OWN_VARIABLES
        if COERCED_LOCALE not in env:
            keys.discard(COERCED_LOCALE)
        changed = sorted(k for k in keys if env.get(k) != self.env.get(k))
        if changed:
            return f"the environment differs in {', '.join(changed[:5])}"
        if self.from_project is not None:
            return f"it loaded {self.from_project} from the project"
        for path, stamp in self.files.items():
            if _stamp(path) != stamp:
                return f"{path} changed since it was loaded"
        if self.written is not None:
            return f"{self.written} changed while it loaded"
        for folder, names in self.folders.items():
            if _importable(_names(folder)) != names:
                return f"the importable names in {folder} changed"
        blocked = {a.split("no:", 1)[1] for a in args if a.startswith(("no:", "-pno:", "-p=no:"))}
        if "cacheprovider" in blocked:
            blocked.add("stepwise")  # pytest blocks it with the cache
        if blocked & self.plugins:
            return "the arguments block a plugin it loaded"
        return None


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _module_files() -> list[str]:
    files = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.isabs(path):
            files.append(path)
    return files


def _importable(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in names if n != "__pycache__" and _IMPORTABLE.match(n))


def preload() -> frozenset[str]:
    """Imports pytest and its builtin plugins; returns the names of the builtin plugins ``import pytest`` alone leaves out.

    Not the pytest11 plugins: pytest marks them for assertion rewriting before it imports them, and one imported before
    that is left unrewritten and warned about (an error under ``filterwarnings = error``). Any failure makes the standby
    refuse its order: a fresh process then shows the error as pytest reports it."""
    import pytest  # noqa: F401
    from _pytest.config import default_plugins

    early = [name for name in default_plugins if f"_pytest.{name}" not in sys.modules]
    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")
    return frozenset(early)


def main() -> int:
    # As the process started: what loading pytest and its plugins did to os.environ stays, as in a fresh run.
    started_with = dict(os.environ)
    try:
        plugins = preload()
        failed = None
    except BaseException as e:  # noqa: BLE001 - a fresh process shows the real error, the standby steps aside
        plugins, failed = frozenset(), f"loading pytest failed: {type(e).__name__}"
    snapshot = Snapshot(os.getcwd(), plugins, started_with)
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    try:
        order = json.loads(line)
    except ValueError:
        order = None
    why = failed or (snapshot.refusal(order) if isinstance(order, dict) else "the order is not JSON")
    if why is not None:
        nonce = order.get("nonce", "") if isinstance(order, dict) else ""
        sys.stderr.write(f"{REFUSED_MARKER} {nonce} {why}\n")
        return REFUSED_EXIT
    # The run's code shares this process and can walk up to this frame: nothing here holds the nonce any more.
    order.pop("nonce", None)
    line = ""
    # A fresh run's stdin is /dev/null.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for name in RUN_VARIABLES:
        if name in order["env"]:
            os.environ[name] = order["env"][name]
        else:
            os.environ.pop(name, None)
    sys.argv = ["-m", *order["args"]]
    # As the interpreter's own: the command line `python -m pytest ARGS` (its first items are this process's
    # interpreter and options), and a __main__ holding none of this module's names.
    if hasattr(sys, "orig_argv"):  # Python 3.10+
        sys.orig_argv = [*sys.orig_argv[:-2], "-m", "pytest", *order["args"]]
    run = runpy._run_module_as_main
    main_globals = vars(sys.modules["__main__"])
    for name in [n for n in main_globals if n not in _FRESH_MAIN]:
        del main_globals[name]
    main_globals["__annotations__"] = {}
    # What `python -m pytest` runs: pytest/__main__.py as __main__ (in that module's namespace), sys.argv[0] its path.
    run("pytest", alter_argv=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
