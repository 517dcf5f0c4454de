// overlayRun: the baseline after a fix kept on an affected run (the last full picture, the affected run's tests on top).
import { describe, expect, it } from "vitest";
import { FailureSchema, TestRunResultSchema, type TestRunResult } from "../../src/domain/index.js";
import { compareRuns } from "../../src/proof/compare-runs.js";
import { overlayRun } from "../../src/proof/overlay.js";

const failure = (nodeId: string, phase: "call" | "collect" = "call") =>
  FailureSchema.parse({
    nodeId,
    testFile: nodeId.split("::")[0],
    testName: nodeId.split("::").pop(),
    errorType: "AssertionError",
    errorMessage: "boom",
    stackTrace: "",
    lineNumber: null,
    frames: [],
    phase,
    durationSeconds: 0,
  });

const run = (r: Partial<TestRunResult>): TestRunResult =>
  TestRunResultSchema.parse({
    status: "failed",
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    total: 0,
    durationSeconds: 1,
    failures: [],
    coverage: null,
    command: ["pytest"],
    slowTests: [],
    ...r,
  });

const baseline = run({
  passed: 3,
  failed: 2,
  errors: 1,
  total: 6,
  passedNodeIds: ["t/a.py::ok1", "t/a.py::ok2", "t/b.py::ok3[seed=17]"],
  failures: [failure("t/a.py::bad1"), failure("t/c.py::bad2"), failure("t/d.py", "collect")],
  testFiles: ["t/a.py", "t/b.py", "t/c.py"],
});

describe("overlayRun", () => {
  it("takes every test the affected run reported from it and the rest from the baseline, with counts to match", () => {
    const affected = run({
      passed: 2,
      failed: 1,
      total: 3,
      passedNodeIds: ["t/a.py::bad1", "t/b.py::ok3[seed=99]"],
      failures: [failure("t/a.py::ok1")],
      selection: { kind: "affected", changedFiles: ["src/m.py"] },
    });
    const out = overlayRun(baseline, affected);
    expect(out.passedNodeIds.sort()).toEqual(["t/a.py::bad1", "t/a.py::ok2", "t/b.py::ok3[seed=99]"]);
    expect(out.failures.map((f) => f.nodeId).sort()).toEqual(["t/a.py::ok1", "t/c.py::bad2", "t/d.py"]);
    expect([out.passed, out.failed, out.errors, out.total, out.status]).toEqual([3, 2, 1, 6, "failed"]);
    expect(out.selection).toEqual({ kind: "affected", changedFiles: ["src/m.py"] });
    // Judged against it, a later full run sees ok1 as already failing and bad1 as passing.
    const later = run({ passedNodeIds: ["t/a.py::ok2", "t/b.py::ok3[seed=5]", "t/c.py::bad2"], failures: [failure("t/a.py::bad1")] });
    expect(compareRuns(out, later).failing).toEqual(["t/a.py::bad1"]);
  });

  it("replaces a module's collection error by the tests the affected run collected in it", () => {
    const affected = run({ status: "passed", passed: 2, total: 2, passedNodeIds: ["t/d.py::x", "t/d.py::y"] });
    const out = overlayRun(baseline, affected);
    expect(out.failures.map((f) => f.nodeId)).toEqual(["t/a.py::bad1", "t/c.py::bad2"]);
    expect([out.passed, out.failed, out.errors, out.total]).toEqual([5, 2, 0, 7]);
  });

  it("leaves the baseline as it was when the affected run reported nothing, and turns green only when nothing fails", () => {
    const empty = run({ status: "no_tests", selection: { kind: "affected", changedFiles: ["src/unused.py"] } });
    const same = overlayRun(baseline, empty);
    expect([same.passed, same.failed, same.errors, same.total, same.passedNodeIds, same.failures]).toEqual([
      baseline.passed,
      baseline.failed,
      baseline.errors,
      baseline.total,
      baseline.passedNodeIds,
      baseline.failures,
    ]);
    const allFixed = run({
      status: "passed",
      passed: 4,
      total: 4,
      passedNodeIds: ["t/a.py::bad1", "t/c.py::bad2", "t/d.py::x", "t/d.py::y"],
    });
    const green = overlayRun(baseline, allFixed);
    expect([green.status, green.failures.length, green.failed, green.errors]).toEqual(["passed", 0, 0, 0]);
  });
});
