// dropped-return: a function whose explicit `return None` dropped the value it built, or the name its other returns give,
// found through the call at the failing line (an assert in the test, or the caller that used the None); ambiguity declines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { droppedReturn } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("dropped-return (fixture: patterns/dropped-return)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("dropped-return");
  });
  afterAll(async () => p?.close());

  it("returns the dict the function filled when an assert in the test compared None", async () => {
    const fix = await p.fix("test_valfilter_even", { only: ["dropped-return"] });
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file: "shelf/dicts.py", find: "    return None", replace: "    return rv" })]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.passedNodeIds).toContain("tests/test_shelf.py::test_valfilter_even");
  });

  it("returns the name the method's other return gives, found through the receiver's class", async () => {
    const fix = await p.fix("test_lookup_loads_once", { only: ["dropped-return"] });
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({ file: "shelf/cache.py", find: "            return None", replace: "            return result" }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.passedNodeIds).toContain("tests/test_shelf.py::test_lookup_loads_once");
  });

  it("declines when the function builds two values (the original may have returned both, or either)", async () => {
    const found = await droppedReturn(p.helper, { frames: [{ file: "tests/test_shelf.py", line: 15 }] });
    expect(found.edit).toBeNull();
    expect(found.reason).toBe("shelf/dicts.py:16: several (dropped, kept) values the function builds and never returns");
  });
});
