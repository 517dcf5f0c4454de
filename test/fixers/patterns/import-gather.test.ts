// missing-import restoring a deleted `from ._core import aiter, awaitify, borrow` whole: library code's own import beats the
// tests' helper of the same name, the module chosen for the raising name provides the names it defines itself (over a
// namesake the package re-exports), and a builtin the project shadows with its own (aiter) comes back with them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-import gathering (fixture: patterns/import-gather)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("import-gather");
  });
  afterAll(async () => p?.close());

  it("starts red with the NameError of the first name the deleted import bound", () => {
    expect(p.before.failures.map((f) => `${f.nodeId}: ${f.errorMessage.split("\n")[0]}`)).toEqual([
      "tests/test_heap.py::test_first_two_doubled: name 'awaitify' is not defined",
      "tests/test_pairs.py::test_first_pair_doubled: name 'awaitify' is not defined",
    ]);
  });

  it("restores the one statement from lib._core, with borrow and the project's aiter, not the tests' awaitify", async () => {
    const fix = await p.fix("test_heap.py::test_first_two_doubled");
    expect(fix?.patternId).toBe("missing-import");
    expect(fix?.proposal.edits).toHaveLength(1);
    await p.apply(fix!.proposal);
    const source = await p.read("lib/heap.py");
    expect(source).toContain("\nfrom ._core import aiter, awaitify, borrow\nfrom .tools import scale\n");
    expect(source).not.toMatch(/from (utility|\.tools) import .*(awaitify|borrow)/);
  });

  it("leaves a shadowing builtin the file still imports alone: only the names the deleted statement bound come back", async () => {
    const fix = await p.fix("test_pairs.py::test_first_pair_doubled");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    const source = await p.read("lib/pairs.py");
    expect(source.split("\n").filter((line) => /^from .* import .*\baiter\b/.test(line))).toHaveLength(1);
    expect(source).toMatch(/from \._core import (aiter, )?awaitify, borrow\n/);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(4);
  });
});
