// ts-unresolved-name: a failure that shows no ReferenceError, while a file the failing test runs uses a name nothing defines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix, patterns, type FixPattern } from "../../../src/fixers/patterns/index.js";
import { jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";

describe("ts-unresolved-name (fixture: ts-patterns/unresolved-name)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("unresolved-name");
  });
  afterAll(() => c?.close());

  // The assertion in the test is all the runner shows: the ReferenceError was caught in receiptLine.
  const assertionIn = (testFile: string, testName: string, line: number) =>
    jsFailure(c.root, {
      testFile,
      testName,
      errorType: "AssertionError",
      errorMessage: "expected 'tea ?' to be 'tea $2.50'",
      frames: [{ file: testFile, line, column: 36, fn: testFile, kind: "test" }],
    });

  it("imports the value name a file the failing test imports uses, not the type-only one before it", async () => {
    const fix = await findPatternFix(c.ctx(assertionIn("test/receipt.test.ts", "prints a line", 5)));
    expect(fix?.patternId).toBe("ts-unresolved-name");
    expect(fix!.proposal.strategy).toBe("add_import");
    expect(fix!.proposal.edits.map((e) => e.file)).toEqual(["src/receipt.ts"]);
    expect(fix!.proposal.explanation).toContain("shows no ReferenceError");
    expect(fix!.proposal.explanation).toContain("src/receipt.ts:6");
    await applyEdits(c.root, fix!.proposal.edits);
    const imports = (text: string) => text.split("\n").filter((l) => l.startsWith("import "));
    expect(imports(c.read("src/receipt.ts"))).toEqual(['import { formatPrice } from "./money.js";']);
    const ran = await c.run('import { receiptLine } from "./receipt.js"; console.log(receiptLine("tea", 250));');
    expect(ran.stdout.trim()).toBe("tea $2.50");
  });

  it("declines when the files the failing test runs define every name they use", async () => {
    expect(await findPatternFix(c.ctx(assertionIn("test/total.test.ts", "adds up", 5)))).toBeNull();
  });

  it("leaves a visible ReferenceError to ts-missing-import", () => {
    const failure = jsFailure(c.root, {
      testFile: "test/receipt.test.ts",
      testName: "prints a line",
      errorType: "ReferenceError",
      errorMessage: "formatPrice is not defined",
      frames: [{ file: "src/receipt.ts", line: 6, column: 20, fn: "receiptLine", kind: "project" }],
    });
    const pattern: FixPattern = patterns["ts-unresolved-name"];
    const swallowed = assertionIn("test/receipt.test.ts", "prints a line", 5);
    expect(pattern.matches(failure, c.ctx(failure).analysis)).toBe(false);
    expect(pattern.matches(swallowed, c.ctx(swallowed).analysis)).toBe(true);
  });
});
