// The JSONL event parser: counting like pytest's summary, chunked input, torn lines, resumed runs.
import { describe, expect, it } from "vitest";
import { FailureSchema } from "../../src/domain/index.js";
import { PytestJsonlAccumulator, parsePytestJsonl } from "../../src/parsers/pytest-jsonl.js";

const lines = [
  { event: "start", pluginVersion: 1, pytest: "8.4.2", python: "3.11.7", rootdir: "/p", pid: 1, testTimeout: 10, xdist: false },
  { event: "collected", count: 6, nodeids: ["t.py::a", "t.py::b", "t.py::c", "t.py::d", "t.py::e", "t.py::f"] },
  {
    event: "collect",
    nodeid: "broken.py",
    outcome: "failed",
    failure: {
      errorType: "SyntaxError",
      errorMessage: "invalid syntax",
      frames: [{ file: "broken.py", line: 3, function: "<module>", kind: "test" }],
    },
  },
  { event: "test", nodeid: "t.py::a", outcome: "passed", duration: 0.5 },
  { event: "phase", nodeid: "t.py::b", when: "setup", outcome: "passed", duration: 0.1 },
  {
    event: "phase",
    nodeid: "t.py::b",
    when: "call",
    outcome: "failed",
    duration: 0.2,
    failure: {
      errorType: "KeyError",
      errorMessage: "'x'",
      frames: [
        { file: "t.py", line: 9, function: "test_b", kind: "test" },
        { file: "app.py", line: 4, function: "get", kind: "project", code: "return d[k]" },
        { file: "/usr/lib/python3.11/json/__init__.py", line: 1, function: "loads", kind: "stdlib" },
      ],
      hint: "Did you mean: 'y'?",
      chain: [
        { errorType: "IndexError", errorMessage: "boom" },
        { errorType: "KeyError", errorMessage: "'x'" },
      ],
      capturedOutput: "----- Captured stdout call -----\nhello",
      stackTrace: "def test_b(): ...",
    },
  },
  { event: "phase", nodeid: "t.py::b", when: "teardown", outcome: "passed", duration: 0.1 },
  { event: "phase", nodeid: "t.py::c", when: "setup", outcome: "skipped", duration: 0, reason: "no db" },
  { event: "phase", nodeid: "t.py::c", when: "teardown", outcome: "passed", duration: 0 },
  { event: "phase", nodeid: "t.py::d", when: "call", outcome: "skipped", duration: 0, wasxfail: "known" },
  { event: "phase", nodeid: "t.py::d", when: "teardown", outcome: "passed", duration: 0 },
  { event: "phase", nodeid: "t.py::e", when: "setup", outcome: "passed", duration: 0 },
  { event: "phase", nodeid: "t.py::e", when: "call", outcome: "passed", duration: 0, wasxfail: "flaky" },
  { event: "phase", nodeid: "t.py::e", when: "teardown", outcome: "passed", duration: 0 },
  { event: "phase", nodeid: "t.py::f", when: "setup", outcome: "passed", duration: 0 },
  { event: "phase", nodeid: "t.py::f", when: "call", outcome: "passed", duration: 1 },
  {
    event: "phase",
    nodeid: "t.py::f",
    when: "teardown",
    outcome: "failed",
    duration: 2,
    failure: { errorType: "RuntimeError", errorMessage: "cleanup" },
  },
  { event: "finish", exitstatus: 1, duration: 3 },
];
const text = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";

describe("parsePytestJsonl", () => {
  it("counts outcomes the way pytest's summary line does", () => {
    const p = parsePytestJsonl(text);
    expect({
      passed: p.passed,
      failed: p.failed,
      errors: p.errors,
      skipped: p.skipped,
      xfailed: p.xfailed,
      xpassed: p.xpassed,
      total: p.total,
    }).toEqual({
      passed: 2,
      failed: 1,
      errors: 2,
      skipped: 1,
      xfailed: 1,
      xpassed: 1,
      total: 8,
    });
    // f's call passed but its teardown failed: counted as passed, yet not a clean pass.
    expect(p.passedNodeIds).toEqual(["t.py::a"]);
    expect(p.collected).toBe(6);
    expect(p.finish?.exitstatus).toBe(1);
    expect(p.testDurations.get("t.py::f")).toBe(3);
    expect([...p.doneNodeIds].sort()).toEqual(["t.py::a", "t.py::b", "t.py::c", "t.py::d", "t.py::e", "t.py::f"]);
  });

  it("turns plugin failures into domain failures", () => {
    const p = parsePytestJsonl(text);
    expect(p.failures.map((f) => `${f.nodeId} ${f.phase} ${f.errorType}`)).toEqual([
      "broken.py collect SyntaxError",
      "t.py::b call KeyError",
      "t.py::f teardown RuntimeError",
    ]);
    for (const f of p.failures) expect(() => FailureSchema.parse(f)).not.toThrow();
    const b = p.failures[1]!;
    expect(b).toMatchObject({
      testFile: "t.py",
      testName: "b",
      hint: "Did you mean: 'y'?",
      capturedOutput: "----- Captured stdout call -----\nhello",
    });
    expect(b).toMatchObject({ lineNumber: 9, faultFile: "app.py", faultLine: 4 });
    expect(b.chain).toHaveLength(2);
    expect(p.failures[0]).toMatchObject({ testFile: "broken.py", testName: "", lineNumber: 3 });
    // Without pytest's text, a traceback is built from the frames.
    expect(p.failures[2]!.stackTrace).toBe("Traceback (most recent call last):\nRuntimeError: cleanup");
  });

  it("gives the same result however the stream is chunked", () => {
    const whole = parsePytestJsonl(text);
    const acc = new PytestJsonlAccumulator();
    for (let i = 0; i < text.length; i += 7) acc.push(text.slice(i, i + 7));
    acc.end();
    const chunked = acc.parts();
    expect(chunked.failures).toEqual(whole.failures);
    expect(chunked.total).toBe(whole.total);
  });

  it("ignores a torn last line and foreign lines", () => {
    const p = parsePytestJsonl(text.slice(0, text.lastIndexOf("{")) + '{"event":"fin');
    expect(p.badLines).toBe(1);
    expect(p.finish).toBeNull();
    expect(p.failed).toBe(1);
    expect(parsePytestJsonl("not json\n[1,2]\n").badLines).toBe(2);
  });

  it("reports a collection error once across a resumed run and tracks progress", () => {
    const acc = new PytestJsonlAccumulator();
    acc.push(text);
    acc.beginAttempt();
    expect(acc.parts().finish).toBeNull();
    acc.push(JSON.stringify(lines[2]) + "\n" + JSON.stringify({ event: "collected", count: 1 }) + "\n");
    const p = acc.parts();
    expect(p.errors).toBe(2);
    expect(p.collected).toBe(6);
    expect(acc.progress()).toEqual({ collected: 6, done: 6, failed: 3, lastNodeId: "t.py::f" });
  });

  it("counts an xdist worker crash as a failed call", () => {
    const crash = {
      event: "phase",
      nodeid: "t.py::z",
      when: "???",
      outcome: "failed",
      duration: 0,
      worker: "gw1",
      failure: { errorType: "WorkerCrashed", errorMessage: "worker 'gw1' crashed" },
    };
    const p = parsePytestJsonl(JSON.stringify(crash));
    expect(p.failed).toBe(1);
    expect(p.failures[0]!.phase).toBe("call");
    expect(p.workerOf.get("t.py::z")).toBe("gw1");
  });
});
