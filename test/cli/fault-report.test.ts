// `redgreen run` (the built CLI) on the seeded-bug fixture: the report lists suspicious lines under remaining failures.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/index.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runCli } from "./run-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "redgreen-cli-faults-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("suspicious lines in the workflow report", () => {
  it("shows them once per root cause in the text report, and in report --json", async () => {
    const root = join(tmp, "seeded");
    cpSync(fixturePath("faults", "seeded"), root, { recursive: true });
    const run = await runCli(["run", root, "--python", testPython, "--no-llm", "--max-iterations", "1"]);
    expect(run.stdout).toMatch(/^RED: stuck/);
    const lines = run.stdout.split("\n");
    const at = lines.indexOf("  tests/test_accounts.py::test_withdraw: AssertionError: assert False");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "    suspicious lines (Ochiai, from per-test coverage):",
      expect.stringMatching(/^ {6}calc\/accounts\.py:17 \(0\.\d\d\) return frozen and amount <= balance$/),
    ]);
    // The other failure of the same root cause follows without repeating them.
    expect(lines[lines.findIndex((l) => l.includes("calc/accounts.py:15")) + 1]).toBe(
      "  tests/test_accounts.py::test_frozen_account: AssertionError: assert not True",
    );
    expect(run.stdout.match(/suspicious lines \(Ochiai/g)).toHaveLength(8);

    const workflowId = /^Workflow (\S+);/m.exec(run.stdout)![1]!;
    const report = await runCli(["report", workflowId, root, "--json"]);
    // A red workflow's report exits as its run did.
    expect(report.exitCode, report.stderr).toBe(run.exitCode);
    const summary = RunSummarySchema.parse(JSON.parse(report.stdout));
    const withdraw = summary.remainingFailures.find((f) => f.nodeId === "tests/test_accounts.py::test_withdraw");
    expect(withdraw?.suspiciousLines?.[0]).toMatchObject({ file: "calc/accounts.py", line: 17, text: "return frozen and amount <= balance" });
    expect(summary.remainingFailures.filter((f) => f.suspiciousLines !== undefined)).toHaveLength(8);
  }, 120_000);
});
