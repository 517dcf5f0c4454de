// missing-await where the coroutine comes from a function the test defined and no call reachable from the test is the
// cause: the project's own code marks the site (asyncstdlib's `sync` and lru_cache). An awaitable-tested name returned
// unawaited, or a `self.<callable>(...)` its module awaits elsewhere; two such sites at once: no guess.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitSites } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

const coroutine = "test_memo.<locals>.double";

describe("missing-await at a site the project marks (fixture: patterns/await-marked)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-marked");
  });
  afterAll(async () => p?.close());

  it("reports the test's own coroutine as the compared value", () => {
    expect(p.before.failures.map((f) => [f.nodeId, f.errorType])).toEqual([
      ["tests/test_wrap.py::test_awaitable_of_coroutine", "AssertionError"],
    ]);
  });

  it("awaits the name returned under `isinstance(result, Awaitable)`, and ends green under real pytest", async () => {
    const fix = await p.fix("tests/test_wrap.py::test_awaitable_of_coroutine");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({ file: "wrap/adapt.py", find: "            return result", replace: "            return await result" }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });

  it("awaits a `self._fetch(...)` call the module awaits at its two other calls, and only that one", async () => {
    const memo = join(p.dir, "wrap", "memo.py");
    const good = await readFile(memo, "utf8");
    expect(await awaitSites(p.helper, { coroutine })).toEqual({ sites: [], reason: expect.any(String) });
    await writeFile(
      memo,
      good.replace("            self._seen[key] = await self._fetch(key)", "            self._seen[key] = self._fetch(key)"),
    );
    const found = await awaitSites(p.helper, { coroutine });
    expect(found.sites).toEqual([
      expect.objectContaining({
        file: "wrap/memo.py",
        line: 11,
        how: "awaited at the module's other calls",
        edit: expect.objectContaining({ replace: "            self._seen[key] = await self._fetch(key)" }),
      }),
    ]);
  });

  it("declines when two sites are marked: it would have to guess", async () => {
    const adapt = join(p.dir, "wrap", "adapt.py");
    await writeFile(adapt, (await readFile(adapt, "utf8")).replace("return await result", "return result"));
    expect((await awaitSites(p.helper, { coroutine })).sites).toEqual([]);
  });
});
