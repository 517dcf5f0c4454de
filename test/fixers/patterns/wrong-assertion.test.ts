// wrong-assertion on a real project: only with allowTestEdits, always flagged high risk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("wrong-assertion pattern (fixture: patterns/assertion)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("assertion");
  });
  afterAll(async () => p?.close());

  it("declines every failure while test edits are not allowed (the default)", async () => {
    for (const f of p.before.failures) expect(await p.fix(f.nodeId)).toBeNull();
  });

  it.each([
    ["test_ops.py::test_add", "    assert add(2, 2) == 4"],
    ["test_ops.py::test_find", '    assert find(["a", "b"], "b") is not None  # noqa: E711'],
    ["test_ops.py::test_words", '    assert words("a b") == ["a", "b"]'],
  ])("%s: rewrites the assert to what the code produced, with a high-risk note", async (nodeId, line) => {
    const fix = await p.fix(nodeId, { allowTestEdits: true });
    expect(fix?.patternId).toBe("wrong-assertion");
    expect(fix?.proposal.explanation).toMatch(/^Risk: high/);
    expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file: "tests/test_ops.py", replace: line })]);
    await p.apply(fix!.proposal);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
  });
});
