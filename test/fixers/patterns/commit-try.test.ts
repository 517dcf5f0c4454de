// missing-commit inside try/finally and try/except: the commit goes in the try body after the last write,
// never after the finally's close() or the except's rollback()/raise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-commit around try blocks (fixture: patterns/commit-try)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("commit-try");
  });
  afterAll(async () => p?.close());

  it("starts red: the writes are invisible to another connection", () => {
    expect(p.before.failures.map((f) => f.errorType)).toEqual(["AssertionError", "AssertionError"]);
  });

  it("try/finally close(): commits inside the try body, before the connection is closed", async () => {
    const fix = await p.fix("test_ledger.py::test_record_is_saved", { only: ["missing-commit"] });
    expect(fix?.proposal.edits).toEqual([
      {
        file: "ledger/store.py",
        find: '        conn.execute("INSERT INTO entries (amount) VALUES (?)", (amount,))',
        replace: '        conn.execute("INSERT INTO entries (amount) VALUES (?)", (amount,))\n        conn.commit()',
        nearLine: 16,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("try/except rollback()+raise: commits after the last write in the try body, not after the raise", async () => {
    const fix = await p.fix("test_ledger.py::test_transfer_is_saved", { only: ["missing-commit"] });
    expect(fix?.proposal.edits).toEqual([
      {
        file: "ledger/store.py",
        find: '        conn.execute("INSERT INTO entries (amount) VALUES (?)", (amount,))',
        replace: '        conn.execute("INSERT INTO entries (amount) VALUES (?)", (amount,))\n        conn.commit()',
        nearLine: 26,
      },
    ]);
    await p.apply(fix!.proposal);
    const source = await p.read("ledger/store.py");
    expect(source).toContain("        raise\n    return conn\n");
    expect(source).toContain("        conn.commit()\n    finally:\n        conn.close()\n");
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(2);
  });
});
