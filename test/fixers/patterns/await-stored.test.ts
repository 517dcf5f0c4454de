// missing-await on a coroutine stored as a value (`items.append(next_item(it))`) in a function the test reaches
// through a package re-export (`import pairs as p; p.first_pair(...)`): asyncstdlib's zip(strict=True).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitSites } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await on a coroutine appended to a list (fixture: patterns/await-stored)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-stored");
  });
  afterAll(async () => p?.close());

  it("reports the coroutine objects in the compared tuple", () => {
    expect(p.before.failures.map((f) => [f.nodeId, f.errorType])).toEqual([["tests/test_pairs.py::test_first_pair", "AssertionError"]]);
  });

  it("leaves an appended coroutine (and the async generator the caller iterates) alone when the failure shows no coroutine", async () => {
    const found = await awaitSites(p.helper, { test_file: "tests/test_pairs.py", test_function: "test_first_pair" });
    expect(found.sites).toEqual([]);
  });

  it("awaits the appended call the failure names, and ends green under real pytest", async () => {
    const fix = await p.fix("tests/test_pairs.py::test_first_pair");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({
        file: "pairs/core.py",
        find: "                items.append(next_item(it))",
        replace: "                items.append(await next_item(it))",
      }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(2);
  });
});
