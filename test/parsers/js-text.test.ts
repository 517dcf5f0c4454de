// The vitest/jest terminal-text parser on captured real outputs: it agrees with the JSON reports of the same runs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJestJson } from "../../src/parsers/jest-json.js";
import { detectJsTextRunner, parseJsText } from "../../src/parsers/js-text.js";
import type { JsFrameContext } from "../../src/parsers/v8-stack.js";
import { fixturePath } from "../helpers/python-env.js";

const captured = (runner: string, name: string): string => readFileSync(fixturePath(runner, "captured", name), "utf8");
const ctx: JsFrameContext = { projectRoots: ["/project"], isTestFile: (rel) => rel.includes(".test.") };
const key = (fs: { nodeId: string; errorType: string; phase: string; lineNumber: number | null }[]): string[] =>
  fs.map((f) => `${f.nodeId} | ${f.phase} | ${f.errorType} | ${f.lineNumber}`).sort();

describe("parseJsText", () => {
  it.each(["vitest", "jest"] as const)("%s: the failing fixture's output matches its JSON report", (runner) => {
    const text = captured(runner, "failing-output.txt");
    expect(detectJsTextRunner(text)).toBe(runner);
    const r = parseJsText(text, ctx);
    const json = parseJestJson(captured(runner, "failing-report.json"), ctx);
    expect(r).toMatchObject({ source: "text", status: "failed", passed: 1, failed: 6, errors: 1, skipped: 0, total: 8 });
    // Text output lacks the library frames, so the JSON's collect-error line (vitest: none) may differ; the rest agrees.
    const jsonKeys = key(json.failures).map((k) => (k.startsWith("tests/broken") ? k.replace(/\| [^|]+$/, "") : k));
    const textKeys = key(r.failures).map((k) => (k.startsWith("tests/broken") ? k.replace(/\| [^|]+$/, "") : k));
    expect(textKeys).toEqual(jsonKeys);
  });

  it.each(["vitest", "jest"] as const)("%s: a timeout in the text output", (runner) => {
    const r = parseJsText(captured(runner, "hanging-output.txt"), ctx);
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 1 });
    expect(r.failures.map((f) => [f.nodeId, f.errorType, f.lineNumber])).toEqual([["tests/hang.test.ts::waits forever", "Timeout", 4]]);
  });

  it("vitest: frames from the ❯ lines, project code and tests", () => {
    const r = parseJsText(captured("vitest", "failing-output.txt"), ctx);
    const f = r.failures.find((x) => x.testName === "cart > formats a receipt line")!;
    expect(f.frames.map((fr) => `${fr.kind} ${fr.function} ${fr.file}:${fr.line}`)).toEqual([
      "test <anonymous> tests/cart.test.ts:12",
      "project receiptLine src/cart.ts:15",
      "project formatPrice src/format.ts:3",
      "project roundCents src/format.ts:8",
    ]);
    expect(f.frames.map((fr) => fr.column)).toEqual([12, 27, 16, 12]);
    expect(f.errorMessage).toBe("v.toFixed is not a function");
  });

  it("says error for text without results and no_tests for an empty run", () => {
    expect(parseJsText("hello", ctx, "jest")).toMatchObject({ status: "error", total: 0 });
    expect(parseJsText("No tests found, exiting with code 0", ctx, "jest")).toMatchObject({ status: "no_tests" });
    expect(parseJsText(" Test Files  0 passed (0)\n      Tests  0 passed (0)\n", ctx, "vitest")).toMatchObject({
      status: "no_tests",
      total: 0,
    });
  });
});
