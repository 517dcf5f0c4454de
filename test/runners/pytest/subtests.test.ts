// pytest 9 subtests: the adapter counts them as pytest's own summary line does, and names skipped tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { parsePytestSummary } from "../../../src/runners/pytest/channels.js";
import { compatPython } from "./compat-venvs.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());
let python = "";
beforeAll(() => {
  python = compatPython(9);
}, 600_000);

describe("pytest 9 subtests", () => {
  const modes = [{ xdist: false }, { xdist: true }];
  it.each(modes)("count as pytest's summary does, failures on their test (xdist: $xdist)", async ({ xdist }) => {
    const root = copies.copy("subtests");
    const own = await runProcess(python, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: root, timeoutMs: 60_000 });
    const summary = parsePytestSummary(own.stdout)!;
    expect(summary).toEqual({ passed: 3, failed: 3, errors: 0 });
    expect(own.stdout).toMatch(/3 failed, 3 passed, 2 skipped, 5 subtests passed/);

    const adapter = await createPytestAdapter({ projectRoot: root, python, ...(xdist ? { pytestArgs: ["-n", "2"] } : {}) });
    const r = await adapter.runTests();
    expect(r.status).toBe("failed");
    expect(r.anomalies).toEqual([]);
    expect([r.passed, r.failed, r.errors, r.skipped, r.total]).toEqual([3, 3, 0, 2, 8]);
    const passed = ["test_subtests.py::test_plain", "test_subtests.py::test_prices_all_pass", "test_subtests.py::test_subtest_skips"];
    expect([...r.passedNodeIds].sort()).toEqual(passed);
    expect(r.failures.map((f) => f.nodeId)).toEqual(Array(3).fill("test_subtests.py::test_prices"));
    expect(r.failures.map((f) => f.errorMessage).sort()).toEqual([
      expect.stringMatching(/^assert 330 == 331/),
      expect.stringMatching(/^assert 440 == 441/),
      "contains 2 failed subtests",
    ]);
    // The subtest heads its failure's stack trace; the message stays Python's own, for the fixers.
    const heads = r.failures
      .filter((f) => f.errorMessage.startsWith("assert"))
      .map((f) => f.stackTrace.split("\n")[0])
      .sort();
    expect(heads).toEqual([
      expect.stringMatching(/^subtest \[price\] \(cents='?300'?\)$/),
      expect.stringMatching(/^subtest \[price\] \(cents='?400'?\)$/),
    ]);
    expect(r.skippedNodeIds).toEqual(["test_subtests.py::test_skipped_by_mark"]);
  });
});
