// ts-undefined-guard on a real TS project: optional chaining at the access that read from undefined, or a decline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix } from "../../../src/fixers/patterns/index.js";
import { planGuard, planOptionalCall, undefinedRead } from "../../../src/fixers/patterns/ts-undefined-guard.js";
import { jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";

describe("ts-undefined-guard (fixture: ts-patterns/undefined-guard)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("undefined-guard");
  });
  afterAll(() => c?.close());

  const thrown = (errorMessage: string, line: number, column: number, fn: string) =>
    jsFailure(c.root, {
      testFile: "test/order.test.ts",
      testName: "has no city without an address",
      errorType: "TypeError",
      errorMessage,
      frames: [
        { file: "test/order.test.ts", line: 5, column: 10, fn: "test/order.test.ts", kind: "test" },
        { file: "src/order.ts", line, column, fn, kind: "project" },
      ],
    });
  const failure = (property: string, line: number, column: number, fn: string, from = "undefined") =>
    thrown(`Cannot read properties of ${from} (reading '${property}')`, line, column, fn);

  it("reads the property and the value from V8's message, old and new wording", () => {
    expect(undefinedRead("TypeError", "Cannot read properties of null (reading 'at')")).toEqual({ property: "at", from: "null" });
    expect(undefinedRead("TypeError", "Cannot read property 'city' of undefined")).toEqual({ property: "city", from: "undefined" });
    expect(undefinedRead("ReferenceError", "Cannot read properties of undefined (reading 'x')")).toBeNull();
  });

  it("guards the access whose object may be undefined when nothing needs the value", async () => {
    const fix = await findPatternFix(c.ctx(failure("city", 13, 24, "shippingCity")));
    expect(fix?.patternId).toBe("ts-undefined-guard");
    expect(fix!.proposal.edits).toEqual([
      {
        file: "src/order.ts",
        find: "export function shippingCity(order: Order) {\n  return order.address.city;\n",
        replace: "export function shippingCity(order: Order) {\n  return order.address?.city;\n",
        nearLine: 12,
      },
    ]);
    await applyEdits(c.root, fix!.proposal.edits);
    const ran = await c.run(
      'import { shippingCity } from "./order.js"; console.log(String(shippingCity({ id: 1, notes: [] })), shippingCity({ id: 2, ' +
        'notes: [], address: { city: "Oslo" } }));',
    );
    expect(ran.stdout).toBe("undefined Oslo");
  });

  it("guards a method call on a possibly-null value", async () => {
    const fix = await findPatternFix(c.ctx(failure("at", 26, 22, "firstNote", "null")));
    expect(fix?.patternId).toBe("ts-undefined-guard");
    await applyEdits(c.root, fix!.proposal.edits);
    expect(c.read("src/order.ts")).toContain("  return order.notes?.at(0);\n");
  });

  it("declines when the function's declared return type needs a value", async () => {
    expect(await c.project.inspect!("src/order.ts", (view) => planGuard(view, 17, 24, "city"))).toEqual({
      decline: "the function's declared return type needs a value",
    });
    expect(await findPatternFix(c.ctx(failure("city", 17, 24, "cityLabel")))).toBeNull();
  });

  it("declines when the guarded value is dereferenced later", async () => {
    expect(await c.project.inspect!("src/order.ts", (view) => planGuard(view, 21, 30, "city"))).toEqual({
      decline: "the variable holding the value is dereferenced later",
    });
    expect(await findPatternFix(c.ctx(failure("city", 21, 30, "upperCity")))).toBeNull();
  });

  it("calls an optional callback only when it is given: `done?.()` (V8: `done is not a function`)", async () => {
    const fix = await findPatternFix(c.ctx(thrown("done is not a function", 30, 3, "notify")));
    expect(fix?.patternId).toBe("ts-undefined-guard");
    expect(fix!.proposal.edits.map((e) => e.replace)).toEqual([expect.stringContaining("  done?.(order.id);\n")]);
    await applyEdits(c.root, fix!.proposal.edits);
    const ran = await c.run(
      'import { notify } from "./order.js"; const seen = []; notify({ id: 1, notes: [] }); notify({ id: 2, notes: [] }, (id) => ' +
        "seen.push(id)); console.log(seen.join());",
    );
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("2");
  });

  it("declines a callee whose declared type is a plain function (a misspelling or a wrong caller, not a missing guard)", async () => {
    expect(await c.project.inspect!("src/order.ts", (view) => planOptionalCall(view, 34, "done"))).toEqual({
      decline: "0 calls of 'done' on line 34 have a type that admits undefined",
    });
    expect(
      await findPatternFix(c.ctx(thrown("done is not a function", 34, 3, "notifyAlways")), { only: ["ts-undefined-guard"] }),
    ).toBeNull();
  });

  it("declines an optional call when the function's declared return type needs its value", async () => {
    expect(await c.project.inspect!("src/order.ts", (view) => planOptionalCall(view, 38, "format"))).toEqual({
      decline: "the function's declared return type needs a value",
    });
  });

  it("declines in a test file unless test edits are allowed", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/order.test.ts",
      testName: "has no city without an address",
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'city')",
      frames: [{ file: "test/order.test.ts", line: 5, column: 10, fn: "test/order.test.ts", kind: "test" }],
    });
    expect(await findPatternFix(c.ctx(f, undefined), { only: ["ts-undefined-guard"] })).toBeNull();
  });
});
