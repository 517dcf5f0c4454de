// The runner line in `run`'s text summary, and when zero tests from a fallback pytest cannot be trusted.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runnerLine, untrustedNoTests } from "../../src/cli/runner-choice.js";
import { renderRunSummary } from "../../src/cli/workflow-report.js";
import type { RunSummary } from "../../src/domain/index.js";

const dir = mkdtempSync(join(tmpdir(), "redgreen-runner-choice-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fallback = { runner: "pytest", reason: "no JavaScript test runner found; pytest is the default", fallback: true } as const;

describe("runner choice in the CLI", () => {
  it("renders the runner under the counts of a run summary", () => {
    const summary: RunSummary = {
      workflowId: "w1",
      status: "failed",
      reason: "failures remain",
      iterations: 1,
      initial: { passed: 2, failed: 1, errors: 0, skipped: 0, total: 3, coverage: null },
      final: { passed: 2, failed: 1, errors: 0, skipped: 0, total: 3, coverage: null },
      fixes: [],
      remainingFailures: [],
      flaky: [],
      patch: "",
      patchPath: null,
      notes: [],
      db: "/p/.redgreen/redgreen.db",
      runner: { runner: "vitest", reason: "vitest.config.ts found", fallback: false },
    };
    const lines = renderRunSummary(summary).split("\n");
    expect(lines.slice(1, 4)).toEqual([
      "  before: 2 passed, 1 failed, 0 errors, 0 skipped, coverage not measured",
      "  after:  2 passed, 1 failed, 0 errors, 0 skipped, coverage not measured",
      "  runner: vitest (vitest.config.ts found)",
    ]);
    expect(renderRunSummary({ ...summary, runner: undefined })).not.toContain("runner:");
  });

  it("distrusts zero tests only from a fallback pytest in a folder with a package.json", () => {
    expect(untrustedNoTests(fallback, dir)).toBeNull();
    writeFileSync(join(dir, "package.json"), "{}");
    expect(untrustedNoTests(fallback, dir)).toBe(
      `pytest found no tests, and it was only the default (${fallback.reason}), yet ${dir} has a package.json: ` +
        "name its runner with --runner vitest or --runner jest",
    );
    expect(untrustedNoTests({ ...fallback, reason: "conftest.py found", fallback: false }, dir)).toBeNull();
    expect(runnerLine(fallback)).toBe(`runner: pytest (${fallback.reason})`);
  });
});
