// Ochiai's hit rate on test/fixtures/faults/seeded: a real pytest full run with per-test coverage, each failure ranked.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFailure, faultLocaliserFor } from "../../src/analysis/index.js";
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
    const localiser = faultLocaliserFor(adapter, run.failures.map((f) => f.nodeId));
    if (localiser === null) throw new Error("the full run with coverage recorded no per-test coverage");

    const ranks: (number | null)[] = [];
    for (const failure of run.failures) {
      const label = labels[failure.testFile];
      if (label === undefined) throw new Error(`no label for ${failure.testFile}`);
      // Every failure is an assert in a test: the stack never reaches the module under test.
      expect(failure.faultFile, failure.nodeId).toBe(failure.testFile);
      const analysis = analyzeFailure(failure, { projectRoot: root, localiser });
      const suspects = analysis.suspiciousLines ?? [];
      expect(suspects.length, failure.nodeId).toBeGreaterThan(0);
      expect(suspects.every((s) => !adapter.isTestFile(s.file) && s.text !== ""), failure.nodeId).toBe(true);
      const full = localiser.rank(failure.nodeId, Number.MAX_SAFE_INTEGER);
      const at = full.findIndex((s) => s.file === label.file && label.lines.includes(s.line));
      ranks.push(at < 0 ? null : at + 1);
    }
    const hits = ranks.filter((r) => r !== null && r <= 5).length;
    const found = ranks.filter((r): r is number => r !== null);
    const meanRank = found.reduce((a, b) => a + b, 0) / found.length;
    // The measurement BENCHMARKS.md quotes (the 14 failures of 8 seeded bugs).
    console.log(`ochiai top-5 hit rate ${hits}/${ranks.length}, mean rank ${meanRank.toFixed(2)} (ranks ${ranks.join(", ")})`);
    expect(run.failures).toHaveLength(14);
    expect(hits).toBeGreaterThanOrEqual(12);
  }, 120_000);
});
