"""redgreen's Python helper ops: helper.py loads this package under a private name and serves the OPS of each public module.

One public module per op (or per tight group of ops sharing most code); code several ops share lives in the private
modules (name starting with "_"). Python 3.8+ stdlib only: everything runs on the project's own interpreter, and
project code is never imported or run (only stdlib modules are imported). Every op takes keyword arguments and
returns JSON-serialisable data.
"""
