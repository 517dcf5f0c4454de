// Oversized model answers (5 MB, 200,000 lines, a 1 MB line, a long line) through the real workflow: each is one rejected attempt, the run goes on, the database stays small.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runWorkflow } from "../../graph/run.js";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../src/cli/workflow-deps.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { copyExampleShop } from "../helpers/project-copy.js";
import { testPython } from "../helpers/python-env.js";

let runtime: WorkflowRuntime | undefined;
let server: OpenAiTestServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) c();
});

const GOOD = { file: "shop/shipping.py", find: "if subtotal > FREE_SHIPPING_FROM:", replace: "if subtotal >= FREE_SHIPPING_FROM:" };

/** Runs the workflow on a fresh shop copy against `server` (two bad answers at most: three identical rounds count as stuck). */
async function runWith(server: OpenAiTestServer) {
  const copy = copyExampleShop();
  cleanups.push(copy.cleanup);
  runtime = await createWorkflowRuntime({
    projectRoot: copy.root,
    python: testPython,
    env: {},
    testTimeoutSeconds: 3,
    model: "local-coder",
    baseUrl: server.url,
    // The loopback server bills the huge answers by their size: a budget large enough to go on after them.
    llmSettings: { backoffMs: 5, maxRetries: 0, workflowTokenBudget: 50_000_000 },
  });
  const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root, maxIterations: 6 }, { checkpointer: runtime.checkpointer });
  const calls = runtime.deps.store.db.prepare("SELECT outcome, error, length(completion) AS kept FROM llm_calls ORDER BY id").all() as {
    outcome: string;
    error: string | null;
    kept: number | null;
  }[];
  runtime.deps.store.db.pragma("wal_checkpoint(TRUNCATE)");
  return { root: copy.root, summary, calls, dbBytes: statSync(runtime.deps.store.path).size };
}

describe("model answers over the size limits", () => {
  it("rejects a 5 MB answer and a 200,000-line answer as failed attempts and goes green with the next one", async () => {
    server = await startOpenAiServer();
    server
      .respondWithToolCall(FIX_TOOL_NAME, { edits: [GOOD], explanation: "x".repeat(5 * 1024 * 1024), confidence: 0.9 })
      .respondWithText(`${"\n".repeat(199_999)}done`)
      .respondWithToolCall(FIX_TOOL_NAME, { edits: [GOOD], explanation: "the threshold itself ships free", confidence: 0.9 });
    const { root, summary, calls, dbBytes } = await runWith(server);
    expect(summary.status).toBe("passed");
    expect(server.requests).toHaveLength(3);
    expect(summary.fixes.filter((f) => f.source === "llm").map((f) => f.status)).toEqual(["kept"]);
    expect(readFileSync(join(root, "shop", "shipping.py"), "utf8")).toContain("if subtotal >= FREE_SHIPPING_FROM:\n");
    expect(calls.map((c) => c.outcome)).toEqual(["invalid_answer", "invalid_answer", "proposal"]);
    expect(calls[0]!.error).toMatch(/^the answer is 52\d{5} bytes, over the limit of 262144 bytes$/);
    expect(calls[1]!.error).toBe("the answer has 200000 lines, over the limit of 5000 lines");
    // Refused answers are not stored.
    expect([calls[0]!.kept, calls[1]!.kept]).toEqual([null, null]);
    expect(summary.notes.filter((n) => n.includes("over the limit"))).toHaveLength(2);
    expect(dbBytes).toBeLessThan(2 * 1024 * 1024);
  }, 180_000);

  it("rejects a 1 MB line and a 3,000-character line in the new text", async () => {
    server = await startOpenAiServer();
    const withLine = (n: number) => ({ edits: [{ ...GOOD, replace: `if subtotal >= FREE_SHIPPING_FROM:  # ${"y".repeat(n)}` }], explanation: "long line", confidence: 0.9 });
    server
      .respondWithToolCall(FIX_TOOL_NAME, withLine(1024 * 1024))
      .respondWithToolCall(FIX_TOOL_NAME, withLine(3000))
      .respondWithToolCall(FIX_TOOL_NAME, { edits: [GOOD], explanation: "the threshold itself ships free", confidence: 0.9 });
    const { summary, calls, dbBytes } = await runWith(server);
    expect(summary.status).toBe("passed");
    expect(calls.map((c) => c.outcome)).toEqual(["invalid_answer", "invalid_answer", "proposal"]);
    expect(calls[0]!.error).toMatch(/^the answer is 10\d{5} bytes, over the limit of 262144 bytes$/);
    expect(calls[1]!.error).toBe("edit 1 adds a line of 3038 characters, over the limit of 2000");
    expect(dbBytes).toBeLessThan(2 * 1024 * 1024);
  }, 180_000);
});
