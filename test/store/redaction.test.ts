// Every write path of the store, and the checkpointer on its file, redacts before anything reaches SQLite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { emptyCheckpoint } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCheckpointer } from "../../graph/checkpointer.js";
import { createSecretRedactor } from "../../src/fixers/llm/redact.js";
import { createLlmCallRepository } from "../../src/store/llm-calls.js";
import { llmCallInput } from "../helpers/llm-call.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { failingResult } from "./sample-results.js";

const KEY = "sk-proj-EnVkQ7rT2mX9pL4sW8vB1ST4UV7WX0YZ3";
const TRUNCATED = "'sk-proj-EnVk...1ST4UV7WX0YZ3'";

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "redgreen-redaction-"));
  store = openStore(join(dir, "redgreen.db"), { redactor: createSecretRedactor({ env: { SHOP_API_KEY: KEY } }) });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every text or blob cell of every table, decoded. */
const allCells = (): string[] => {
  const db = new Database(store.path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.flatMap(({ name }) =>
      (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).flatMap((row) =>
        Object.values(row).flatMap((v) => (typeof v === "string" ? [v] : Buffer.isBuffer(v) ? [v.toString("utf8")] : [])),
      ),
    );
  } finally {
    db.close();
  }
};
const leaked = (): string[] => allCells().filter((c) => c.includes("EnVk") || c.includes("WX0YZ3"));

describe("the store redacts at each table's write", () => {
  it("test_runs, failures, workflows, fix_attempts, agent_logs and llm_calls hold placeholders, not the key", () => {
    const result = failingResult();
    result.failures[0]!.errorMessage = `assert ${TRUNCATED} == 'Bearer'`;
    result.failures[0]!.stackTrace = `captured stdout: calling with ${KEY}`;
    const wf = store.createWorkflow({ projectPath: dir });
    store.saveResultsToWorkflow(wf.id, result);
    store.recordFixAttempt(wf.id, {
      iteration: 1,
      file: "app.py",
      source: "llm",
      strategy: "s",
      status: "rolled_back",
      risk: "low",
      reason: `broke ${KEY}`,
      diff: `+ x = "${KEY}"`,
    });
    store.createAgentLog({
      workflowId: wf.id,
      agentId: "a",
      phase: "p",
      action: "x",
      input: { key: KEY },
      output: [KEY],
      status: "error",
      errorMessage: KEY,
    });
    createLlmCallRepository(store, () => new Date().toISOString()).record(
      llmCallInput({ workflowId: wf.id, nodeId: null, outcome: "error", error: `401 for key ${KEY}`, prompt: KEY, completion: null }),
    );
    expect(leaked()).toEqual([]);
    const stored = store.getTestRun(store.listTestRuns()[0]!.id)!.result.failures[0]!;
    expect(stored.errorMessage).toBe("assert '[REDACTED:SHOP_API_KEY]...[REDACTED:SHOP_API_KEY]' == 'Bearer'");
    expect(store.listFixAttempts(wf.id)[0]!.diff).toBe('+ x = "[REDACTED:SHOP_API_KEY]"');
    expect(store.getWorkflow(wf.id)!.fixHistory[0]!.reason).toBe("broke [REDACTED:SHOP_API_KEY]");
  });

  it("the checkpointer redacts checkpoints, their metadata and pending writes, and reads them back", async () => {
    const saver = createCheckpointer(store);
    const checkpoint = { ...emptyCheckpoint(), channel_values: { statusReason: `pytest said ${TRUNCATED}` } };
    const config = { configurable: { thread_id: "wf-1", checkpoint_ns: "" } };
    const saved = await saver.put(config, checkpoint, { source: "loop", step: 1, parents: {}, note: KEY } as never, {});
    await saver.putWrites(saved, [["lastRun", { message: `error: ${KEY}` }]], "task-1");
    expect(leaked()).toEqual([]);
    const tuple = await saver.getTuple(saved);
    expect(tuple?.checkpoint.channel_values).toEqual({ statusReason: "pytest said '[REDACTED:SHOP_API_KEY]...[REDACTED:SHOP_API_KEY]'" });
    expect(tuple?.pendingWrites?.[0]?.[2]).toEqual({ message: "error: [REDACTED:SHOP_API_KEY]" });
  });
});
