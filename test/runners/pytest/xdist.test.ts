// pytest-xdist through the real adapter: `-n auto` on whole-suite runs, the same results as a serial run, attacks still caught.
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/index.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { xdistArgs } from "../../../src/runners/pytest/xdist.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());

/** xdist forced on from the first run (the default waits for a whole-suite run of 10 s or more). */
const parallel = (root: string) => createPytestAdapter({ projectRoot: root, python: testPython, parallel: true, xdistMinSuiteSeconds: 0 });
const serial = (root: string) => createPytestAdapter({ projectRoot: root, python: testPython });

const outcome = (r: TestRunResult) => ({
  status: r.status,
  counts: [r.passed, r.failed, r.errors, r.skipped, r.total],
  failures: r.failures.map((f) => `${f.nodeId} | ${f.errorType} | ${f.lineNumber}`).sort(),
  passed: [...r.passedNodeIds].sort(),
  coverage: r.coverage === null ? null : [r.coverage.percent, r.coverage.coveredLines, r.coverage.totalLines],
});

const hasAuto = (command: readonly string[]): boolean => command.some((a, i) => a === "-n" && command[i + 1] === "auto");

/** Appended to a conftest: every test's body is skipped, so every test "passes" (a forged green). */
const PATCH_RUNTEST = `
import sys as _sys

_sys.modules["_pytest.python"].Function.runtest = lambda self: None
`;

describe("pytest-xdist", () => {
  it("runs the whole suite with -n auto and reports what a serial run reports, coverage included", async () => {
    const root = copies.copy("failing");
    const one = await (await serial(root)).runTests({ coverage: true });
    const many = await (await parallel(root)).runTests({ coverage: true });
    expect(hasAuto(one.command)).toBe(false);
    expect(hasAuto(many.command)).toBe(true);
    expect(many.source).toBe("jsonl");
    expect(one.failures.length).toBeGreaterThan(0);
    expect(one.coverage?.coveredLines).toBeGreaterThan(0);
    expect(outcome(many)).toEqual(outcome(one));
  }, 120_000);

  it("keeps a run of a few node ids serial, and leaves the worker count to -n in the runner args or the project's addopts", async () => {
    const root = copies.copy("failing");
    const adapter = await parallel(root);
    const full = await adapter.runTests({});
    const few = await adapter.runTests({ files: [full.passedNodeIds[0]!] });
    expect(hasAuto(few.command)).toBe(false);
    expect(few.total).toBe(1);
    const chosen = await adapter.runTests({ runnerArgs: ["-n", "1"] });
    expect(hasAuto(chosen.command)).toBe(false);
    expect(chosen.command.slice(-2)).toEqual(["-n", "1"]);
    expect(outcome(chosen)).toEqual(outcome(full));
    writeFileSync(join(root, "pytest.ini"), "[pytest]\naddopts = -p no:cacheprovider -n 1\n");
    const project = await (await parallel(root)).runTests({});
    expect(hasAuto(project.command)).toBe(false);
    expect(outcome(project)).toEqual(outcome(full));
  }, 120_000);

  it("still catches pytest's runtest replaced by project code under xdist (runner_patched), as a serial run does", async () => {
    const root = copies.copy("failing");
    appendFileSync(join(root, "conftest.py"), PATCH_RUNTEST);
    const forged = await (await parallel(root)).runTests({});
    const forgedSerial = await (await serial(root)).runTests({});
    expect(hasAuto(forged.command)).toBe(true);
    // The whole run is untrusted: never "passed", whatever the forged reports say.
    expect(forged.status).toBe("error");
    expect(forged.anomalies).toEqual([expect.objectContaining({ kind: "runner_patched", nodeId: null })]);
    expect([forged.status, forged.anomalies.map((a) => a.kind)]).toEqual([forgedSerial.status, forgedSerial.anomalies.map((a) => a.kind)]);
  }, 120_000);

  it("waits for a slow suite by default and stays off without xdist, on a busy machine, or when told", () => {
    const base = { available: true, projectSets: false, runnerArgs: [], targets: 0, suiteSeconds: null, minSuiteSeconds: 10 };
    const idle = { ...base, idleCores: 3.5 };
    expect(xdistArgs(idle)).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 9.9 })).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 10 })).toEqual(["-n", "auto"]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, targets: 5 })).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, targets: 500 })).toEqual(["-n", "auto"]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, available: false })).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, projectSets: true })).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, runnerArgs: ["--numprocesses=2"] })).toEqual([]);
    // Workers each collect the whole suite again: without two idle cores they cost more than they save.
    expect(xdistArgs({ ...idle, suiteSeconds: 60, idleCores: 1.9 })).toEqual([]);
    expect(xdistArgs({ ...idle, suiteSeconds: 60, idleCores: 2 })).toEqual(["-n", "auto"]);
    // 0 s asks for workers from the first run, whatever the load.
    expect(xdistArgs({ ...idle, minSuiteSeconds: 0, idleCores: -7 })).toEqual(["-n", "auto"]);
  });
});
