// Ochiai's hit rate on test/fixtures/faults/seeded: a real pytest full run with per-test coverage, each failure ranked.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { WorkflowDeps, WorkflowEvent } from "../../graph/deps.js";
import { faultProbe, PROBE_LIMITS } from "../../graph/fault-probe.js";
import { analyzeFailure, type FaultLocaliser, faultLocaliserFor } from "../../src/analysis/index.js";
import type { TestRunResult } from "../../src/domain/test-run.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

/** The seeded bug of each test file's module: file, faulty lines (a swapped branch has two), kind. */
type Labels = Record<string, { file: string; lines: number[]; bug: string }>;

const SEEDED = fixturePath("faults", "seeded");
const labels = JSON.parse(readFileSync(join(SEEDED, "labels.json"), "utf8")) as Labels;
const tmp = mkdtempSync(join(tmpdir(), "redgreen-faults-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("fault localisation on seeded bugs", () => {
  it("puts the faulty line in the top 5 for assertion-only failures", async () => {
    const root = join(tmp, "seeded");
    cpSync(SEEDED, root, { recursive: true });
    const adapter = await createPytestAdapter({ projectRoot: root, python: testPython });
    const run = await adapter.runTests({ coverage: true });
    expect(run.status).toBe("failed");
    const localiser = faultLocaliserFor(
      adapter,
      run.failures.map((f) => f.nodeId),
    );
    if (localiser === null) throw new Error("the full run with coverage recorded no per-test coverage");

    const { hits, total } = hitRate(root, run, localiser, (file) => adapter.isTestFile(file), "full run");
    expect(total).toBe(14);
    expect(hits).toBeGreaterThanOrEqual(12);
  }, 120_000);
});

describe("fault localisation with no per-test coverage recorded", () => {
  it("ranks from one capped probe run of the failing tests and their files' passing tests", async () => {
    const root = join(tmp, "seeded-probe");
    cpSync(SEEDED, root, { recursive: true });
    const adapter = await createPytestAdapter({ projectRoot: root, python: testPython });
    const run = await adapter.runTests();
    expect(run.status).toBe("failed");
    expect(
      faultLocaliserFor(
        adapter,
        run.failures.map((f) => f.nodeId),
      ),
    ).toBeNull();
    const events: WorkflowEvent[] = [];
    const deps = { onEvent: (e: WorkflowEvent) => events.push(e) } as Partial<WorkflowDeps> as WorkflowDeps;
    const failures = new Map(run.failures.map((f) => [f.nodeId, f]));
    const input = { failures, failing: [...failures.keys()], passed: run.passedNodeIds ?? [], iteration: 1 };
    const localiser = await faultProbe(deps, adapter, input);
    if (localiser === null) throw new Error("the probe recorded no per-test coverage");
    // The cost is visible: announced with its bounds, and its progress reported as its own phase.
    const announced = events.filter((e) => e.kind === "node").map((e) => e.message);
    const what = `14 failing and 44 passing test(s), at most ${PROBE_LIMITS.seconds} s`;
    expect(announced).toEqual([`fault localisation: one run with per-test coverage of ${what}`]);
    expect(events.some((e) => e.kind === "tests" && e.phase === "localise")).toBe(true);
    // The probe is kept apart from the suite's map: affected selection never reads a partial map.
    expect(adapter.testCoverage?.()).toBeNull();
    expect(adapter.testCoverage?.("probe")?.tests()).toHaveLength(58);
    const { hits, total } = hitRate(root, run, localiser, (file) => adapter.isTestFile(file), "probe run");
    expect(total).toBe(14);
    expect(hits).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it("runs nothing when every failure's stack reaches project code", async () => {
    const root = join(tmp, "seeded-no-probe");
    cpSync(SEEDED, root, { recursive: true });
    const adapter = await createPytestAdapter({ projectRoot: root, python: testPython });
    const run = await adapter.runTests();
    const failures = new Map(run.failures.map((f) => [f.nodeId, { ...f, faultFile: "calc/geometry.py" }]));
    let runs = 0;
    const counting = Object.create(adapter) as TestRunnerAdapter;
    counting.runTests = (o) => {
      runs += 1;
      return adapter.runTests(o);
    };
    const deps = { onEvent: () => undefined } as Partial<WorkflowDeps> as WorkflowDeps;
    const input = { failures, failing: [...failures.keys()], passed: run.passedNodeIds ?? [], iteration: 1 };
    expect(await faultProbe(deps, counting, input)).toBeNull();
    expect(runs).toBe(0);
  }, 120_000);
});

/** Ranks every failure of `run` and prints the hit rate (the measurement BENCHMARKS.md quotes). */
function hitRate(root: string, run: TestRunResult, localiser: FaultLocaliser, isTestFile: (f: string) => boolean, how: string) {
  const ranks: (number | null)[] = [];
  for (const failure of run.failures) {
    const label = labels[failure.testFile];
    if (label === undefined) throw new Error(`no label for ${failure.testFile}`);
    // Every failure is an assert in a test: the stack never reaches the module under test.
    expect(failure.faultFile, failure.nodeId).toBe(failure.testFile);
    const analysis = analyzeFailure(failure, { projectRoot: root, localiser });
    const suspects = analysis.suspiciousLines ?? [];
    expect(suspects.length, failure.nodeId).toBeGreaterThan(0);
    expect(
      suspects.every((s) => !isTestFile(s.file) && s.text !== ""),
      failure.nodeId,
    ).toBe(true);
    const full = localiser.rank(failure.nodeId, Number.MAX_SAFE_INTEGER);
    const at = full.findIndex((s) => s.file === label.file && label.lines.includes(s.line));
    ranks.push(at < 0 ? null : at + 1);
  }
  const hits = ranks.filter((r) => r !== null && r <= 5).length;
  const found = ranks.filter((r): r is number => r !== null);
  const meanRank = found.reduce((a, b) => a + b, 0) / found.length;
  console.log(`ochiai (${how}) top-5 hit rate ${hits}/${ranks.length}, mean rank ${meanRank.toFixed(2)} (ranks ${ranks.join(", ")})`);
  return { hits, total: ranks.length };
}
