import { copyFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { isHelperOpError, PythonHelper } from "../../src/python/client.js";
import { parseSource } from "../../src/python/core-ops.js";
import { pythonSourcePath } from "../../src/paths.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { interpreters } from "./interpreters.js";

const projectRoot = fixturePath("validation", "project");

/** A copy of the shipped helper whose ops package also holds the protocol-test ops (and a broken ops module). */
const helperWithTestOps = (): { dir: string; script: string } => {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-helper-"));
  copyFileSync(pythonSourcePath("python", "helper.py"), join(dir, "helper.py"));
  cpSync(pythonSourcePath("python", "redgreen_ops"), join(dir, "redgreen_ops"), {
    recursive: true,
    filter: (src) => !src.includes("__pycache__"),
  });
  for (const f of ["ops_testing.py", "ops_broken.py"])
    copyFileSync(fixturePath("validation", "helper-ops", f), join(dir, "redgreen_ops", f));
  return { dir, script: join(dir, "helper.py") };
};

const rejection = async (p: Promise<unknown>): Promise<RedgreenError> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RedgreenError);
  return error as RedgreenError;
};

describe.each(interpreters)("PythonHelper on %s", (_label, python) => {
  let helper: PythonHelper;
  let copy: { dir: string; script: string };

  beforeAll(async () => {
    copy = helperWithTestOps();
    helper = await PythonHelper.start({ python, projectRoot, helperScript: copy.script, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await helper.close();
    rmSync(copy.dir, { recursive: true, force: true });
  });

  it("reports the interpreter, the ops of every public module of the package, and modules that failed to load", () => {
    expect(helper.info.protocol).toBe(1);
    expect(helper.info.versionInfo[0]).toBe(3);
    expect(helper.info.projectRoot).toBe(projectRoot);
    expect(helper.info.ops).toEqual(
      expect.arrayContaining(["parse", "check_indentation", "find_spec", "compare_tests", "echo", "ping", "version"]),
    );
    expect(Object.keys(helper.info.loadErrors)).toEqual(["ops_broken"]);
    expect(helper.info.loadErrors.ops_broken).toContain("module_that_does_not_exist_anywhere");
  });

  it("pipelines many calls on one process and matches replies by id", async () => {
    const pid = helper.info.pid;
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => helper.call<{ i: number }>("echo", { i })));
    expect(replies.map((r) => r.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect((await helper.call<{ pid: number }>("version", {})).pid).toBe(pid);
  });

  it("turns an op's exception into a RedgreenError and keeps serving", async () => {
    const error = await rejection(helper.call("boom", { message: "kaput" }));
    expect(error.code).toBe("internal");
    expect(error.message).toContain('op "boom" failed: ValueError: kaput');
    expect(error.message).toContain("Traceback");
    const exit = await rejection(helper.call("exits", {}));
    expect(exit.message).toContain("SystemExit: 5");
    const notJson = await rejection(helper.call("not_json", {}));
    expect(notJson.message).toContain("result is not JSON");
    expect(await helper.call("ping", {})).toBe("pong");
  });

  it("rejects an unknown op as a usage error and names the modules that failed to load", async () => {
    const error = await rejection(helper.call("no_such_op", {}));
    expect(error.code).toBe("usage");
    expect(error.message).toContain("unknown op 'no_such_op'");
    expect(error.message).toContain("ops_broken");
  });

  it("keeps the protocol intact when an op prints to stdout", async () => {
    expect(await helper.call("chatty", { text: "still fine" })).toBe("still fine");
    expect(await helper.call("ping", {})).toBe("pong");
  });

  it("fails a crashing call with a clear error, restarts, and replays the calls queued behind it", async () => {
    const before = helper.stats.restarts;
    const crash = helper.call("crash", { code: 3 });
    const queued = [helper.call("echo", { n: 1 }), helper.call("echo", { n: 2 })];
    const error = await rejection(crash);
    expect(error.code).toBe("runner_failed");
    expect(error.message).toMatch(/exited \(exit code 3\) while running "crash"/);
    expect(await Promise.all(queued)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(helper.stats.restarts).toBe(before + 1);
    expect(await helper.call("ping", {})).toBe("pong");
  });

  it("kills a stuck op at its timeout and serves the next call on a fresh process", async () => {
    const started = performance.now();
    const error = await rejection(helper.call("sleep", { seconds: 30 }, { timeoutMs: 300 }));
    expect(error.code).toBe("runner_failed");
    expect(error.message).toContain('op "sleep" timed out after 300 ms');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await helper.call("echo", { after: "timeout" })).toEqual({ after: "timeout" });
  });

  it("charges a call only for its own run, not for the slow call queued ahead of it", async () => {
    const slow = helper.call("sleep", { seconds: 0.6 }, { timeoutMs: 5_000 });
    const queued = helper.call("echo", { queued: true }, { timeoutMs: 300 });
    await slow;
    expect(await queued).toEqual({ queued: true });
  });

  it("reports a timed-out op as a HelperOpError naming the op, so one check can fail without failing the run", async () => {
    const error = await rejection(helper.call("sleep", { seconds: 30 }, { timeoutMs: 200 }));
    expect(isHelperOpError(error) && error.op === "sleep" && error.failure === "timeout").toBe(true);
    expect(await helper.call("ping", {})).toBe("pong");
  });
});

describe("PythonHelper lifecycle", () => {
  it("close() rejects pending calls and every later call", async () => {
    const copy = helperWithTestOps();
    try {
      const helper = await PythonHelper.start({ python: testPython, projectRoot, helperScript: copy.script });
      const pending = rejection(helper.call("sleep", { seconds: 10 }));
      const started = performance.now();
      await helper.close();
      expect(performance.now() - started).toBeLessThan(1_000);
      expect((await pending).message).toContain("closed");
      const later = await rejection(helper.call("ping", {}));
      expect(later.code).toBe("usage");
      await helper.close(); // idempotent
    } finally {
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });

  it("gives up after repeated crashes with an error naming the cause", async () => {
    const copy = helperWithTestOps();
    const helper = await PythonHelper.start({ python: testPython, projectRoot, helperScript: copy.script, maxRestarts: 1 });
    try {
      await rejection(helper.call("crash", {}));
      await rejection(helper.call("crash", {}));
      const error = await rejection(helper.call("ping", {}));
      expect(error.message).toMatch(/crashed 2 times in a row; giving up/);
    } finally {
      await helper.close();
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });

  it("start() fails with python_missing for an interpreter that does not exist", async () => {
    const error = await rejection(PythonHelper.start({ python: "/nonexistent/bin/python3", projectRoot }));
    expect(error.code).toBe("python_missing");
    expect(error.message).toContain("/nonexistent/bin/python3");
  });

  it("start() fails with python_missing when the interpreter cannot run the helper", async () => {
    // `false` exits at once without speaking the protocol, like a broken or too-old interpreter.
    const error = await rejection(PythonHelper.start({ python: "false", projectRoot }));
    expect(error.code).toBe("python_missing");
    expect(error.message).toMatch(/exit code 1/);
  });

  it("answers parse of a small file well under 5 ms per call", async () => {
    const helper = await PythonHelper.start({ python: testPython, projectRoot });
    try {
      const source =
        "import os\n\n\ndef area(w, h):\n    return w * h\n\n\nclass Box:\n    def volume(self, d):\n        return area(1, 2) * d\n";
      for (let i = 0; i < 50; i++) await parseSource(helper, source); // warm-up
      const times: number[] = [];
      for (let i = 0; i < 500; i++) {
        const t = performance.now();
        await parseSource(helper, source);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const p50 = times[250]!;
      const p95 = times[475]!;
      const t = performance.now();
      await Promise.all(Array.from({ length: 500 }, () => parseSource(helper, source)));
      const pipelined = (performance.now() - t) / 500;
      console.log(
        `python helper parse latency: p50 ${p50.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, pipelined ${pipelined.toFixed(3)} ms/call`,
      );
      expect(p50).toBeLessThan(5);
    } finally {
      await helper.close();
    }
  });
});
