"""Loads src/python/redgreen_ops as helper.py does (a package under a private name), so tests import its modules."""

import importlib.util
import os
import sys

PACKAGE_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "python", "redgreen_ops"))
PACKAGE = "_redgreen_helper_ops"

if PACKAGE not in sys.modules:
    _init = os.path.join(PACKAGE_DIR, "__init__.py")
    _spec = importlib.util.spec_from_file_location(PACKAGE, _init, submodule_search_locations=[PACKAGE_DIR])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[PACKAGE] = _module
    _spec.loader.exec_module(_module)
