// missing-await on a coroutine called as a bare statement (`self.step()` in a method the failing frame awaits): the
// error is an AttributeError far from the call, the dropped coroutine is certain (asyncstdlib's groupby state). An
// awaitable name left as a statement in an `__aexit__` no call reaches: the project's one such site, or none.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
    const found = await awaitSites(p.helper, {
      frames: [{ file: "grouping/runs.py", line: 29, function: "first_item" }],
      discarded_only: true,
    });
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
    expect(after.passed).toBe(3);
  });

  it("awaits a protocol call's result left as a bare statement in an __aexit__ (async with, no call), and only a lone one", async () => {
    const scoped = join(p.dir, "grouping", "scoped.py");
    const good = await readFile(scoped, "utf8");
    const target = { test_file: "tests/test_runs.py", test_function: "test_scoped_closes", frames: [], discarded_only: true };
    expect((await awaitSites(p.helper, target)).sites).toEqual([]);
    await writeFile(scoped, good.replace("        await closer", "        closer"));
    expect((await awaitSites(p.helper, target)).sites).toEqual([
      expect.objectContaining({
        file: "grouping/scoped.py",
        line: 13,
        edit: expect.objectContaining({ find: "        closer", replace: "        await closer" }),
      }),
    ]);
    await writeFile(
      scoped,
      good
        .replace("        await closer", "        closer")
        .replace("        return self._source", "        opened = self._source.__anext__()\n        opened\n        return self._source"),
    );
    expect((await awaitSites(p.helper, target)).sites).toEqual([]);
  });
});
