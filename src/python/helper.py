"""redgreen's long-lived Python helper: JSON requests on stdin, one JSON reply per line on stdout.

Request:  {"id": 1, "op": "parse", "args": {"source": "x = 1\n"}}
Reply:    {"id": 1, "ok": true, "result": {...}}   or   {"id": 1, "ok": false, "kind": "...", "error": "..."}

Ops come from every public module (name not starting with "_") of the redgreen_ops package beside this
file: each exports OPS = {"name": callable}, and an op is called with the request's args as keyword
arguments. Runs on the project's interpreter (Python 3.8+, stdlib only) with cwd = the project root and the project root first on sys.path.
"""

import glob
import importlib
import importlib.util
import json
import os
import sys
import traceback

PROTOCOL = 1
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.join(HERE, "redgreen_ops")
PACKAGE = "_redgreen_helper_ops"  # a private name: the project may have a module called redgreen_ops


def _take_protocol_streams():
    """Keeps private copies of stdin/stdout for the protocol so that ops (or modules they import) that
    print or read cannot corrupt it: fd 1 now points at stderr and fd 0 at /dev/null."""
    # Buffered: an unbuffered readline reads one byte per system call (a 7 MB request took 10 s to read).
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, "r")
    return proto_in, proto_out


def _setup_project(project_root):
    # The script's own folder is sys.path[0]; it must not shadow project modules named like ours.
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != HERE]
    os.chdir(project_root)
    sys.path.insert(0, project_root)


def _load_package():
    """Imports the redgreen_ops package under its private name, so its modules' relative imports work."""
    module = sys.modules.get(PACKAGE)
    if module is not None:
        return module
    init = os.path.join(PACKAGE_DIR, "__init__.py")
    spec = importlib.util.spec_from_file_location(PACKAGE, init, submodule_search_locations=[PACKAGE_DIR])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
    return module


def load_ops():
    """Imports every public module of the package; a module that fails to load is reported, not fatal."""
    ops = {}
    origins = {}
    load_errors = {}
    _load_package()
    for path in sorted(glob.glob(os.path.join(PACKAGE_DIR, "*.py"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        if stem.startswith("_"):
            continue
        name = PACKAGE + "." + stem
        try:
            module = importlib.import_module(name)
            table = getattr(module, "OPS", None)
            if not isinstance(table, dict):
                raise TypeError("%s.py has no OPS dict" % stem)
            for op, fn in table.items():
                if op in ops:
                    raise ValueError("op %r defined in both %s and %s" % (op, origins[op], stem))
                if not callable(fn):
                    raise TypeError("op %r in %s is not callable" % (op, stem))
            for op, fn in table.items():
                ops[op] = fn
                origins[op] = stem
        except Exception:  # noqa: BLE001 - a broken plugin must not take the others down
            sys.modules.pop(name, None)
            load_errors[stem] = traceback.format_exc(limit=3)
    return ops, origins, load_errors


class Helper(object):
    def __init__(self, project_root):
        self.project_root = project_root
        self.ops, self.origins, self.load_errors = load_ops()
        self.ops["ping"] = self.ping
        self.ops["version"] = self.version
        self.origins["ping"] = self.origins["version"] = "helper"

    def ping(self, **_):
        return "pong"

    def version(self, **_):
        return {
            "protocol": PROTOCOL,
            "python": "%d.%d.%d" % tuple(sys.version_info[:3]),
            "versionInfo": list(sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "executable": sys.executable,
            "prefix": sys.prefix,
            "pid": os.getpid(),
            "projectRoot": self.project_root,
            "ops": sorted(self.ops),
            "origins": dict(self.origins),
            "loadErrors": self.load_errors,
        }

    def handle(self, line):
        try:
            request = json.loads(line)
        except ValueError as exc:
            return {"id": None, "ok": False, "kind": "bad_request", "error": "invalid JSON: %s" % exc}
        if not isinstance(request, dict):
            return {"id": None, "ok": False, "kind": "bad_request", "error": "request is not an object"}
        req_id = request.get("id")
        op = request.get("op")
        args = request.get("args") or {}
        fn = self.ops.get(op)
        if fn is None:
            message = "unknown op %r" % (op,)
            if self.load_errors:
                message += " (modules that failed to load: %s)" % ", ".join(sorted(self.load_errors))
            return {"id": req_id, "ok": False, "kind": "unknown_op", "error": message}
        if not isinstance(args, dict):
            return {"id": req_id, "ok": False, "kind": "bad_request", "error": "args must be an object"}
        try:
            result = fn(**args)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - SystemExit from imported code must not end the loop
            return {
                "id": req_id,
                "ok": False,
                "kind": "exception",
                "error": "%s: %s" % (type(exc).__name__, exc),
                "traceback": traceback.format_exc(limit=8),
            }
        return {"id": req_id, "ok": True, "result": result}

    def serve(self, proto_in, proto_out):
        while True:
            raw = proto_in.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            reply = self.handle(line)
            try:
                # ASCII-only JSON (ensure_ascii): the client may split the stream anywhere between bytes.
                text = json.dumps(reply)
            except (TypeError, ValueError) as exc:
                text = json.dumps({"id": reply.get("id"), "ok": False, "kind": "exception", "error": "result is not JSON: %s" % exc})
            proto_out.write(text + "\n")
            proto_out.flush()


def main(argv):
    proto_in, proto_out = _take_protocol_streams()
    project_root = os.path.abspath(argv[1] if len(argv) > 1 else os.getcwd())
    _setup_project(project_root)
    try:
        Helper(project_root).serve(proto_in, proto_out)
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
