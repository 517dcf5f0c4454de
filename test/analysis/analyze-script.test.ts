// The analyzer on vitest/jest failures: V8 error types, source-mapped frames, TypeScript sources.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFailure, categorizeScriptError, isJsTestPath, languageOfPath, runAnalyzer } from "../../src/analysis/index.js";
import type { SourceReader } from "../../src/analysis/index.js";
import type { Failure, StackFrame } from "../../src/domain/index.js";

const memorySource = (files: Record<string, string>): SourceReader => ({
  lines: (p) => (p in files ? files[p]!.split("\n") : null),
  pythonFiles: () => Object.keys(files).filter((p) => p.endsWith(".py")),
  scriptFiles: () => Object.keys(files).filter((p) => /\.[cm]?[jt]sx?$/.test(p)),
});

const SOURCES = {
  "src/money.ts": "export function formatPrice(cents: number): string {\n  return `$${(cents / 100).toFixed(2)}`;\n}\n",
  "src/cart.ts": [
    "export interface Item { name: string; cents: number; qty: number }",
    "export function cartTotal(items: Item[]): number {",
    "  return items.reduce((sum, item) => sum + item.cents * item.qty, 0);",
    "}",
    "export function receiptLine(item: Item): string {",
    "  return `${item.name}: ${formatPrice(item.cents * item.qty)}`;",
    "}",
    "export class Cart {",
    "  items: Item[] = [];",
    "  total(): number {",
    "    return cartTotal(this.items);",
    "  }",
    "}",
  ].join("\n"),
  "src/orders.ts": "export function shippingCity(c: { address?: { city: string } }): string {\n  return c.address.city;\n}\n",
  "src/discount.ts": "export const applyDiscount = (cents: number, percent: number): number =>\n  Math.round((cents * percent) / 100);\n",
  "tests/cart.test.ts": [
    'import { expect, it } from "vitest";',
    'import { Cart, receiptLine } from "../src/cart";',
    'import { applyDiscount } from "../src/discount";',
    'it("prints", () => { expect(receiptLine({ name: "tea", cents: 250, qty: 2 })).toBe("tea: $5.00"); });',
    'it("discounts", () => {',
    "  expect(applyDiscount(1000, 10)).toBe(900);",
    "});",
    'it("totals", () => { expect(new Cart().totl()).toBe(0); });',
  ].join("\n"),
};

const frame = (file: string, line: number, fn: string, kind: StackFrame["kind"]): StackFrame => ({ file, line, function: fn, kind });

const failure = (over: Partial<Failure>): Failure => ({
  nodeId: "tests/cart.test.ts::prints",
  testFile: "tests/cart.test.ts",
  testName: "prints",
  errorType: "Error",
  errorMessage: "",
  stackTrace: "",
  lineNumber: 4,
  faultFile: null,
  faultLine: null,
  frames: [],
  phase: "call",
  durationSeconds: 0.01,
  ...over,
});

const analyze = (f: Failure) => analyzeFailure(f, { projectRoot: "/p", source: memorySource(SOURCES) });

describe("analyzing vitest/jest failures", () => {
  it("tells TypeScript/JavaScript files from Python ones and knows the JS test-file conventions", () => {
    expect(languageOfPath("src/cart.ts")).toBe("typescript");
    expect(languageOfPath("lib/a.mjs")).toBe("typescript");
    expect(languageOfPath("shop/cart.py")).toBe("python");
    expect(languageOfPath("README.md")).toBeNull();
    expect(isJsTestPath("tests/cart.test.ts")).toBe(true);
    expect(isJsTestPath("src/__tests__/cart.ts")).toBe(true);
    expect(isJsTestPath("src/cart.spec.tsx")).toBe(true);
    expect(isJsTestPath("src/cart.ts")).toBe(false);
    expect(isJsTestPath("tests/helpers.ts")).toBe(false);
  });

  it("categorizes V8 errors", () => {
    expect(categorizeScriptError("ReferenceError", "formatPrice is not defined")).toBe("import");
    expect(categorizeScriptError("TypeError", "Cannot read properties of undefined (reading 'city')")).toBe("attribute");
    expect(categorizeScriptError("TypeError", "x.map is not a function")).toBe("type_error");
    expect(categorizeScriptError("AssertionError", "expected 100 to be 900 // Object.is equality")).toBe("assertion");
    expect(categorizeScriptError("Error", "expect(received).toBe(expected) // Object.is equality")).toBe("assertion");
    expect(categorizeScriptError("Timeout", "Test timed out in 1000ms.")).toBe("timeout");
    expect(categorizeScriptError("TypeError", "fetch failed")).toBe("api");
    expect(categorizeScriptError("SyntaxError", "Unexpected token ')'")).toBe("syntax");
    expect(categorizeScriptError("AssertionError", "expected Promise{…} to be 3")).toBe("async");
    expect(categorizeScriptError("RangeError", "Invalid array length")).toBe("type_error");
    expect(categorizeScriptError("Error", "out of stock")).toBe("logic");
  });

  it("points a ReferenceError at the innermost project frame and names the import that defines the name", () => {
    const a = analyze(
      failure({
        errorType: "ReferenceError",
        errorMessage: "formatPrice is not defined",
        frames: [
          frame("tests/cart.test.ts", 4, "<anonymous>", "test"),
          frame("src/cart.ts", 6, "receiptLine", "project"),
          frame("node_modules/@vitest/runner/dist/index.js", 10, "run", "library"),
        ],
      }),
    );
    expect(a.errorCategory).toBe("import");
    expect(a.fixStrategy).toBe("add_import");
    expect(a.fileToFix).toBe("src/cart.ts");
    expect(a.lineNumber).toBe(6);
    expect(a.functionName).toBe("receiptLine");
    expect(a.suggestedFix).toContain('import { formatPrice } from "./money"');
    expect(a.groupKey).toBe("src/cart.ts:6:ReferenceError");
  });

  it("guards an undefined read at the project line that threw", () => {
    const a = analyze(
      failure({
        errorType: "TypeError",
        errorMessage: "Cannot read properties of undefined (reading 'city')",
        frames: [frame("tests/cart.test.ts", 4, "<anonymous>", "test"), frame("src/orders.ts", 2, "shippingCity", "project")],
      }),
    );
    expect(a.errorCategory).toBe("attribute");
    expect(a.fixStrategy).toBe("add_none_check");
    expect(a.fileToFix).toBe("src/orders.ts");
    expect(a.suggestedFix).toContain("`.city`");
    expect(a.suggestedFix).toContain("return c.address.city;");
  });

  it("suggests the close name for a misspelt method", () => {
    const a = analyze(
      failure({
        nodeId: "tests/cart.test.ts::totals",
        testName: "totals",
        errorType: "TypeError",
        errorMessage: "(intermediate value).totl is not a function",
        lineNumber: 8,
        frames: [frame("tests/cart.test.ts", 8, "<anonymous>", "test")],
      }),
    );
    expect(a.fixStrategy).toBe("fix_attribute_name");
    expect(a.errorCategory).toBe("attribute");
    expect(a.hint).toBe("total");
    expect(a.suggestedFix).toContain("Replace `totl` with `total`");
  });

  it("moves an assertion in the test to the project function it compares, with expected and actual", () => {
    const vitest = analyze(
      failure({
        nodeId: "tests/cart.test.ts::discounts",
        testName: "discounts",
        errorType: "AssertionError",
        errorMessage: "expected 100 to be 900 // Object.is equality",
        lineNumber: 6,
        frames: [frame("tests/cart.test.ts", 6, "<anonymous>", "test")],
      }),
    );
    expect(vitest.errorCategory).toBe("assertion");
    expect(vitest.fileToFix).toBe("src/discount.ts");
    expect(vitest.lineNumber).toBe(1);
    expect(vitest.functionName).toBe("applyDiscount");
    expect(vitest.actual).toBe("100");
    expect(vitest.expected).toBe("900");
    expect(vitest.suggestedFix).toContain("it produced 100 where the test expects 900");

    const jest = analyze(
      failure({
        nodeId: "tests/cart.test.ts::discounts",
        testName: "discounts",
        errorType: "Error",
        errorMessage: "expect(received).toBe(expected) // Object.is equality\n\nExpected: 900\nReceived: 100",
        lineNumber: 6,
        frames: [frame("tests/cart.test.ts", 6, "Object.toBe", "test")],
      }),
    );
    expect(jest.errorCategory).toBe("assertion");
    expect(jest.fileToFix).toBe("src/discount.ts");
    expect(jest.expected).toBe("900");
    expect(jest.actual).toBe("100");
  });

  it("falls back to the test file for a file that failed to load", () => {
    const a = analyze(
      failure({
        nodeId: "tests/cart.test.ts",
        testName: "",
        errorType: "SyntaxError",
        errorMessage: "Unexpected token ')'",
        phase: "collect",
        lineNumber: null,
      }),
    );
    expect(a.errorCategory).toBe("syntax");
    expect(a.fixStrategy).toBe("fix_syntax");
    expect(a.fileToFix).toBe("tests/cart.test.ts");
    expect(a.confidence).toBeGreaterThan(0);
  });
});

describe("one reader for a run's failures", () => {
  const misspelt = (i: number) =>
    failure({
      nodeId: `tests/cart.test.ts::totals ${i}`,
      errorType: "ReferenceError",
      errorMessage: "cartTotl is not defined",
      frames: [frame("tests/cart.test.ts", 8, "<anonymous>", "test"), frame("src/cart.ts", 11, "total", "project")],
    });

  it("runAnalyzer reads the project once for all the run's failures (a snapshot: later disk changes are the next pass's)", async () => {
    const root = await mkdtemp(join(tmpdir(), "redgreen-analyze-pass-"));
    try {
      for (const [rel, text] of Object.entries(SOURCES)) {
        await mkdir(join(root, dirname(rel)), { recursive: true });
        await writeFile(join(root, rel), text);
      }
      const adapter = { projectRoot: root, isTestFile: (rel: string) => isJsTestPath(rel), testCoverage: () => null };
      const pass = runAnalyzer(adapter, [], null);
      const first = pass(misspelt(0));
      expect(first.suggestedFix).toContain("cartTotal");
      // The file changes on disk mid-pass: the pass keeps answering from what it read, as one pass over 6,000 failures must.
      await writeFile(join(root, "src/cart.ts"), SOURCES["src/cart.ts"].replaceAll("cartTotal", "sumOfCart"));
      for (let i = 1; i < 50; i++) expect(pass(misspelt(i))).toEqual(first);
      const next = runAnalyzer(adapter, [], null)(misspelt(0));
      expect(next.suggestedFix).not.toContain("cartTotal");
      expect(analyze(misspelt(0))).toEqual(first);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
