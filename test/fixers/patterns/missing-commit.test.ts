// missing-commit on a real project: a SQLAlchemy session and a sqlite3 cursor behind a service class, real SQLite files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-commit pattern (fixture: patterns/commit)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("commit");
  });
  afterAll(async () => p?.close());

  it("starts red with assertions on data another session/connection cannot see", () => {
    expect(p.before.failures.map((f) => f.errorType)).toEqual(["AssertionError", "AssertionError"]);
  });

  it("commits the SQLAlchemy session right after the last write, with the session's own name", async () => {
    const fix = await p.fix("test_accounts.py::test_account_is_persisted");
    expect(fix?.patternId).toBe("missing-commit");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "accounts/repo.py",
        find: "    session.add(account)",
        replace: "    session.add(account)\n    session.commit()",
        nearLine: 8,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("commits the connection that owns the cursor, found through the service the test calls", async () => {
    const fix = await p.fix("test_notes.py::test_note_visible_to_other_connections");
    expect(fix?.patternId).toBe("missing-commit");
    expect(fix?.proposal.edits).toHaveLength(1);
    expect(fix?.proposal.edits[0]).toMatchObject({
      file: "notes/store.py",
      replace: '    cur.execute("INSERT INTO notes (body) VALUES (?)", (body,))\n    conn.commit()',
    });
    await p.apply(fix!.proposal);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(2);
  });
});
