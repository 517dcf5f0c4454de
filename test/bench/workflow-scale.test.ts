// The workflow-scale benchmark's setup on 20-test suites: the bare runner fails exactly one test, `redgreen run --no-llm`
// (the built CLI) fixes it, the bench's watcher sees redgreen's own peak RSS, and its timeline the test runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bareCommand, bareSawOneFailure, generateScaleSuite } from "../../bench/lib/scale-suite.mjs";
import type { ScaleLang } from "../../bench/lib/scale-suite.mjs";
import type { RunSummary } from "../../src/domain/index.js";
import { timelineRuns, watchCommand } from "../../bench/lib/watch-process.mjs";
import { runProcess } from "../../src/process/run.js";
import { binPath } from "../cli/run-cli.js";
import { testDir, testPython } from "../helpers/python-env.js";

const ENV = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CI: "1", NO_COLOR: "1" };
const TESTS = 20;

describe("workflow-scale suites (bench/lib/scale-suite.mjs)", () => {
  const tmp = mkdtempSync(join(tmpdir(), "redgreen-scale-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is the same suite for the same seed and another for another seed", () => {
    const a = generateScaleSuite(join(tmp, "a"), { lang: "python", tests: 300, seed: 7 });
    const b = generateScaleSuite(join(tmp, "b"), { lang: "python", tests: 300, seed: 7 });
    generateScaleSuite(join(tmp, "c"), { lang: "python", tests: 300, seed: 8 });
    expect(b).toEqual(a);
    const test = (dir: string): string => readFileSync(join(tmp, dir, "tests", "test_mod_000.py"), "utf8");
    expect(test("b")).toBe(test("a"));
    expect(test("c")).not.toBe(test("a"));
    expect(a.files).toBeGreaterThanOrEqual(2);
    expect(() => generateScaleSuite(join(tmp, "d"), { lang: "ruby" as ScaleLang, tests: 10 })).toThrow(/python or vitest/);
  });

  it.concurrent.each(["python", "vitest"] as const)(
    "%s: one failing test, then green with redgreen run --no-llm",
    async (lang) => {
      const project = join(tmp, `${lang}-20`);
      const suite = generateScaleSuite(project, { lang, tests: TESTS, perFile: { min: 5, max: 10 } });
      const bare = bareCommand(lang, project, testPython);
      const before = await watchCommand(bare.file, bare.args, { cwd: project, env: ENV });
      expect(bareSawOneFailure(lang, TESTS, before), before.stdout).toBe(true);
      expect(before.stdout + before.stderr).toMatch(new RegExp(`${suite.missingName}.* is not defined`));

      const args = [binPath, "run", project, "--no-llm", "--no-coverage", "--json", "--quiet", "--db", join(tmp, `${lang}.db`)];
      if (lang === "python") args.push("--python", testPython);
      const rg = await watchCommand(process.execPath, args, { cwd: tmp, env: { ...ENV, REDGREEN_TIMINGS: "1" } });
      expect(rg.exitCode, rg.stderr).toBe(0);
      const summary = JSON.parse(rg.stdout) as RunSummary;
      expect(summary.status).toBe("passed");
      expect(summary.final).toMatchObject({ total: TESTS, failed: 0 });
      expect(summary.fixes).toEqual([expect.objectContaining({ status: "kept", file: suite.bugFile, source: "pattern" })]);

      // What the benchmark reports: a node process's resident set, and the runs it made (the first full run and the proof
      // of the fix: one more full run on a quick suite, else a targeted run and the iteration's full run), read from
      // redgreen's timeline: the same counts the summary gives.
      expect(rg.peakRssMb).toBeGreaterThan(30);
      // CPU time takes in the runs redgreen waited for: more than one bare run of the same suite, which it repeats.
      expect(before.cpuSeconds).toBeGreaterThan(0);
      expect(rg.cpuSeconds).toBeGreaterThan(before.cpuSeconds);
      const runs = timelineRuns(rg.stderr);
      const inRuns = runs.reduce((sum, r) => sum + r.seconds, 0);
      expect(inRuns).toBeGreaterThan(0);
      expect(inRuns).toBeLessThan(rg.seconds);
      expect(runs.every((r) => !r.coverage)).toBe(true);
      const full = runs.filter((r) => r.kind === "full").length;
      const selected = runs.filter((r) => r.kind === "selected").length;
      expect(full).toBeGreaterThanOrEqual(1);
      expect(full + selected, JSON.stringify(runs)).toBeGreaterThanOrEqual(2);
      const { testRuns } = summary;
      expect({ full, selected }).toEqual({ full: testRuns!.full, selected: testRuns!.affected + testRuns!.targeted });

      const after = await watchCommand(bare.file, bare.args, { cwd: project, env: ENV });
      expect(after.exitCode, after.stdout).toBe(0);
      // About 35 s on an idle 2-core machine; four times that under a load of 15.
    },
    180_000,
  );

  it("bench/run.mjs gives options only to a benchmark that takes them, each with a value", async () => {
    const runMjs = join(testDir, "..", "bench", "run.mjs");
    const run = (...args: string[]) => runProcess(process.execPath, [runMjs, ...args], { cwd: tmp, timeoutMs: 30_000 });
    const [foreign, bare, wrong, coverage] = await Promise.all([
      run("workflow-overhead", "--sizes", "1000"),
      run("workflow-scale", "--sizes"),
      run("workflow-scale", "--lang", "ruby"),
      run("workflow-scale", "--coverage", "maybe"),
    ]);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toMatch(/workflow-overhead takes no option --sizes; it takes: none/);
    expect(bare.exitCode).toBe(1);
    expect(bare.stderr).toMatch(/option --sizes needs a value/);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(/--lang takes python, vitest, got 'ruby'/);
    expect(coverage.exitCode).toBe(1);
    expect(coverage.stderr).toMatch(/--coverage takes on or off, got 'maybe'/);
    expect(foreign.stdout + bare.stdout + wrong.stdout + coverage.stdout).not.toContain("BENCH");
  });
});
