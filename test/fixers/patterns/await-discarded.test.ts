// missing-await on a coroutine called as a bare statement (`self.step()` in a method the failing frame awaits): the
// error is an AttributeError far from the call, the dropped coroutine is certain (asyncstdlib's groupby state).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitSites } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await on a coroutine dropped as a statement (fixture: patterns/await-discarded)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-discarded");
  });
  afterAll(async () => p?.close());

  it("reports only the attribute the step never set", () => {
    expect(p.before.failures.map((f) => [f.nodeId, f.errorType])).toEqual([["tests/test_runs.py::test_first_run", "AttributeError"]]);
  });

  it("finds nothing dropped from a function that awaits all its coroutines", async () => {
    const found = await awaitSites(p.helper, { frames: [{ file: "grouping/runs.py", line: 29, function: "first_item" }], discarded_only: true });
    expect(found.sites).toEqual([]);
  });

  it("awaits the dropped step, reached from the failing frame, and ends green under real pytest", async () => {
    const fix = await p.fix("tests/test_runs.py::test_first_run");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({ file: "grouping/runs.py", find: "            self.step()", replace: "            await self.step()" }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(2);
  });
});
