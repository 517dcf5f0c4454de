// missing-await on a callee the same async def awaits elsewhere (`key = _awaitify(key)` ... `await key(x)`): no def says
// it is a coroutine function, the function's own awaits do (asyncstdlib's dropped `await key(best)`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitSites } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await on a callee awaited alike in the same function (fixture: patterns/await-alike)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-alike");
  });
  afterAll(async () => p?.close());

  it("reports the coroutine compared with a number", () => {
    expect(p.before.failures.map((f) => [f.nodeId, f.errorMessage])).toEqual([
      ["tests/test_best.py::test_best_sync_key", "'<' not supported between instances of 'int' and 'coroutine'"],
      ["tests/test_best.py::test_best_async_key", "'<' not supported between instances of 'int' and 'coroutine'"],
    ]);
  });

  it("does not await a call whose result the function awaits later through a name", async () => {
    const found = await awaitSites(p.helper, { file: "ranking/best.py", line: 30 });
    expect(found.sites).toEqual([]);
  });

  it("awaits the call whose coroutine reached the failing comparison, and ends green under real pytest", async () => {
    const fix = await p.fix("tests/test_best.py::test_best_sync_key");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({
        file: "ranking/best.py",
        find: "    best_key = key(best_item)",
        replace: "    best_key = await key(best_item)",
      }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });
});
