// name-typo renames only the failing occurrence: not a keyword-argument name, not `.attr` of another object.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("name-typo renames at the failing expression only (fixture: patterns/typo-kwarg)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("typo-kwarg");
  });
  afterAll(async () => p?.close());

  it("`f(usr=usr)`: renames the value, keeps the keyword name", async () => {
    const fix = await p.fix("test_greeting.py::test_greet");
    expect(fix?.patternId).toBe("name-typo");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "accounts/greeting.py",
        find: '    return mailer.send(usr=usr, text="hi " + user)',
        replace: '    return mailer.send(usr=user, text="hi " + user)',
        nearLine: 11,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("the keyword itself is a second, separate typo: the next failure renames it", async () => {
    const after = await p.rerun();
    const failure = after.failures.find((f) => f.nodeId.endsWith("::test_greet"));
    expect(failure?.errorMessage).toMatch(/unexpected keyword argument 'usr'/);
  });

  it("`self.titel + self.profile.titel` with a Profile missing titel: renames only the Profile's attribute", async () => {
    const fix = await p.fix("test_greeting.py::test_badge_caption");
    expect(fix?.patternId).toBe("name-typo");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "accounts/greeting.py",
        find: '        return self.titel + " " + self.profile.titel',
        replace: '        return self.titel + " " + self.profile.title',
        nearLine: 27,
      },
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.failures.map((f) => f.nodeId)).toEqual(["tests/test_greeting.py::test_greet"]);
  });
});
