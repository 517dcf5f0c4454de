"""Runs a command and writes its wall time, CPU time (user + sys, all waited-for descendants) and exit code as JSON.

Usage: python measure-cmd.py OUT.json CMD [ARGS...]. CPU time stays meaningful on a machine shared with other
work, where wall time swings with the load.
"""

import json
import resource
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
proc = subprocess.run(cmd)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "exitCode": proc.returncode}, f)
sys.exit(proc.returncode if proc.returncode >= 0 else 1)
