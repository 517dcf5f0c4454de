// Negative cases on a real project: failures every pattern must decline (null rather than a guess).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPatternContext, patterns, type PatternId } from "../../../src/fixers/patterns/index.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("patterns decline what they cannot fix surely (fixture: patterns/declines)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("declines");
  });
  afterAll(async () => p?.close());

  /** Runs one pattern's propose directly (even where matches() would skip it). */
  const propose = async (id: PatternId, nodeId: string, allowTestEdits = false) => {
    const { failure, analysis } = p.failure(nodeId);
    return patterns[id].propose(createPatternContext({ failure, analysis, projectRoot: p.dir, helper: p.helper, allowTestEdits }));
  };

  it("has nine failing tests", () => {
    expect(p.before.failed).toBe(9);
  });

  it("no pattern fixes any of them by default", async () => {
    for (const f of p.before.failures) expect(await p.fix(f.nodeId), f.nodeId).toBeNull();
  });

  it.each<[string, PatternId, string]>([
    ["test_unknown_name", "missing-import", "no module defines the name"],
    ["test_unknown_name", "name-typo", "no defined name is close"],
    ["test_coroutine_in_sync_function", "missing-await", "the un-awaited call is in a plain def"],
    ["test_coroutine_misused_in_the_test", "missing-await", "the misuse is in the test itself"],
    ["test_commit_is_there_but_logic_is_wrong", "missing-commit", "the caller commits after the write"],
    ["test_none_from_a_call", "none-guard", "the None comes from a call, re-evaluating it is not safe"],
    ["test_none_from_a_call", "missing-commit", "nothing reachable writes"],
    ["test_none_in_the_test_itself", "none-guard", "guarding a test would weaken it"],
    ["test_no_close_attribute", "name-typo", "nothing close to the attribute"],
    ["test_attribute_named_in_a_string", "name-typo", "the name is in a string, not code"],
  ])("%s: %s declines (%s)", async (test, id) => {
    expect(await propose(id, `::${test}`)).toBeNull();
  });

  it("wrong-assertion declines a comparison of non-literal values even with test edits allowed", async () => {
    expect(await propose("wrong-assertion", "::test_non_literal_assertion", true)).toBeNull();
  });

  it("missing-await declines a coroutine misused in a sync test even with test edits allowed", async () => {
    expect(await propose("missing-await", "::test_coroutine_misused_in_the_test", true)).toBeNull();
  });

  it("the suite is unchanged (nothing was written)", async () => {
    const again = await p.rerun();
    expect(again.failed).toBe(9);
  });
});
