"""Generates data/stdlib-names.json: every public stdlib module (and submodule) with its public top-level
names, read from the running interpreter (Python 3.10+ for sys.stdlib_module_names).

Usage: python3 src/python/gen_stdlib_names.py [output path]   (default: data/stdlib-names.json)

Public names are a module's __all__ when it defines one, otherwise dir() without private names, without
modules it merely imported and without objects it imported from another package. Private, test, IDE,
GUI (tkinter/turtle) and side-effecting (antigravity, this) modules are skipped, as is any module that
fails to import on this platform. Runs itself without site-packages (-S), so installed packages do not
change the result.
"""

import contextlib
import importlib
import io
import json
import os
import pkgutil
import sys
import types
import warnings

SKIP_TOP = {
    "test",
    "idlelib",
    "tkinter",
    "turtle",
    "turtledemo",
    "antigravity",
    "this",
    "lib2to3",
    "pydoc_data",
    "ensurepip",
    "xxlimited",
    "xxlimited_35",
    "xxsubtype",
}
KEEP_PRIVATE = {"__future__"}
SKIP_SUBPACKAGES = ("encodings.",)


def wanted(name):
    parts = name.split(".")
    if parts[0] in SKIP_TOP:
        return False
    if any(p.startswith("_") and p not in KEEP_PRIVATE for p in parts):
        return False
    if any(p in ("test", "tests", "idle_test") for p in parts):
        return False
    return not name.startswith(SKIP_SUBPACKAGES)


def quiet_import(name):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return importlib.import_module(name)


def top_package(name):
    return name.split(".")[0].lstrip("_")


def public_names(module_name, module):
    declared = getattr(module, "__all__", None)
    if isinstance(declared, (list, tuple)) and all(isinstance(n, str) for n in declared):
        return sorted(set(declared))
    names = []
    mine = top_package(module_name)
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name, None)
        if isinstance(value, types.ModuleType):
            if value.__name__.startswith(module_name + "."):
                names.append(name)
            continue
        origin = getattr(value, "__module__", None)
        if isinstance(origin, str) and origin not in ("builtins", module_name) and top_package(origin) != mine:
            continue
        names.append(name)
    return sorted(names)


def submodules(package_name, package):
    path = getattr(package, "__path__", None)
    if not path:
        return []
    found = []
    for info in pkgutil.walk_packages(path, package_name + ".", onerror=lambda _name: None):
        if wanted(info.name) and not info.name.endswith(".__main__"):
            found.append(info.name)
    return found


def generate():
    if not hasattr(sys, "stdlib_module_names"):
        raise SystemExit("gen_stdlib_names.py needs Python 3.10+ (sys.stdlib_module_names)")
    modules = {}
    for top in sorted(sys.stdlib_module_names):
        if not wanted(top):
            continue
        try:
            module = quiet_import(top)
        except Exception:  # noqa: BLE001 - platform-specific modules (winreg, msvcrt, ...) fail here
            continue
        modules[top] = public_names(top, module)
        # Attribute modules that import as a dotted name without being submodules: os.path.
        for attr in dir(module):
            alias = top + "." + attr
            if isinstance(getattr(module, attr, None), types.ModuleType) and sys.modules.get(alias) is getattr(module, attr):
                if wanted(alias):
                    modules[alias] = public_names(getattr(module, attr).__name__, getattr(module, attr))
        for sub in submodules(top, module):
            try:
                submodule = quiet_import(sub)
            except Exception:  # noqa: BLE001
                continue
            modules[sub] = public_names(sub, submodule)
    return {
        "python": "%d.%d.%d" % tuple(sys.version_info[:3]),
        "generatedBy": "src/python/gen_stdlib_names.py",
        "modules": dict(sorted(modules.items())),
    }


def main(argv):
    if not sys.flags.no_site:
        # Re-run without site-packages: installed packages (docutils, setuptools' distutils shim) must not
        # change what the stdlib exports, so the catalog is the same from any environment of this Python.
        os.execv(sys.executable, [sys.executable, "-S", "-E", "-B", os.path.abspath(__file__)] + argv[1:])
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) > 1 else os.path.join(here, "..", "..", "data", "stdlib-names.json")
    catalog = generate()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(catalog, fh, indent=1, sort_keys=False)
        fh.write("\n")
    count = sum(len(v) for v in catalog["modules"].values())
    sys.stderr.write("wrote %s: %d modules, %d names\n" % (out, len(catalog["modules"]), count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
