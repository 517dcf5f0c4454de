// generateFixWithLlm through the real @langchain/openai ChatOpenAI client against the loopback OpenAI-compatible server.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateFixWithLlm } from "../../../src/fixers/llm/generate-fix.js";
import type { LlmFixDeps } from "../../../src/fixers/llm/generate-fix.js";
import { loadLlmModel } from "../../../src/fixers/llm/create-model.js";
import { buildFixPrompt } from "../../../src/fixers/llm/prompt.js";
import { DEFAULT_LLM_SETTINGS } from "../../../src/fixers/llm/settings.js";
import { createMemoryLlmCallLog } from "../../../src/fixers/llm/call-log.js";
import { createSecretRedactor } from "../../../src/fixers/llm/redact.js";
import { FIX_TOOL_NAME } from "../../../src/fixers/llm/response-schema.js";
import { startOpenAiServer } from "../../helpers/openai-server.js";
import type { OpenAiTestServer } from "../../helpers/openai-server.js";
import { CORRECT_FIX, SHOP, discountAnalysis, discountFailure, readShop, section } from "./builders.js";

const API_KEY = "sk-redgreen-test-0123456789abcdefghij";
const ENV_SECRET = "pk_live_4eC39HqLyjWDarjtT1zdp7dc"; // in the env as SHOP_PAYMENT_KEY and in shop/cart.py line 5
const CATALOG_SECRET = "AKIAZ7Q4N2LX5KJ8W3PD"; // only in shop/cart.py line 7, found by the secret catalog

let server: OpenAiTestServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

const redactor = createSecretRedactor({ env: { OPENAI_API_KEY: API_KEY, SHOP_PAYMENT_KEY: ENV_SECRET, HOME: "/home/dev" } });
/** The prompt's estimated tokens, as generateFixWithLlm builds it from the shop project's files. */
const promptEstimate = (): number =>
  buildFixPrompt({
    failure: discountFailure(),
    analysis: discountAnalysis(),
    sourceFiles: { "shop/cart.py": readShop("shop/cart.py"), "tests/test_cart.py": readShop("tests/test_cart.py") },
    allowTestEdits: false,
    tokenBudget: DEFAULT_LLM_SETTINGS.promptTokenBudget,
    redact: (t) => redactor.redact(t),
  }).estimatedTokens;

async function depsFor(extra: Partial<LlmFixDeps> = {}): Promise<LlmFixDeps> {
  const env = { OPENAI_API_KEY: API_KEY, SHOP_PAYMENT_KEY: ENV_SECRET, HOME: "/home/dev" };
  const model = await loadLlmModel({ model: "qwen2.5-coder:7b", baseUrl: server.url, env }, { timeoutMs: 5000 });
  return {
    model,
    callLog: createMemoryLlmCallLog(),
    workflowId: "wf-openai",
    redactor: createSecretRedactor({ env }),
    projectRoot: SHOP,
    settings: { backoffMs: 5, maxBackoffMs: 20 },
    ...extra,
  };
}

describe("generateFixWithLlm against an OpenAI-compatible server", () => {
  it("sends a temperature-0 tool-calling request with ±10 source lines and no secrets, and returns the proposal", async () => {
    server.respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX, { usage: { promptTokens: 1234, completionTokens: 56 } });
    const deps = await depsFor();
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);

    expect(out).toMatchObject({ kind: "proposal", via: "tool_call", promptTokens: 1234, completionTokens: 56 });
    expect(out.kind === "proposal" && out.proposal.edits).toEqual([{ ...CORRECT_FIX.edits[0], nearLine: 15 }]);

    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.body.model).toBe("qwen2.5-coder:7b");
    expect(req.body.temperature).toBe(0);
    expect(req.body.tools).toHaveLength(1);
    expect(req.body.tools[0].function.name).toBe(FIX_TOOL_NAME);
    expect(Object.keys(req.body.tools[0].function.parameters.properties).sort()).toEqual(["confidence", "edits", "explanation"]);
    expect(req.body.tool_choice).toEqual({ type: "function", function: { name: FIX_TOOL_NAME } });
    expect(req.body.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user"]);

    // The fix file's window is lines 5-25 around line 15, numbered; the test's window is around its line 22.
    const prompt = server.promptText(0);
    const cart = readShop("shop/cart.py").split("\n");
    const window = section(prompt, "## Source: shop/cart.py").split("\n").slice(1);
    expect(window).toHaveLength(21);
    window.forEach((line, i) => {
      const n = 5 + i;
      const expected = cart[n - 1]!.replace(ENV_SECRET, "[REDACTED:SHOP_PAYMENT_KEY]").replace(
        CATALOG_SECRET,
        "[REDACTED:aws_access_key_id]",
      );
      expect(line.trimEnd()).toBe(`${n === 15 ? ">" : " "} ${String(n).padStart(2)} | ${expected}`.trimEnd());
    });
    expect(prompt).toContain("> 22 |     assert apply_discount(25.0, 10) == 22.5");

    // No secret value reaches the server: not the env's, not the catalog's, not the API key.
    for (const secret of [ENV_SECRET, CATALOG_SECRET, API_KEY]) expect(req.rawBody).not.toContain(secret);
    expect(prompt).toContain('PAYMENT_KEY = os.environ.get("SHOP_PAYMENT_KEY", "[REDACTED:SHOP_PAYMENT_KEY]")');
    expect(prompt).toContain('RECONCILE_KEY_ID = "[REDACTED:aws_access_key_id]"');

    // Nor the stored log.
    const [row] = deps.callLog.list("wf-openai");
    expect(row).toMatchObject({
      outcome: "proposal",
      model: "qwen2.5-coder:7b @ " + server.url,
      promptTokens: 1234,
      completionTokens: 56,
      tokensEstimated: false,
    });
    for (const secret of [ENV_SECRET, CATALOG_SECRET, API_KEY]) expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("maps redaction placeholders in the model's edit back to the real values, locally", async () => {
    server.respondWithToolCall(FIX_TOOL_NAME, {
      edits: [
        {
          file: "shop/cart.py",
          find: 'PAYMENT_KEY = os.environ.get("SHOP_PAYMENT_KEY", "[REDACTED:SHOP_PAYMENT_KEY]")',
          replace: 'PAYMENT_KEY = os.environ.get("SHOP_PAYMENT_KEY") or "[REDACTED:SHOP_PAYMENT_KEY]"',
        },
      ],
      explanation: "e",
      confidence: 0.3,
    });
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, await depsFor());
    expect(out.kind === "proposal" && out.proposal.edits[0]).toMatchObject({
      find: `PAYMENT_KEY = os.environ.get("SHOP_PAYMENT_KEY", "${ENV_SECRET}")`,
      replace: `PAYMENT_KEY = os.environ.get("SHOP_PAYMENT_KEY") or "${ENV_SECRET}"`,
    });
  });

  it("falls back to the fenced block when the server answers without tool calls", async () => {
    server.respondWithText(
      [
        "Sure! Here is the fix:",
        "",
        "```redgreen-fix",
        "FILE: shop/cart.py",
        "<<<<<<< FIND",
        "    return round(subtotal + discount, 2)",
        "=======",
        "    return round(subtotal - discount, 2)",
        ">>>>>>> REPLACE",
        "EXPLANATION: The discount must be subtracted.",
        "CONFIDENCE: 0.8",
        "```",
      ].join("\n"),
      { usage: null },
    );
    const deps = await depsFor();
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    expect(out).toMatchObject({
      kind: "proposal",
      via: "fenced_block",
      proposal: { edits: [{ file: "shop/cart.py", replace: "    return round(subtotal - discount, 2)" }], confidence: 0.8 },
    });
    expect(deps.callLog.list("wf-openai")[0]).toMatchObject({ tokensEstimated: true });
  });

  it("treats garbage and empty answers as failed attempts with the reason", async () => {
    server
      .respondWithText("¯\\_(ツ)_/¯ maybe try turning it off and on again")
      .respondWithText("")
      .respondWithToolCall(FIX_TOOL_NAME, "{edits: [oops");
    const deps = await depsFor();
    const garbage = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    const empty = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    const malformed = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    expect(garbage).toMatchObject({ kind: "failed", calls: 1 });
    expect(garbage.kind === "failed" && garbage.reason).toMatch(/neither a propose_fix tool call nor a ```redgreen-fix block/);
    expect(empty.kind === "failed" && empty.reason).toBe("the model returned an empty answer");
    expect(malformed.kind === "failed" && malformed.reason).toMatch(/propose_fix call had unparseable arguments/);
    expect(deps.callLog.list("wf-openai").map((r) => r.outcome)).toEqual(["invalid_answer", "invalid_answer", "invalid_answer"]);
  });

  it("retries a 429 with backoff and then succeeds", async () => {
    server
      .respondWithError(429, "Rate limit reached", { "retry-after": "0" })
      .respondWithError(503, "overloaded")
      .respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    const waits: number[] = [];
    const deps = await depsFor({ sleep: async (ms) => void waits.push(ms) });
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    expect(out).toMatchObject({ kind: "proposal", calls: 3 });
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([5, 10]);
    expect(deps.callLog.list("wf-openai").map((r) => [r.attempt, r.outcome])).toEqual([
      [1, "rate_limited"],
      [2, "server_error"],
      [3, "proposal"],
    ]);
  });

  it("gives up on a server that never answers after the per-call timeout and bounded retries", async () => {
    server.hang().hang();
    const deps = await depsFor({ settings: { timeoutMs: 150, maxRetries: 1, backoffMs: 5 } });
    const t0 = Date.now();
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(out).toMatchObject({ kind: "failed", calls: 2 });
    expect(out.kind === "failed" && out.reason).toMatch(/^model call failed \(timeout\)/);
    expect(deps.callLog.list("wf-openai").map((r) => r.outcome)).toEqual(["timeout", "timeout"]);
    // A call that timed out may still have been billed: its estimated prompt counts against the budget, not 0.
    const estimate = promptEstimate();
    expect(deps.callLog.list("wf-openai").map((r) => [r.promptTokens, r.tokensEstimated])).toEqual([
      [estimate, true],
      [estimate, true],
    ]);
    expect(deps.callLog.tokensSpent("wf-openai")).toBe(2 * estimate);
  });

  it("counts the estimated prompt of a 5xx, but not of a 429 the server refused outright", async () => {
    server.respondWithError(429, "slow down", { "retry-after": "0" }).respondWithError(502, "bad gateway").respondWithError(500, "boom");
    const deps = await depsFor({ settings: { maxRetries: 2, backoffMs: 1 }, sleep: async () => undefined });
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, deps);
    expect(out).toMatchObject({ kind: "failed", calls: 3, cause: "model_error" });
    const estimate = promptEstimate();
    expect(deps.callLog.list("wf-openai").map((r) => [r.outcome, r.promptTokens, r.completionTokens])).toEqual([
      ["rate_limited", 0, 0],
      ["server_error", estimate, 0],
      ["server_error", estimate, 0],
    ]);
  });

  it("caps the completion (max_tokens, 2048 by default) and reserves prompt + cap before each call", async () => {
    const estimate = promptEstimate();
    // The default cap reaches the server.
    server.respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    expect((await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, await depsFor())).kind).toBe("proposal");
    expect(server.requests[0]!.body.max_tokens).toBe(DEFAULT_LLM_SETTINGS.maxTokens);
    expect(DEFAULT_LLM_SETTINGS.maxTokens).toBe(2048);

    // A configured cap reaches the server too; one token short of prompt + cap, nothing is sent.
    const env = { OPENAI_API_KEY: API_KEY };
    const model = await loadLlmModel({ model: "qwen2.5-coder:7b", baseUrl: server.url, env }, { maxTokens: 300 });
    expect(model).toMatchObject({ kind: "ready", maxTokens: 300 });
    const short = await depsFor({ model, settings: { workflowTokenBudget: estimate + 300 - 1 } });
    const skipped = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, short);
    expect(skipped).toMatchObject({ kind: "skipped" });
    expect(skipped.kind === "skipped" && skipped.reason).toContain(
      `this call needs about ${estimate} prompt + up to 300 completion tokens`,
    );
    expect(server.requests).toHaveLength(1);

    // With exactly prompt + cap left, the call goes out with max_tokens 300, and the server's usage is what counts.
    server.respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX, { usage: { promptTokens: estimate, completionTokens: 300 } });
    const exact = await depsFor({ model, settings: { workflowTokenBudget: estimate + 300 } });
    expect((await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, exact)).kind).toBe("proposal");
    expect(server.requests[1]!.body.max_tokens).toBe(300);
    expect(exact.callLog.tokensSpent("wf-openai")).toBe(estimate + 300);
    expect(exact.callLog.tokensSpent("wf-openai")).toBeLessThanOrEqual(estimate + 300);

    // A model built elsewhere (no recorded cap) reserves LlmSettings.maxTokens.
    if (model.kind !== "ready") throw new Error("expected a ready model");
    const bare = { kind: "ready" as const, chat: model.chat, name: "bare" };
    const viaSettings = await depsFor({ model: bare, settings: { workflowTokenBudget: estimate + 500 - 1, maxTokens: 500 } });
    expect((await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, viaSettings)).kind).toBe("skipped");
    expect(server.requests).toHaveLength(2);
  });

  it("asks again without forcing the tool when the server rejects tool_choice", async () => {
    server.respondWithError(400, "tool_choice is not supported by this model").respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), {}, await depsFor());
    expect(out.kind).toBe("proposal");
    expect(server.requests[0]!.body.tool_choice).toEqual({ type: "function", function: { name: FIX_TOOL_NAME } });
    expect(server.requests[1]!.body.tool_choice).toBe("auto");
  });
});
