// name-typo on two swapped letters (`slef` for `self`): Python's own distance counts a swap as two edits, too far for a
// four-letter name; the pattern counts it as one and still needs a unique closest name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("name-typo with two letters swapped (fixture: patterns/typo-swap)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("typo-swap");
  });
  afterAll(async () => p?.close());

  it("starts red with the NameError Python makes no suggestion for", () => {
    const [f, ...rest] = p.before.failures;
    expect(rest).toEqual([]);
    expect(`${f?.errorType}: ${f?.errorMessage.split("\n")[0]}`).toBe("NameError: name 'slef' is not defined");
    expect(f?.hint ?? null).toBeNull();
  });

  it("renames slef to self on the failing line of __repr__", async () => {
    const fix = await p.fix("test_compose.py::test_repr_names_the_functions");
    expect(fix?.patternId).toBe("name-typo");
    expect(fix?.proposal.explanation).toContain("`slef` to `self`");
    await p.apply(fix!.proposal);
    expect(await p.read("shapes/compose.py")).toContain("\n            self, tuple(f.__name__ for f in self.funcs))\n");
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(2);
  });
});
