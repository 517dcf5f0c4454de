// ts-spelling on a real TS project: TypeScript's spelling fix for a misspelt method and a misspelt variable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix } from "../../../src/fixers/patterns/index.js";
import { misspelt } from "../../../src/fixers/patterns/ts-spelling.js";
import { jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";
import { checkoutTotals } from "../../ts-project/ts-failures.js";

describe("ts-spelling (fixture: ts-patterns/spelling)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("spelling");
  });
  afterAll(() => c?.close());

  it("reads the misspelt name off V8's messages", () => {
    expect(misspelt("TypeError", "cart.totl is not a function")).toEqual({ name: "totl" });
    expect(misspelt("TypeError", "this.items.mapp is not a function")).toEqual({ name: "mapp" });
    expect(misspelt("ReferenceError", "cartTotl is not defined")).toEqual({ name: "cartTotl" });
    expect(misspelt("TypeError", "Cannot read properties of undefined (reading 'city')")).toEqual({ name: null });
    expect(misspelt("TypeError", "Assignment to constant variable.")).toBeNull();
  });

  it("renames a misspelt method call (`cart.totl is not a function`)", async () => {
    const f = jsFailure(c.root, checkoutTotals);
    const fix = await findPatternFix(c.ctx(f));
    expect(fix?.patternId).toBe("ts-spelling");
    expect(fix!.proposal.edits).toEqual([
      { file: "src/checkout.ts", find: "  return cart.totl();\n", replace: "  return cart.total();\n", nearLine: 6 },
    ]);
    expect(fix!.proposal.explanation).toContain("Did you mean 'total'?");
    await applyEdits(c.root, fix!.proposal.edits);
  });

  it("renames a misspelt variable (`cartTotl is not defined`) that no module exports", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/checkout.test.ts",
      testName: "adds tax",
      errorType: "ReferenceError",
      errorMessage: "cartTotl is not defined",
      frames: [
        { file: "test/checkout.test.ts", line: 9, column: 10, fn: "test/checkout.test.ts", kind: "test" },
        { file: "src/checkout.ts", line: 11, column: 21, fn: "withTax", kind: "project" },
      ],
    });
    const fix = await findPatternFix(c.ctx(f));
    expect(fix?.patternId).toBe("ts-spelling");
    expect(fix!.proposal.edits).toEqual([
      {
        file: "src/checkout.ts",
        find: "  return Math.round(cartTotl * 1.2);\n",
        replace: "  return Math.round(cartTotal * 1.2);\n",
        nearLine: 11,
      },
    ]);
    await applyEdits(c.root, fix!.proposal.edits);
    expect(await c.project.diagnostics("src/checkout.ts")).toEqual([]);
    const ran = await c.run(
      'import { checkoutTotal, withTax } from "./checkout.js"; console.log(checkoutTotal([100, 250]), withTax([100]));',
    );
    expect(ran.stdout).toBe("350 120");
  });

  const nmaeIsNotDefined = (line: number, fn: string) =>
    jsFailure(c.root, {
      testFile: "test/checkout.test.ts",
      testName: "labels",
      errorType: "ReferenceError",
      errorMessage: "nmae is not defined",
      frames: [{ file: "src/label.ts", line, column: 13, fn, kind: "project" }],
    });

  it("renames a short name one swap away that TypeScript offers no fix for (`nmae` -> the parameter `name`)", async () => {
    expect((await c.project.codeFixes("src/label.ts", { fromLine: 2, toLine: 2, fixNames: ["spelling"] })).length).toBe(0);
    const fix = await findPatternFix(c.ctx(nmaeIsNotDefined(2, "label")));
    expect(fix?.patternId).toBe("ts-spelling");
    expect(fix!.proposal.edits).toEqual([
      { file: "src/label.ts", find: "  return `${nmae} (${size})`;\n", replace: "  return `${name} (${size})`;\n", nearLine: 2 },
    ]);
    expect(fix!.proposal.explanation).toContain("the one name in scope one edit away");
  });

  it("finds the name under a `@ts-ignore` that hides TypeScript's own diagnostic (hookable's `hooks[nmae]`)", async () => {
    const fix = await findPatternFix(c.ctx(nmaeIsNotDefined(14, "labels")));
    expect(fix?.patternId).toBe("ts-spelling");
    expect(fix!.proposal.edits).toEqual([
      { file: "src/label.ts", find: "    out[nmae] = `${sizes[key]}`;\n", replace: "    out[name] = `${sizes[key]}`;\n", nearLine: 14 },
    ]);
  });

  it("declines when two names in scope are one edit away (`nmae`: `name` and `nmea`)", async () => {
    expect(await findPatternFix(c.ctx(nmaeIsNotDefined(6, "pair")), { only: ["ts-spelling"] })).toBeNull();
  });

  it("declines when the failing line has no spelling fix", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/checkout.test.ts",
      testName: "totals",
      errorType: "TypeError",
      errorMessage: "cart.add is not a function",
      frames: [{ file: "src/checkout.ts", line: 5, fn: "checkoutTotal", kind: "project" }],
    });
    expect(await findPatternFix(c.ctx(f), { only: ["ts-spelling"] })).toBeNull();
  });
});
