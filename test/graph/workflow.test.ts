import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkflowRuntime, type WorkflowDepsInput, type WorkflowRuntime } from "../../graph/runtime.js";
import { undoWorkflow } from "../../src/fixers/journal.js";
import { runWorkflow } from "../../graph/run.js";
import type { ApprovalRequest } from "../../graph/deps.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { freePort } from "../helpers/free-port.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { copyExampleShop, exampleShop as shop } from "../helpers/project-copy.js";
import { testPython } from "../helpers/python-env.js";

const PATTERN_FILES = ["shop/cart.py", "shop/notify.py", "shop/orders.py", "shop/pricing.py"];

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

/** A temp copy of examples/shop; `withoutShipping` drops the one bug only a model can fix. */
function shopCopy(options: { withoutShipping?: boolean } = {}): string {
  const copy = copyExampleShop(options);
  cleanups.push(copy.cleanup);
  return copy.root;
}

async function start(
  root: string,
  input: Partial<WorkflowDepsInput> = {},
  maxIterations?: number,
  onApproval?: (r: ApprovalRequest) => Promise<{ approve: boolean }>,
) {
  runtime = await createWorkflowRuntime({ projectRoot: root, python: testPython, env: {}, testTimeoutSeconds: 3, ...input });
  return runWorkflow(
    runtime.deps,
    { projectRoot: root, ...(maxIterations ? { maxIterations } : {}) },
    {
      checkpointer: runtime.checkpointer,
      ...(onApproval ? { onApproval } : {}),
    },
  );
}

const keptFiles = (s: { fixes: { status: string; file: string }[] }): string[] =>
  s.fixes
    .filter((f) => f.status === "kept")
    .map((f) => f.file)
    .sort();

describe("the workflow graph with real pytest", () => {
  it("takes four bugs in four files to green with patterns only, in one fix round", async () => {
    const root = shopCopy({ withoutShipping: true });
    const summary = await start(root, { options: { coverage: true } });
    expect(summary.status).toBe("passed");
    expect(summary.iterations).toBe(1);
    expect(summary.initial).toMatchObject({ passed: 2, failed: 6 });
    expect(summary.final).toMatchObject({ passed: 8, failed: 0, errors: 0 });
    expect(summary.final!.coverage).toBeGreaterThan(summary.initial!.coverage!);
    expect(keptFiles(summary)).toEqual(PATTERN_FILES);
    expect(summary.fixes.every((f) => f.source === "pattern" && f.risk === "low")).toBe(true);
    expect(readFileSync(join(root, "shop", "orders.py"), "utf8")).toContain("    conn.commit()\n");
    expect(readFileSync(summary.patchPath!, "utf8")).toBe(summary.patch);
    // Every node visit left an agent-log row.
    const phases = new Set(runtime!.deps.store.listAgentLogs({ workflowId: summary.workflowId }).map((l) => l.phase));
    expect([...phases].sort()).toEqual(["analyze", "pattern_fix", "report", "run_tests", "validate"]);
    const wf = runtime!.deps.store.getWorkflow(summary.workflowId)!;
    expect(wf).toMatchObject({ status: "passed", iterations: 1, finalCoverage: summary.final!.coverage });
    expect(wf.fixHistory).toHaveLength(4);

    // undo puts every file back byte for byte.
    const undone = await undoWorkflow(runtime!.deps.journal, summary.workflowId, root);
    expect(undone.refused).toEqual([]);
    for (const f of PATTERN_FILES) expect(readFileSync(join(root, f))).toEqual(readFileSync(join(shop, f)));
  }, 120_000);

  it("stops as stuck, well before the cap, when only a model could go on and none is configured", async () => {
    const root = shopCopy();
    const summary = await start(root, { options: { coverage: true } });
    expect(summary.status).toBe("stuck");
    expect(summary.iterations).toBe(2);
    expect(summary.reason).toContain("LLM step skipped: no model configured");
    expect(summary.notes).toEqual([expect.stringContaining("no model configured: set REDGREEN_MODEL")]);
    expect(keptFiles(summary)).toEqual(PATTERN_FILES);
    expect(summary.remainingFailures).toEqual([
      {
        nodeId: "tests/test_shipping.py::test_threshold_ships_free",
        errorType: "AssertionError",
        message: expect.stringContaining("Decimal('4.95')"),
        // An assertion in the test: the analysis ranked the lines it ran (the full runs measured per-test coverage).
        suspiciousLines: expect.arrayContaining([
          expect.objectContaining({ file: "shop/shipping.py", text: "if subtotal > FREE_SHIPPING_FROM:" }),
        ]),
      },
    ]);
  }, 120_000);

  it("goes green with the model: a fix that breaks a passing test is rolled back and the next prompt says why", async () => {
    const root = shopCopy();
    server = await startOpenAiServer();
    server
      .respondWithToolCall(FIX_TOOL_NAME, {
        edits: [{ file: "shop/shipping.py", find: "    return FLAT_RATE", replace: '    return Decimal("0.00")' }],
        explanation: "never charge shipping",
        confidence: 0.4,
      })
      .respondWithToolCall(FIX_TOOL_NAME, {
        edits: [{ file: "shop/shipping.py", find: "if subtotal > FREE_SHIPPING_FROM:", replace: "if subtotal >= FREE_SHIPPING_FROM:" }],
        explanation: "the threshold itself ships free",
        confidence: 0.9,
      });
    const summary = await start(root, { model: "local-coder", baseUrl: server.url, llmSettings: { backoffMs: 5 } });
    expect(summary.status).toBe("passed");
    expect(summary.final).toMatchObject({ failed: 0, passed: 10 });
    const llmFixes = summary.fixes.filter((f) => f.source === "llm");
    expect(llmFixes.map((f) => f.status)).toEqual(["rolled_back", "kept"]);
    expect(llmFixes[0]!.reason).toContain("tests/test_shipping.py::test_small_orders_pay_flat_rate");
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body.temperature).toBe(0);
    const second = server.promptText(1);
    expect(second).toContain('return Decimal("0.00")');
    expect(second).toContain("test_small_orders_pay_flat_rate");
    expect(readFileSync(join(root, "shop", "shipping.py"), "utf8")).toContain("if subtotal >= FREE_SHIPPING_FROM:");
  }, 240_000);

  it("honours the iteration cap when every model fix fails", async () => {
    const root = shopCopy();
    server = await startOpenAiServer();
    for (const n of [1, 2, 3]) {
      server.respondWithToolCall(FIX_TOOL_NAME, {
        edits: [{ file: "shop/shipping.py", find: "    return FLAT_RATE", replace: `    return FLAT_RATE + Decimal("0.0${n}")` }],
        explanation: `try ${n}`,
        confidence: 0.3,
      });
    }
    const summary = await start(root, { model: "local-coder", baseUrl: server.url, llmSettings: { backoffMs: 5 } }, 2);
    expect(summary.status).toBe("max_iterations");
    expect(summary.iterations).toBe(2);
    expect(summary.fixes.filter((f) => f.source === "llm").map((f) => f.status)).toEqual(["rolled_back", "rolled_back"]);
    expect(readFileSync(join(root, "shop", "shipping.py"))).toEqual(readFileSync(join(shop, "shop", "shipping.py")));
  }, 120_000);

  it("asks before each fix with approve on, and leaves a declined fix out", async () => {
    const root = shopCopy({ withoutShipping: true });
    const asked: ApprovalRequest[] = [];
    const summary = await start(root, { options: { approve: true } }, 1, async (r) => {
      asked.push(r);
      return { approve: r.file !== "shop/cart.py" };
    });
    expect(asked.map((a) => a.file).sort()).toEqual(PATTERN_FILES);
    expect(asked.every((a) => a.diff.startsWith("--- a/"))).toBe(true);
    expect(summary.status).toBe("max_iterations");
    expect(summary.fixes.find((f) => f.file === "shop/cart.py")).toMatchObject({ status: "rejected", reason: "declined by the user" });
    expect(keptFiles(summary)).toEqual(PATTERN_FILES.filter((f) => f !== "shop/cart.py"));
    expect(readFileSync(join(root, "shop", "cart.py"))).toEqual(readFileSync(join(shop, "shop", "cart.py")));
  }, 120_000);

  it("reports a flaky test instead of fixing it, and survives a test that never returns", async () => {
    const root = shopCopy({ withoutShipping: true });
    writeFileSync(
      join(root, "tests", "test_flaky_and_hang.py"),
      [
        "import pathlib",
        "",
        "def test_fails_only_the_first_time(tmp_path_factory):",
        "    marker = pathlib.Path(__file__).with_name('.flaky-marker')",
        "    if not marker.exists():",
        "        marker.write_text('seen')",
        "        assert False, 'first run fails'",
        "",
        "def test_never_returns():",
        "    while True:",
        "        pass",
        "",
      ].join("\n"),
    );
    const summary = await start(root, { testTimeoutSeconds: 1 });
    expect(summary.flaky).toEqual(["tests/test_flaky_and_hang.py::test_fails_only_the_first_time"]);
    expect(summary.fixes.some((f) => f.file.includes("test_flaky"))).toBe(false);
    expect(keptFiles(summary)).toEqual(PATTERN_FILES);
    expect(summary.status).toBe("stuck");
    expect(summary.remainingFailures).toEqual([
      expect.objectContaining({ nodeId: "tests/test_flaky_and_hang.py::test_never_returns", errorType: "Timeout" }),
    ]);
  }, 180_000);

  it("verifies fixes but restores every file in a dry run", async () => {
    const root = shopCopy({ withoutShipping: true });
    const summary = await start(root, { options: { dryRun: true } });
    expect(summary.status).toBe("passed");
    expect(summary.patch).toContain("+from decimal import Decimal");
    expect(summary.notes).toEqual([expect.stringContaining("dry run: restored 4 file(s)")]);
    for (const f of PATTERN_FILES) expect(readFileSync(join(root, f))).toEqual(readFileSync(join(shop, f)));
  }, 120_000);

  it("does not call a failure that depends on test order flaky", async () => {
    const root = shopCopy({ withoutShipping: true });
    writeFileSync(
      join(root, "tests", "test_order.py"),
      [
        "SEEN = []",
        "",
        "def test_first():",
        "    SEEN.append(1)",
        "",
        "def test_second():",
        "    assert SEEN == [], 'state leaked from test_first'",
        "",
      ].join("\n"),
    );
    const summary = await start(root, { options: { noLlm: true } });
    expect(summary.flaky).toEqual([]);
    expect(summary.status).toBe("stuck");
    expect(summary.remainingFailures.map((f) => f.nodeId)).toEqual(["tests/test_order.py::test_second"]);
  }, 120_000);

  it("asks the model again in the next round after an unusable answer", async () => {
    const root = shopCopy();
    server = await startOpenAiServer();
    server.respondWithText("I am not sure what to do here.").respondWithText("Still thinking.");
    server.respondWithToolCall(FIX_TOOL_NAME, {
      edits: [{ file: "shop/shipping.py", find: "if subtotal > FREE_SHIPPING_FROM:", replace: "if subtotal >= FREE_SHIPPING_FROM:" }],
      explanation: "the threshold itself ships free",
      confidence: 0.9,
    });
    const summary = await start(root, { model: "local-coder", baseUrl: server.url, llmSettings: { backoffMs: 5, maxRetries: 0 } });
    expect(summary.status).toBe("passed");
    expect(summary.iterations).toBeGreaterThanOrEqual(2);
    expect(summary.fixes.filter((f) => f.source === "llm").map((f) => f.status)).toEqual(["kept"]);
    expect(summary.notes.some((n) => n.includes("LLM fix for tests/test_shipping.py::test_threshold_ships_free failed"))).toBe(true);
  }, 120_000);
});

const GOOD = { file: "shop/shipping.py", find: "if subtotal > FREE_SHIPPING_FROM:", replace: "if subtotal >= FREE_SHIPPING_FROM:" };

/** Runs the workflow on a fresh shop copy against `server` (two bad answers at most: three identical rounds count as stuck). */
async function runWith(server: OpenAiTestServer) {
  const root = shopCopy();
  // The loopback server bills the huge answers by their size: a budget large enough to go on after them.
  const llmSettings = { backoffMs: 5, maxRetries: 0, workflowTokenBudget: 50_000_000 };
  const summary = await start(root, { model: "local-coder", baseUrl: server.url, llmSettings }, 6);
  const { db, path } = runtime!.deps.store;
  const calls = db.prepare("SELECT outcome, error, length(completion) AS kept FROM llm_calls ORDER BY id").all() as {
    outcome: string;
    error: string | null;
    kept: number | null;
  }[];
  db.pragma("wal_checkpoint(TRUNCATE)");
  return { root, summary, calls, dbBytes: statSync(path).size };
}

// Oversized model answers (5 MB, 200,000 lines, a 1 MB line, a long line): each is one rejected attempt, the run goes on, the database
// stays small.
describe("the workflow graph with model answers over the size limits", () => {
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
    const withLine = (n: number) => ({
      edits: [{ ...GOOD, replace: `if subtotal >= FREE_SHIPPING_FROM:  # ${"y".repeat(n)}` }],
      explanation: "long line",
      confidence: 0.9,
    });
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

/** Where the model lives for each kind of death, and the one-line reason the run must end with. */
async function deadModel(kind: "401" | "404" | "closed"): Promise<{ baseUrl: string; reason: string }> {
  if (kind === "closed") {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    return { baseUrl, reason: `model unreachable at ${baseUrl}: connection refused` };
  }
  server = await startOpenAiServer();
  // Every request gets the same refusal: a retry or a later round would be counted.
  if (kind === "401") server.setFallback({ type: "error", status: 401, message: "Incorrect API key provided: sk-...dead" });
  else server.setFallback({ type: "error", status: 404, message: "The model `no-such-model` does not exist" });
  return { baseUrl: server.url, reason: kind === "401" ? "model rejected the API key (401)" : "unknown model 'no-such-model' (404)" };
}

describe("the workflow graph with a dead model (the real OpenAI client)", () => {
  it.each(["401", "404", "closed"] as const)(
    "%s: status error at the first call, pattern fixes of the round kept, patch written",
    async (kind) => {
      const { baseUrl, reason } = await deadModel(kind);
      const summary = await start(shopCopy(), {
        model: "no-such-model",
        baseUrl,
        apiKey: "sk-test-dead",
        llmSettings: { backoffMs: 5, maxRetries: 2 },
      });

      expect(summary.status).toBe("error");
      expect(summary.reason).toBe(reason);
      expect(summary.iterations).toBe(1);
      // One model call in the whole workflow: no retry, no second round.
      expect(runtime!.deps.llm.callLog.list(summary.workflowId)).toHaveLength(1);
      if (server !== undefined) expect(server.requests).toHaveLength(1);
      // The pattern fixes proposed in the same round were still validated, kept, and written to the patch.
      expect(
        summary.fixes
          .filter((f) => f.status === "kept")
          .map((f) => f.file)
          .sort(),
      ).toEqual(PATTERN_FILES);
      expect(summary.final).toMatchObject({ passed: 9, failed: 1 });
      expect(summary.patch).toContain("shop/cart.py");
      expect(readFileSync(summary.patchPath!, "utf8")).toBe(summary.patch);
      expect(runtime!.deps.store.getWorkflow(summary.workflowId)).toMatchObject({ status: "error" });
    },
    120_000,
  );

  it("ends at once when nothing else is left to validate, and a transient 429 is still retried", async () => {
    server = await startOpenAiServer();
    // Round 1: a 429 then a usable (wrong) fix for shipping; round 2: only the model is left, and the key is now refused.
    server
      .respondWithError(429, "slow down")
      .respondWithToolCall(FIX_TOOL_NAME, {
        edits: [{ file: "shop/shipping.py", find: "    return FLAT_RATE", replace: '    return FLAT_RATE + Decimal("0.01")' }],
        explanation: "wrong",
        confidence: 0.2,
      })
      .setFallback({ type: "error", status: 403, message: "key revoked" });
    const summary = await start(shopCopy(), { model: "local-coder", baseUrl: server.url, llmSettings: { backoffMs: 5 } });
    expect(summary).toMatchObject({ status: "error", reason: "model rejected the API key (403)", iterations: 2 });
    expect(server.requests).toHaveLength(3);
    expect(summary.fixes.filter((f) => f.source === "llm").map((f) => f.status)).toEqual(["rolled_back"]);
    expect(summary.fixes.filter((f) => f.status === "kept")).toHaveLength(4);
  }, 120_000);
});
