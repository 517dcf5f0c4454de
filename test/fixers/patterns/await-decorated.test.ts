// missing-await on coroutine functions built by decorators (a sync def wrapped in an async def, a decorator factory),
// and the grouping of the many tests one such missing await breaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupFailures } from "../../../src/analysis/group.js";
import { awaitSites } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await pattern with decorated coroutine functions (fixture: patterns/await-decorated)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-decorated");
  });
  afterAll(async () => p?.close());

  it("groups the failures by cause: every test handed total()'s coroutine is one group, whatever it did with it", () => {
    const items = p.before.failures.map((f) => ({ nodeId: f.nodeId, ...p.failure(f.nodeId).analysis }));
    const groups = groupFailures(items).map((g) => [g.groupKey, g.members.map((m) => m.nodeId.split("::")[1]).sort()]);
    expect(groups).toEqual([
      ["coroutine:total()", ["test_total[0]", "test_total[1]", "test_total[2]", "test_total_after_clear", "test_total_is_positive"]],
      ["jobs/service.py:5:TypeError", ["test_other_user_name", "test_user_name"]],
      ["jobs/service.py:15:TypeError", ["test_first_key"]],
    ]);
  });

  it("does not await a call of an async def that a decorator runs to completion (`@blocking`)", async () => {
    const found = await awaitSites(p.helper, { file: "jobs/service.py", line: 21 });
    expect(found.sites).toEqual([]);
  });

  it.each([
    ["test_user_name", "    row = store.load(key)", "    row = await store.load(key)"],
    ["test_first_key", "    keys = store.keys()", "    keys = await store.keys()"],
    ["test_total[0]", "    n = count_rows(store)", "    n = await count_rows(store)"],
  ])("%s: awaits the call of the decorated coroutine function", async (test, find, replace) => {
    const fix = await p.fix(`test_jobs.py::${test}`);
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file: "jobs/service.py", find, replace })]);
    await p.apply(fix!.proposal);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(8);
  });
});

describe("missing-await behind 'never awaited' warnings turned errors (fixture: patterns/await-unraisable)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-unraisable");
  });
  afterAll(async () => p?.close());

  it("groups the tests by the coroutine the warning names, though each fails at its own def with no project frame", () => {
    const keys = p.before.failures.map((f) => [f.nodeId.split("::")[1], p.failure(f.nodeId).analysis.groupKey]);
    expect(keys).toEqual([
      ["test_warm_reports_count", "coroutine:put()"],
      ["test_warm_twice", "coroutine:put()"],
    ]);
  });

  it("awaits the decorated coroutine function's call reachable from the test, and ends green", async () => {
    const fix = await p.fix("test_cache.py::test_warm_twice");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file: "cache/store.py", replace: "        await cache.put(key, 0)" })]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });
});
