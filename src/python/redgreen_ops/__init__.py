"""redgreen's Python helper ops: helper.py loads this package under a private name and serves the OPS of each public module."""
