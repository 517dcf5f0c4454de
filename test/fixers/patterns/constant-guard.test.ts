// constant-guard: a None test left constant (`if False:`, `elif True:`) where a name that may be None belongs is put back
// as `name is None` / `name is not None`, chosen by what the branches bind and read; ambiguity declines. A name may be None
// by a None default, an Optional annotation, or a None / `d.get(k)` assignment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { constantGuard } from "../../../src/fixers/patterns/python-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("constant-guard (fixture: patterns/constant-guard)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("constant-guard");
  });
  afterAll(async () => p?.close());

  it("sees the None errors the constants cause", () => {
    expect(p.before.failures.map((f) => f.nodeId.split("::")[1]).sort()).toEqual([
      "test_chunked_short_tail",
      "test_count_cycle_forever",
      "test_heads_plain",
      "test_label_bare",
      "test_merge_plain",
      "test_pair_up_default",
      "test_sample_plain",
    ]);
  });

  const cases = [
    // `if False:` whose else branch reads the name: the branch for None is the one never taken.
    ["test_merge_plain", "catalog/merge.py", "    if False:", "    if key is None:"],
    // `if True:` whose branch reads the parameter: it needs the value.
    ["test_count_cycle_forever", "catalog/cycles.py", "    if True:", "    if n is not None:"],
    // `elif True:` reading `weights` (counts is read only in the branches after it).
    ["test_sample_plain", "catalog/cycles.py", "    elif True:", "    elif weights is not None:"],
    // `if False:` binding the parameter: the default it sets is needed when the caller gave none.
    // A parameter with no default but annotated `Optional[...]` / `"str | None"` may be None (asyncstdlib's heapq, __get__).
    ["test_heads_plain", "catalog/keyed.py", "    return [(key(run[0]) if True", "    return [(key(run[0]) if key is not None"],
    ["test_label_bare", "catalog/keyed.py", "    if False:", "    if unit is None:"],
    ["test_chunked_short_tail", "catalog/chunks.py", "    if False:\n        too_short", "    if too_short is None:\n        too_short"],
  ] as const;

  for (const [test, file, find, replace] of cases) {
    it(`restores the None test behind ${test}, and the test passes under real pytest`, async () => {
      const fix = await p.fix(test, { only: ["constant-guard"] });
      expect(fix?.patternId).toBe("constant-guard");
      const [edit] = fix!.proposal.edits;
      expect(edit?.file).toBe(file);
      expect(edit!.find.startsWith(find.split("\n")[0]!)).toBe(true);
      expect(edit!.replace.startsWith(replace.split("\n")[0]!)).toBe(true);
      await p.apply(fix!.proposal);
      const after = await p.rerun();
      expect(after.failures.map((f) => f.nodeId)).not.toContain(`tests/test_catalog.py::${test}`);
      expect(after.passedNodeIds).toContain(`tests/test_catalog.py::${test}`);
    });
  }

  it("declines a constant where two names may be None and either could be meant", async () => {
    const guard = await constantGuard(p.helper, { frames: [{ file: "catalog/chunks.py", line: 16 }] });
    // chunked's constant was fixed above; pair_up's binds both left and right.
    expect(guard.edit).toBeNull();
    expect(guard.reason).toMatch(/no single name that may be None fits the constant condition at line 14/);
  });

  it("leaves constants in test files alone", async () => {
    const guard = await constantGuard(p.helper, { frames: [{ file: "tests/test_catalog.py", line: 5 }] });
    expect(guard.edit).toBeNull();
  });
});

// An exception the project raises itself under `if True:`: the guard it stands for is decided by the block after it.
describe("constant-guard on a raise (fixture: patterns/constant-guard-raise)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("constant-guard-raise");
  });
  afterAll(async () => p?.close());

  const cases = [
    // The block after the raise stores the Optional attribute first: the raise refused a second take.
    ["test_take_once", "        if True:", "        if self._held is not None:"],
    // The block after the raise only reads the parameter defaulting to None: the raise refused a missing name.
    ["test_require_given", "    if True:", "    if name is None:"],
  ] as const;

  for (const [test, find, replace] of cases) {
    it(`restores the guard around the raise behind ${test}, and the test passes under real pytest`, async () => {
      const fix = await p.fix(test, { only: ["constant-guard"] });
      expect(fix?.proposal.edits).toEqual([expect.objectContaining({ file: "pool/lease.py", find, replace })]);
      await p.apply(fix!.proposal);
      const after = await p.rerun();
      expect(after.passedNodeIds).toContain(`tests/test_lease.py::${test}`);
    });
  }

  it("declines when the block after the raise reads two values that may be None", async () => {
    expect(await p.fix("test_join_given", { only: ["constant-guard"] })).toBeNull();
    const at = { file: "pool/lease.py", line: 33 };
    const guard = await constantGuard(p.helper, { frames: [at], raised: at });
    expect(guard.edit).toBeNull();
    expect(guard.reason).toBe(
      "the block after the raise at line 33 does not settle one value that may be None (stored: none; read: first, second)",
    );
  });
});
