// `redgreen run` (the built CLI) on the seeded-bug fixture: the report lists suspicious lines under remaining failures,
// and the fix prompt the real OpenAI client sends carries them.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/index.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runCli } from "./run-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "redgreen-cli-faults-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("suspicious lines in the workflow report", () => {
  it("shows them once per root cause in the text report, and in report --json", async () => {
    const root = join(tmp, "seeded");
    cpSync(fixturePath("faults", "seeded"), root, { recursive: true });
    // Suspicious lines come from per-test coverage, which `run` measures only when asked.
    const run = await runCli(["run", root, "--python", testPython, "--no-llm", "--coverage", "--max-iterations", "1"]);
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
    const top = withdraw?.suspiciousLines?.[0];
    expect(top).toMatchObject({ file: "calc/accounts.py", line: 17, text: "return frozen and amount <= balance" });
    expect(summary.remainingFailures.filter((f) => f.suspiciousLines !== undefined)).toHaveLength(8);
  }, 120_000);

  it("ranks them without coverage too, from one announced and counted probe run", async () => {
    const root = join(tmp, "seeded-no-coverage");
    cpSync(fixturePath("faults", "seeded"), root, { recursive: true });
    const run = await runCli(["run", root, "--python", testPython, "--no-llm", "--no-coverage", "--max-iterations", "1", "--json"]);
    expect(run.stderr).toContain("analyze: fault localisation: one run with per-test coverage of 14 failing and 44 passing test(s)");
    const summary = RunSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary.remainingFailures.filter((f) => f.suspiciousLines !== undefined)).toHaveLength(8);
    const withdraw = summary.remainingFailures.find((f) => f.nodeId === "tests/test_accounts.py::test_withdraw");
    expect(withdraw?.suspiciousLines?.[0]).toMatchObject({ file: "calc/accounts.py", line: 17 });
    // The probe is one targeted run, on top of the initial full run and the flakiness re-runs.
    expect(summary.testRuns?.full).toBe(1);
    expect(summary.testRuns?.targeted).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("sends them to the model under their own heading, and the fix they point at is kept", async () => {
    const root = join(tmp, "seeded-llm");
    cpSync(fixturePath("faults", "seeded"), root, { recursive: true });
    const find = "    return round(amount + discount, 2)";
    const fix = { file: "calc/pricing.py", find, replace: find.replace("+", "-") };
    const server = await startOpenAiServer({
      fallback: {
        type: "dynamic",
        reply: (r) =>
          JSON.stringify(r.body?.messages ?? []).includes("## Failing test\\ntests/test_pricing.py::")
            ? { type: "tool_calls", calls: [{ name: FIX_TOOL_NAME, args: { edits: [fix], explanation: "subtract it", confidence: 0.9 } }] }
            : { type: "text", content: "I cannot fix this one." },
      },
    });
    try {
      const model = ["--model", "test-model", "--base-url", server.url, "--api-key", "sk-test-key-0123456789"];
      const args = ["run", root, "--python", testPython, "--coverage", ...model];
      const run = await runCli([...args, "--max-iterations", "1"]);
      expect(run.stdout, run.stderr).toMatch(/^RED: /);
      const prompts = server.requests.map((_, i) => server.promptText(i));
      const pricing = prompts.find((p) => p.includes("## Failing test\ntests/test_pricing.py::"));
      if (pricing === undefined) throw new Error("no fix prompt for the pricing failures was sent");
      const heading = "## Suspicious lines (Ochiai: run by the failing tests more than by the passing ones; most suspicious first)";
      const listed = pricing.slice(pricing.indexOf(heading)).split("\n").slice(1, 3);
      expect(listed).toEqual([
        expect.stringMatching(/^1\. calc\/pricing\.py:11 \(score 0\.\d\d\): discount = amount \* percent \/ 100$/),
        expect.stringMatching(/^2\. calc\/pricing\.py:12 \(score 0\.\d\d\): return round\(amount \+ discount, 2\)$/),
      ]);
      expect(readFileSync(join(root, "calc/pricing.py"), "utf8")).toContain("return round(amount - discount, 2)");
      expect(run.stdout).not.toContain("tests/test_pricing.py::test_ten_percent_off:");
    } finally {
      await server.close();
    }
  }, 180_000);
});
