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
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({ file: "shelf/dicts.py", find: "    return None", replace: "    return rv" }),
    ]);
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

// The None came from code the failing line reaches indirectly: a decorator's wrapper (a class instance's `__call__`, through
// a factory and `return factory(...)(fn)`), a private helper the mutated return no longer calls, a `from x import *` package;
// or a function ends calling a value-returning private helper for nothing.
describe("dropped-return beyond the called def (fixture: patterns/dropped-return-wrapped)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("dropped-return-wrapped");
  });
  afterAll(async () => p?.close());

  const cases = [
    // `@memoize(maxsize=None)` on a test's def: memoize returns decorate, which returns Memoized(fn) or Bounded(fn, n).
    ["test_memoize_unbounded", "memo/cache.py", "            return None", "            return result"],
    // `@cache`: `return memoize(maxsize=None)(fn)`.
    ["test_cache_plain_decorator", "memo/cache.py", "            return None", "            return result"],
    // `_pick_weighted` is called nowhere now, and its parameters are all bound where the `return None` stands.
    ["test_pick_weighted", "memo/sampling.py", "        return None", "        return _pick_weighted(items, k, weights)"],
    // `memo.tally`: memo/__init__.py has it only through `from .sampling import *`.
    ["test_tally_through_package", "memo/sampling.py", "    return None", "    return counts"],
    // spread ends calling `_evenly(items, n)` for nothing: the helper only ever returns a value.
    ["test_spread_picks_evenly", "memo/sampling.py", "    _evenly(items, n)", "    return _evenly(items, n)"],
  ] as const;

  for (const [test, file, find, replace] of cases) {
    it(`finds the dropped value behind ${test}`, async () => {
      const fix = await p.fix(test, { only: ["dropped-return"] });
      expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file, find, replace })]);
    });
  }

  it("makes the suite green once the four edits are applied under real pytest", async () => {
    for (const test of ["test_memoize_unbounded", "test_pick_weighted", "test_tally_through_package", "test_spread_picks_evenly"]) {
      const fix = await p.fix(test, { only: ["dropped-return"] });
      await p.apply(fix!.proposal);
    }
    const after = await p.rerun();
    expect(after.failures).toEqual([]);
    expect(after.passedNodeIds).toHaveLength(7);
  });
});
