import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { migrations, openStore } from "../../src/store/index.js";

const writer = fileURLToPath(new URL("./concurrent-writer.mjs", import.meta.url));
const builtStore = fileURLToPath(new URL("../../dist/src/store/index.js", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "redgreen-concurrency-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("two processes writing one database", () => {
  it("lose no rows", async () => {
    expect(existsSync(builtStore), "run `npm run build` first (npm test does)").toBe(true);
    const db = join(dir, "shared.db");
    const perWriter = 200;
    // Far enough ahead that both children have opened the store (and raced the migration) before writing.
    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(
      ["a", "b"].map((tag) => runProcess(process.execPath, [writer, db, String(perWriter), startAt, tag], { cwd: dir, timeoutMs: 60_000 })),
    );
    for (const r of results) expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });

    const store = openStore(db);
    try {
      const count = (table: string): number => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count("test_runs")).toBe(2 * perWriter);
      expect(count("failures")).toBe(2 * perWriter);
      expect(count("agent_logs")).toBe(2 * perWriter);
      expect(count("fix_attempts")).toBe(2 * perWriter);
      expect(count("schema_migrations")).toBe(migrations.length);
      for (const tag of ["a", "b"]) {
        // The read-modify-write of fix_history must not drop entries under contention either.
        expect(store.getWorkflow(`wf-${tag}`)!.fixHistory).toHaveLength(perWriter);
        expect(store.listTestRuns({ workflowId: `wf-${tag}`, limit: 1000 })).toHaveLength(perWriter);
      }
      // The writes really interleaved (not one process after the other).
      const order = (store.db.prepare("SELECT agent_id FROM agent_logs ORDER BY id").all() as { agent_id: string }[]).map(
        (r) => r.agent_id,
      );
      const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
      expect(switches).toBeGreaterThan(10);
    } finally {
      store.close();
    }
  });
});
