// A pattern whose helper op times out declines with the reason; the search goes on and the helper serves the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../../src/python/core-ops.js";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("pattern search with a helper op that times out (fixture: patterns/typo)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("typo", { name_suggestion: { baseMs: 0, perKbMs: 0 } });
  });
  afterAll(async () => p?.close());

  const failing = ["test_billing.py::test_order_total", "test_billing.py::test_with_tax"];
  it.each(failing)("%s: name-typo declines with the reason, no throw", async (nodeId) => {
    const declines: string[] = [];
    const fix = await p.fix(nodeId, { onDecline: (id, reason) => declines.push(`${id}: ${reason}`) });
    expect(fix?.patternId).not.toBe("name-typo");
    expect(declines).toEqual([
      'name-typo: pattern name-typo declined: it could not run (python helper op "name_suggestion" timed out after 0 ms)',
    ]);
  });

  it("the helper still answers", async () => {
    expect(p.helper.stats.timeouts).toBeGreaterThanOrEqual(2);
    expect(await parseSource(p.helper, "x = 1\n")).toMatchObject({ ok: true });
  });
});
