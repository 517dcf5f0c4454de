// `redgreen run` and coverage through the built CLI: off by default (nothing measured, the report says so), opted in
// with --coverage (the first full run builds the per-test map the affected runs select by, the final run measures it).
import { afterAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/domain/index.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { expectNoStackTrace, expectOneErrorLine, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A fresh copy of the two-modules fixture: two deleted imports in two modules, one pattern fix each. */
function project(): string {
  const copy = copyProject(fixturePath("proof", "two-modules"));
  cleanups.push(copy.cleanup);
  return copy.root;
}

const noModel = { REDGREEN_MODEL: "", OPENAI_API_KEY: "" };

async function runJson(root: string, ...flags: string[]): Promise<RunSummary> {
  const r = await runCli(["run", root, "--python", testPython, "--no-llm", "--json", "-q", ...flags], { env: noModel });
  expectNoStackTrace(r.stderr);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunSummary;
}

describe("redgreen run and coverage", () => {
  it("measures no coverage by default: the JSON has null coverage, the report says 'coverage not measured'", async () => {
    const root = project();
    const summary = await runJson(root);
    expect(summary.status).toBe("passed");
    expect([summary.initial?.coverage, summary.final?.coverage]).toEqual([null, null]);
    // No run recorded a per-test map: the affected runs were selected by the static import map, one confirming full run.
    expect(summary.testRuns).toMatchObject({ full: 2, affected: 2 });
    const report = await runCli(["report", summary.workflowId, root]);
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/4 passed, 0 failed, 0 errors, 0 skipped, coverage not measured/);
    // --no-coverage stays accepted and is the same thing.
    const again = await runJson(project(), "--no-coverage");
    expect([again.initial?.coverage, again.final?.coverage, again.testRuns?.affected]).toEqual([null, null, 2]);
  }, 240_000);

  it("--coverage measures it on the first full run (building the map the affected runs use) and on the final one", async () => {
    const root = project();
    const summary = await runJson(root, "--coverage");
    expect(summary.status).toBe("passed");
    expect(summary.initial?.coverage).toBeGreaterThan(0);
    expect(summary.final?.coverage).toBeGreaterThan(0);
    // Both fixes were proven on affected runs selected by the first run's map; one confirming full run followed.
    expect(summary.testRuns).toMatchObject({ full: 2, affected: 2 });
    const report = await runCli(["report", summary.workflowId, root]);
    expect(report.stdout).toMatch(/4 passed, 0 failed, 0 errors, 0 skipped, coverage \d+\.\d%/);
  }, 240_000);

  it("refuses --coverage together with --no-coverage", async () => {
    const r = await runCli(["run", project(), "--python", testPython, "--coverage", "--no-coverage"], { env: noModel });
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /--coverage and --no-coverage contradict each other/);
  });
});
