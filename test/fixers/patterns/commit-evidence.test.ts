// missing-commit needs evidence on a real project: a commit sent as SQL counts, and an assertion that checks nothing
// read back from the database is not about a missing commit, even with an uncommitted write on the test's path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-commit evidence (fixture: patterns/commit-evidence)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("commit-evidence");
  });
  afterAll(async () => p?.close());

  it("starts red with three assertion failures", () => {
    expect(p.before.failures.map((f) => f.errorType)).toEqual(["AssertionError", "AssertionError", "AssertionError"]);
  });

  it('takes cursor.execute("COMMIT") as a commit: a wrong read-back there is a logic bug, not a missing commit', async () => {
    expect(p.failure("::test_leader_has_most_points").failure.errorMessage).toContain("('ada', 7) == ('bob', 9)");
    expect(await p.fix("::test_leader_has_most_points", { only: ["missing-commit"] })).toBeNull();
  });

  it("declines an assertion on a pure computation although the test wrote without committing", async () => {
    expect(await p.fix("::test_bonus_doubles_the_points", { only: ["missing-commit"] })).toBeNull();
  });

  it("still commits the write when the failing assertion counts rows read back through another connection", async () => {
    const fix = await p.fix("::test_unsaved_score_is_visible_elsewhere");
    expect(fix?.patternId).toBe("missing-commit");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "scores/board.py",
        find: '    conn.execute("INSERT INTO scores (name, points) VALUES (?, ?)", (name, points))',
        replace: '    conn.execute("INSERT INTO scores (name, points) VALUES (?, ?)", (name, points))\n    conn.commit()',
        nearLine: 21,
      },
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.passedNodeIds).toContain("tests/test_board.py::test_unsaved_score_is_visible_elsewhere");
    expect(after.failed).toBe(2);
  });
});
