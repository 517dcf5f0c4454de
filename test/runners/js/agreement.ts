// Agreement tests shared by vitest and jest: the adapter's results match the bare runner's own JSON report on every fixture.
import { readFileSync, realpathSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run.js";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { jsFixtureCopies } from "./fixtures.js";

interface RawReport {
  testResults: { name: string; status: string; assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

/** Registers the agreement tests for one runner. */
export function runJsAgreement(runner: "vitest" | "jest"): void {
  const copies = jsFixtureCopies(runner);
  const out = mkdtempSync(join(tmpdir(), `redgreen-${runner}-agree-`));
  afterAll(() => {
    copies.cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  /** The bare runner's JSON report of a project, run the way a user would with its JSON reporter. */
  async function bareReport(dir: string, fixture: string): Promise<RawReport> {
    const file = join(out, `${fixture.replaceAll("/", "-")}.json`);
    const bin = join(dir, "node_modules", ".bin", runner);
    const args =
      runner === "vitest"
        ? ["run", "--no-cache", "--passWithNoTests", "--testTimeout=1000", "--reporter=json", `--outputFile=${file}`]
        : ["--ci", "--passWithNoTests", "--testTimeout=1000", "--json", `--outputFile=${file}`];
    await runProcess(bin, args, { cwd: dir, env: { ...process.env, CI: "1", NO_COLOR: "1" }, timeoutMs: 60_000 });
    return JSON.parse(readFileSync(file, "utf8")) as RawReport;
  }

  describe(`${runner} adapter agrees with ${runner}'s own JSON report`, () => {
    // examples/ts-shop is the dual-runner project the workflow tests fix (the same tests under vitest and jest).
    it.each(["passing", "failing", "empty", "hanging", "examples/ts-shop"])("%s", async (fixture) => {
      const dir = copies.copy(fixture);
      const adapter =
        runner === "vitest"
          ? await createVitestAdapter({ projectRoot: dir, testTimeoutSeconds: 1 })
          : await createJestAdapter({ projectRoot: dir, testTimeoutSeconds: 1 });
      const [run, raw] = await Promise.all([adapter.runTests(), bareReport(dir, fixture)]);
      const root = realpathSync(dir);
      const passed: string[] = [];
      const failed: string[] = [];
      let skipped = 0;
      const loadErrors: string[] = [];
      for (const file of raw.testResults) {
        const rel = relative(root, file.name);
        for (const a of file.assertionResults) {
          const id = `${rel}::${[...a.ancestorTitles, a.title].join(" > ")}`;
          if (a.status === "passed") passed.push(id);
          else if (a.status === "failed") failed.push(id);
          else skipped++;
        }
        if (file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed")) loadErrors.push(rel);
      }
      expect([...run.passedNodeIds].sort()).toEqual(passed.sort());
      expect([...new Set(run.failures.map((f) => f.nodeId))].sort()).toEqual([...failed, ...loadErrors].sort());
      expect({ passed: run.passed, failed: run.failed, skipped: run.skipped, errors: run.errors }).toEqual({
        passed: passed.length,
        failed: failed.length,
        skipped,
        errors: loadErrors.length,
      });
      const expectedStatus = failed.length + loadErrors.length > 0 ? "failed" : passed.length + skipped === 0 ? "no_tests" : "passed";
      expect(run.status).toBe(expectedStatus);
    });
  });
}
