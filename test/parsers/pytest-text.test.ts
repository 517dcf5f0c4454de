// pytest terminal output → TestRunResult, checked against the plugin's results on the same projects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../src/domain/index.js";
import { parsePytestOutput } from "../../src/parsers/pytest-text.js";
import { runProcess } from "../../src/process/run.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { testPython } from "../helpers/python-env.js";
import { fixtureCopies } from "../runners/pytest/fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());

const pytestText = async (fixture: string, args: string[]): Promise<string> => {
  const dir = copies.copy(fixture);
  const r = await runProcess(
    testPython,
    ["-m", "pytest", "--rootdir", dir, "-p", "no:cacheprovider", "--continue-on-collection-errors", ...args],
    {
      cwd: dir,
      timeoutMs: 60_000,
    },
  );
  return r.stdout;
};

// With --tb=no the text names only the failing node ids (not the phase, line, nor a collection error's type).
const keys = (r: TestRunResult, detailed: boolean): string[] =>
  r.failures.map((f) => (detailed ? `${f.nodeId} | ${f.phase} | ${f.errorType} | ${String(f.lineNumber)}` : f.nodeId)).sort();

describe("parsePytestOutput agrees with the plugin", () => {
  const truth = new Map<string, TestRunResult>();
  beforeAll(async () => {
    for (const fixture of all) {
      const adapter = await createPytestAdapter({ projectRoot: copies.copy(fixture), python: testPython });
      truth.set(fixture, await adapter.runTests());
    }
  });

  const all = ["failing", "collection_error", "parametrized"];
  const styles: { label: string; args: string[]; lines: boolean; fixtures?: string[] }[] = [
    { label: "--tb=long", args: [], lines: true },
    { label: "--tb=short -q", args: ["--tb=short", "-q"], lines: true },
    { label: "--tb=native", args: ["--tb=native"], lines: true },
    { label: "-v -rA", args: ["-v", "-rA"], lines: true },
    { label: "--tb=no", args: ["--tb=no"], lines: false },
    { label: "-n 2 -v", args: ["-n", "2", "-v"], lines: true, fixtures: ["failing"] },
  ];

  it.each(styles)("$label", async ({ args, lines, fixtures }) => {
    for (const fixture of fixtures ?? all) {
      const parsed = parsePytestOutput(await pytestText(fixture, args));
      const want = truth.get(fixture)!;
      expect(parsed.source).toBe("text");
      expect(parsed.status, fixture).toBe(want.status);
      expect(keys(parsed, lines), fixture).toEqual(keys(want, lines));
      expect([parsed.passed, parsed.failed, parsed.errors, parsed.skipped], fixture).toEqual([
        want.passed,
        want.failed,
        want.errors,
        want.skipped,
      ]);
      if (args.includes("-v")) expect([...parsed.passedNodeIds].sort(), fixture).toEqual([...want.passedNodeIds].sort());
    }
  });

  it("reads messages, captured output and chains from the long style", async () => {
    const parsed = parsePytestOutput(await pytestText("failing", []));
    const value = parsed.failures.find((f) => f.testName === "test_value_error")!;
    expect(value.errorMessage).toBe("invalid literal for int() with base 10: 'three'");
    expect(value.capturedOutput).toContain("parsing the quantity three");
    expect(value.frames.map((f) => `${f.file}:${f.line}:${f.kind}`)).toEqual(["tests/test_shop.py:30:test", "shop.py:15:project"]);
    const chained = parsed.failures.find((f) => f.testName === "test_chained")!;
    expect(chained.chain?.map((c) => c.errorType)).toEqual(["KeyError", "ValueError"]);
    expect(parsed.durationSeconds).toBeGreaterThan(0);
  });
});

describe("parsePytestOutput on pasted text", () => {
  it("handles colors and CRLF line ends", () => {
    const text = [
      "\u001b[1m============================= test session starts ==============================\u001b[0m",
      "collected 2 items",
      "",
      "t.py \u001b[32m.\u001b[0m\u001b[31mF\u001b[0m",
      "",
      "=================================== FAILURES ===================================",
      "\u001b[31m\u001b[1m___________________________________ test_b ____________________________________\u001b[0m",
      "",
      "    def test_b():",
      ">       assert 1 == 2",
      "\u001b[1m\u001b[31mE       assert 1 == 2\u001b[0m",
      "",
      "t.py:5: AssertionError",
      "=========================== short test summary info ============================",
      "FAILED t.py::test_b - assert 1 == 2",
      "\u001b[31m========================= \u001b[31m\u001b[1m1 failed\u001b[0m, \u001b[32m1 passed\u001b[0m\u001b[31m in " +
        "0.03s\u001b[0m\u001b[31m ==========================\u001b[0m",
    ].join("\r\n");
    const r = parsePytestOutput(text);
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 1, total: 2, durationSeconds: 0.03 });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({
      nodeId: "t.py::test_b",
      errorType: "AssertionError",
      errorMessage: "assert 1 == 2",
      lineNumber: 5,
    });
  });

  it("knows passing runs, empty runs and text that is not pytest output", () => {
    expect(parsePytestOutput("........\n8 passed in 0.10s\n")).toMatchObject({ status: "passed", passed: 8, total: 8 });
    expect(
      parsePytestOutput("collected 0 items\n\n============================ no tests ran in 0.01s =============================\n"),
    ).toMatchObject({
      status: "no_tests",
      total: 0,
    });
    const junk = parsePytestOutput("make: *** [all] Error 2\n");
    expect(junk.status).toBe("error");
    expect(junk.message).toMatch(/no pytest summary/);
  });

  it("keeps the node id of a parametrized failure whose id contains ' - '", () => {
    const r = parsePytestOutput("FAILED t.py::test_x[a - b] - ValueError: bad\n1 failed in 0.01s\n");
    expect(r.failures[0]).toMatchObject({
      nodeId: "t.py::test_x[a - b]",
      testName: "test_x[a - b]",
      errorType: "ValueError",
      errorMessage: "bad",
    });
  });

  it("surfaces Python's suggestion from the message as the hint", () => {
    const r = parsePytestOutput(
      "FAILED t.py::test_a - AttributeError: 'Order' object has no attribute 'totl'. Did you mean: 'total'?\n1 failed in 0.01s\n",
    );
    expect(r.failures[0]!.hint).toBe("Did you mean: 'total'?");
  });
});
