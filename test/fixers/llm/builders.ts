// Failure and Analysis values for the shop fixture, shaped like what the pytest adapter and analyzer produce.
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Analysis, Failure } from "../../../src/domain/index.js";
import { migrations } from "../../../src/store/index.js";
import type { Migration } from "../../../src/store/index.js";
import { migration as llmCallsMigration } from "../../../src/store/migrations/002-llm-calls.js";
import { fixturePath } from "../../helpers/python-env.js";

/** The fixture project with a discount bug at shop/cart.py:15 (two fake payment keys sit on lines 5 and 7). */
export const SHOP = fixturePath("llm", "shop");

/** A fresh copy of a fixture project in a temp dir (tests edit files). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `redgreen-llm-${name}-`));
  cpSync(fixturePath("llm", name), dir, { recursive: true });
  return dir;
}

export const readShop = (rel: string): string => readFileSync(join(SHOP, rel), "utf8");

/** test_discount_is_subtracted as the adapter reports it. */
export function discountFailure(overrides: Partial<Failure> = {}): Failure {
  return {
    nodeId: "tests/test_cart.py::test_discount_is_subtracted",
    testFile: "tests/test_cart.py",
    testName: "test_discount_is_subtracted",
    errorType: "AssertionError",
    errorMessage: "assert 27.5 == 22.5\n +  where 27.5 = apply_discount(25.0, 10)",
    stackTrace: [
      "    def test_discount_is_subtracted():",
      ">       assert apply_discount(25.0, 10) == 22.5",
      "E       assert 27.5 == 22.5",
      "E        +  where 27.5 = apply_discount(25.0, 10)",
      "",
      "tests/test_cart.py:22: AssertionError",
    ].join("\n"),
    lineNumber: 22,
    faultFile: "tests/test_cart.py",
    faultLine: 22,
    frames: [
      {
        file: "tests/test_cart.py",
        line: 22,
        function: "test_discount_is_subtracted",
        code: "assert apply_discount(25.0, 10) == 22.5",
        kind: "test",
      },
    ],
    phase: "call",
    durationSeconds: 0.001,
    ...overrides,
  };
}

/** The analyzer's view: the bug is in apply_discount. */
export function discountAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    errorType: "AssertionError",
    errorCategory: "assertion",
    rootCause: "apply_discount returned 27.5 where the test expects 22.5",
    suggestedFix: "Check how the discount is applied in apply_discount",
    fileToFix: "shop/cart.py",
    lineNumber: 15,
    functionName: "apply_discount",
    fixStrategy: "llm",
    confidence: 0.6,
    expected: "22.5",
    actual: "27.5",
    groupKey: "shop/cart.py:15:AssertionError",
    ...overrides,
  };
}

/** The correct one-line fix, as a propose_fix tool call's arguments. */
export const CORRECT_FIX = {
  edits: [
    {
      file: "shop/cart.py",
      find: "    return round(subtotal + discount, 2)",
      replace: "    return round(subtotal - discount, 2)",
    },
  ],
  explanation: "The discount was added to the subtotal instead of subtracted.",
  confidence: 0.9,
};

/** One "## ..." section of a prompt, up to the next one. */
export const section = (text: string, header: string): string => {
  const start = text.indexOf(header);
  if (start < 0) throw new Error(`no section ${header}`);
  const next = text.indexOf("\n## ", start + header.length);
  return text.slice(start, next < 0 ? undefined : next).trimEnd();
};

/** The store's migrations with 002-llm-calls in place, whether or not migrations/index.ts lists it yet. */
export const storeMigrations: readonly Migration[] = [
  ...migrations.filter((m) => m.version !== llmCallsMigration.version),
  llmCallsMigration,
].sort((a, b) => a.version - b.version);
