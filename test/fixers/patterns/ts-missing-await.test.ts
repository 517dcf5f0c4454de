// ts-missing-await on a real TS project: a promise read as its value, found from an assertion far from the cause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../../src/fixers/apply.js";
import { findPatternFix } from "../../../src/fixers/patterns/index.js";
import { jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";
import { profileShowsName } from "../../ts-project/ts-failures.js";

describe("ts-missing-await (fixture: ts-patterns/missing-await)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("missing-await");
  });
  afterAll(() => c?.close());

  it("finds the un-awaited call in the function the test calls, from an assertion with no project frame", async () => {
    const f = jsFailure(c.root, profileShowsName);
    const fix = await findPatternFix(c.ctx(f));
    expect(fix?.patternId).toBe("ts-missing-await");
    expect(fix!.proposal.edits).toEqual([
      {
        file: "src/profile.ts",
        find: "export async function displayName(id: number) {\n  const user = fetchUser(id);\n",
        replace: "export async function displayName(id: number) {\n  const user = await fetchUser(id);\n",
        nearLine: 3,
      },
    ]);
    expect(fix!.proposal.explanation).toContain("in displayName");
    await applyEdits(c.root, fix!.proposal.edits);
    const ran = await c.run('import { displayName } from "./profile.js"; console.log(await displayName(1));');
    expect(ran.stdout).toBe("Ann");
  });

  it("declines to make a sync function async when the test does not await it", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/profile.test.ts",
      testName: "profile > greets the user",
      errorType: "AssertionError",
      errorMessage: "expected 'Hello, undefined' to be 'Hello, Ann' // Object.is equality",
      frames: [{ file: "test/profile.test.ts", line: 10, column: 25, fn: "test/profile.test.ts", kind: "test" }],
    });
    expect(await findPatternFix(c.ctx(f), { only: ["ts-missing-await"] })).toBeNull();
  });

  it("awaits at the failing line and makes the function async when the test awaits it", async () => {
    const f = jsFailure(c.root, {
      testFile: "test/profile.test.ts",
      testName: "profile > shows the initial",
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'slice')",
      frames: [
        { file: "test/profile.test.ts", line: 14, column: 18, fn: "test/profile.test.ts", kind: "test" },
        { file: "src/profile.ts", line: 15, column: 20, fn: "initial", kind: "project" },
      ],
    });
    const fix = await findPatternFix(c.ctx(f));
    expect(fix?.patternId).toBe("ts-missing-await");
    const after = c.read("src/profile.ts");
    await applyEdits(c.root, fix!.proposal.edits);
    expect(c.read("src/profile.ts")).toBe(
      after.replace(
        "export function initial(id: number) {\n  const user = fetchUser(id);",
        "export async function initial(id: number) {\n  const user = await fetchUser(id);",
      ),
    );
    expect((await c.project.diagnostics("src/profile.ts")).map((d) => d.line)).toEqual([10]); // greeting's, left alone
    const ran = await c.run('import { initial } from "./profile.js"; console.log(await initial(2));');
    expect(ran.stdout).toBe("B");
  });
});
