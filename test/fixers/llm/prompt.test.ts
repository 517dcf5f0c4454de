// Prompt building and the LLM step's decisions, driven through fakeModel() from @langchain/core/testing.
import { describe, expect, it } from "vitest";
import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { buildFixPrompt, dedupeFailures } from "../../../src/fixers/llm/prompt.js";
import { createSecretRedactor } from "../../../src/fixers/llm/redact.js";
import { createMemoryLlmCallLog } from "../../../src/fixers/llm/call-log.js";
import { generateFixWithLlm } from "../../../src/fixers/llm/generate-fix.js";
import type { LlmFixDeps } from "../../../src/fixers/llm/generate-fix.js";
import { trimStackTrace } from "../../../src/fixers/llm/context.js";
import { estimateTokens } from "../../../src/fixers/llm/tokens.js";
import { FIX_TOOL_NAME } from "../../../src/fixers/llm/response-schema.js";
import type { Failure } from "../../../src/domain/index.js";
import { CORRECT_FIX, SHOP, discountAnalysis, discountFailure, readShop, section } from "./builders.js";

const sources = { "shop/cart.py": readShop("shop/cart.py"), "tests/test_cart.py": readShop("tests/test_cart.py") };
const noRedact = (t: string): string => t;

const depsFor = (model: ReturnType<typeof fakeModel>, extra: Partial<LlmFixDeps> = {}): LlmFixDeps => ({
  model: { kind: "ready", chat: model, name: "fake" },
  callLog: createMemoryLlmCallLog(),
  workflowId: "wf-1",
  redactor: createSecretRedactor({ env: {} }),
  projectRoot: SHOP,
  sleep: async () => undefined,
  ...extra,
});

describe("buildFixPrompt", () => {
  it("holds the error, the trace, ±10 numbered lines of the fix file and the test, the analysis and the rules", () => {
    const p = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: noRedact,
    });
    expect(p.user).toContain("## Error\nAssertionError: assert 27.5 == 22.5");
    expect(p.user).toContain("tests/test_cart.py:22 in test_discount_is_subtracted [test]");
    expect(p.user).toContain("## Source: shop/cart.py (lines 5-25, error at line 15)");
    expect(p.user).toContain("> 15 |     return round(subtotal + discount, 2)");
    expect(p.user).toContain("\n   5 | PAYMENT_KEY = ");
    expect(p.user).toContain("  25 | \n");
    const fixSection = section(p.user, "## Source: shop/cart.py");
    expect(
      fixSection
        .split("\n")
        .slice(1)
        .map((l) => Number(/^[ >] *(\d+) \|/.exec(l)?.[1])),
    ).toEqual(Array.from({ length: 21 }, (_, i) => 5 + i));
    expect(p.user).toContain("## Failing test source: tests/test_cart.py (lines 12-32, failing at line 22)");
    expect(p.user).toContain("root cause: apply_discount returned 27.5");
    expect(p.user).toContain("expected: 22.5");
    expect(p.system).toContain("Do not edit test files");
    expect(p.system).toContain("No refactoring");
    expect(p.system).toContain(`calling the ${FIX_TOOL_NAME} tool`);
    expect(p.system).toContain("```redgreen-fix\nFILE: ");
    expect(p.trimmed).toEqual([]);
    expect(p.estimatedTokens).toBe(estimateTokens(p.system) + estimateTokens(p.user));
  });

  it("lists the suspicious lines under their own heading and shows the most suspicious line's source, redacted", () => {
    const analysis = discountAnalysis({
      fileToFix: "tests/test_cart.py",
      lineNumber: 22,
      functionName: "test_discount_is_subtracted",
      suspiciousLines: [
        { file: "shop/cart.py", line: 15, score: 1, text: "return round(subtotal + discount, 2)" },
        { file: "shop/cart.py", line: 14, score: 0.7071, text: "discount = subtotal * percent / 100" },
        { file: "shop/cart.py", line: 5, score: 0.5, text: readShop("shop/cart.py").split("\n")[4]! },
      ],
    });
    const redactor = createSecretRedactor({ env: {} });
    const p = buildFixPrompt({
      failure: discountFailure(),
      analysis,
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: (t) => redactor.redact(t),
    });
    const suspects = section(p.user, "## Suspicious lines");
    expect(suspects.split("\n")).toEqual([
      "## Suspicious lines (Ochiai: run by the failing tests more than by the passing ones; most suspicious first)",
      "1. shop/cart.py:15 (score 1.00): return round(subtotal + discount, 2)",
      "2. shop/cart.py:14 (score 0.71): discount = subtotal * percent / 100",
      expect.stringMatching(/^3\. shop\/cart\.py:5 \(score 0\.50\): PAYMENT_KEY = /),
    ]);
    expect(p.user).not.toContain("pk_live_4eC39HqLyjWDarjtT1zdp7dc");
    expect(p.user).toContain("## Source: shop/cart.py (lines 5-25, most suspicious line 15)\n");
    expect(p.user).toContain("> 15 |     return round(subtotal + discount, 2)");
    const plain = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: noRedact,
    });
    expect(plain.user).not.toContain("Suspicious lines");
  });

  it("lets the model touch tests only when allowed", () => {
    const p = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: true,
      tokenBudget: 6000,
      redact: noRedact,
    });
    expect(p.system).not.toContain("Do not edit test files");
    expect(p.system).toContain("Edit a test file only when the test itself is clearly wrong");
  });

  it("lists previous attempts with their edits and why they were undone", () => {
    const p = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: noRedact,
      previousAttempts: [
        {
          source: "llm",
          strategy: "llm",
          edits: [{ file: "shop/cart.py", find: "subtotal + discount", replace: "subtotal * discount" }],
          outcome: "rolled back: still fails: assert 2.5 == 22.5",
        },
      ],
    });
    expect(p.user).toContain(
      "## Previous attempts (undone; do not repeat them)\n1. [llm/llm] rolled back: still fails: assert 2.5 == 22.5",
    );
    expect(p.user).toContain("      - subtotal + discount\n    with\n      + subtotal * discount");
  });

  it("folds library frames to one line and keeps project frames", () => {
    const failure = discountFailure({
      errorType: "sqlalchemy.exc.IntegrityError",
      errorMessage: "UNIQUE constraint failed: users.email",
      frames: [
        { file: "tests/test_users.py", line: 12, function: "test_create", code: "repo.create(email)", kind: "test" },
        { file: "app/repo.py", line: 40, function: "create", code: "self.session.commit()", kind: "project" },
        { file: "/venv/lib/python3.11/site-packages/sqlalchemy/orm/session.py", line: 1969, function: "commit", kind: "library" },
        { file: "/venv/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line: 1815, function: "_execute_context", kind: "library" },
        { file: "/usr/lib/python3.11/sqlite3/dbapi2.py", line: 10, function: "execute" },
      ],
    });
    const trace = trimStackTrace(failure);
    expect(trace).toBe(
      [
        "  tests/test_users.py:12 in test_create [test]",
        "      repo.create(email)",
        "  app/repo.py:40 in create",
        "      self.session.commit()",
        "  … 3 library frames folded (sqlalchemy/orm/session.py, sqlalchemy/engine/base.py, sqlite3/dbapi2.py)",
        "sqlalchemy.exc.IntegrityError: UNIQUE constraint failed: users.email",
      ].join("\n"),
    );
  });

  it("shows the function the failing line calls when the analysis points at the test", async () => {
    const model = fakeModel().respondWithTools([{ name: FIX_TOOL_NAME, args: CORRECT_FIX }]);
    const out = await generateFixWithLlm(
      discountFailure(),
      discountAnalysis({ fileToFix: "tests/test_cart.py", lineNumber: 22 }),
      {},
      depsFor(model),
    );
    expect(out.kind === "proposal" && out.proposal.edits[0]!.nearLine).toBe(12);
    const user = String(model.calls[0]!.messages[1]!.content);
    expect(user).toContain("## Called by the failing line: apply_discount() in shop/cart.py (lines 11-31)");
    expect(user).toContain("\n  15 |     return round(subtotal + discount, 2)");
  });

  it("trims by rule to fit the budget: captured output cut, grouped failures deduplicated", () => {
    const related: Failure[] = Array.from({ length: 40 }, (_, i) =>
      discountFailure({
        nodeId: `tests/test_cart.py::test_case[${i}]`,
        errorMessage: i % 2 === 0 ? "assert 27.5 == 22.5" : "assert 55.0 == 45.0",
      }),
    );
    const failure = discountFailure({ capturedOutput: "debug line\n".repeat(5000) });
    const full = buildFixPrompt({
      failure,
      analysis: discountAnalysis(),
      sourceFiles: sources,
      relatedFailures: related,
      allowTestEdits: false,
      tokenBudget: 100_000,
      redact: noRedact,
    });
    expect(full.user).toContain(
      "- 20 tests (tests/test_cart.py::test_case[0], tests/test_cart.py::test_case[2], tests/test_cart.py::test_case[4], and 17 " +
        "more): AssertionError: assert 27.5 == 22.5",
    );
    expect(full.user).toContain("characters cut");
    expect(full.user.length).toBeLessThan(12_000);

    const budget = full.estimatedTokens - 300;
    const tight = buildFixPrompt({
      failure,
      analysis: discountAnalysis(),
      sourceFiles: sources,
      relatedFailures: related,
      allowTestEdits: false,
      tokenBudget: budget,
      redact: noRedact,
    });
    expect(tight.estimatedTokens).toBeLessThanOrEqual(budget);
    expect(tight.trimmed[0]).toBe("captured output cut to 500 characters, related failures to 3");
    expect(tight.user).toContain("> 15 |     return round(subtotal + discount, 2)");
    expect(dedupeFailures(related, "x")).toHaveLength(2);
  });

  it("cuts as a last resort when the rules are not enough", () => {
    const huge = discountFailure({ errorMessage: "x".repeat(50_000) });
    const p = buildFixPrompt({
      failure: huge,
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 900,
      redact: noRedact,
    });
    expect(p.trimmed.at(-1)).toMatch(/^user message cut to \d+ characters$/);
    expect(p.estimatedTokens).toBeLessThanOrEqual(1000);
  });
});

describe("generateFixWithLlm with fakeModel", () => {
  it("turns a tool call into an llm FixProposal, with the line to look near", async () => {
    const model = fakeModel().respondWithTools([
      { name: FIX_TOOL_NAME, args: { ...CORRECT_FIX, edits: [{ ...CORRECT_FIX.edits[0]!, file: "./shop/cart.py" }] } },
    ]);
    const deps = depsFor(model);
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps);
    expect(out).toMatchObject({
      kind: "proposal",
      via: "tool_call",
      calls: 1,
      proposal: {
        source: "llm",
        strategy: "llm",
        explanation: CORRECT_FIX.explanation,
        confidence: 0.9,
        edits: [{ file: "shop/cart.py", find: CORRECT_FIX.edits[0]!.find, replace: CORRECT_FIX.edits[0]!.replace, nearLine: 15 }],
      },
    });
    expect(model.callCount).toBe(1);
    const [system, user] = model.calls[0]!.messages;
    expect(system!.getType()).toBe("system");
    expect(user!.getType()).toBe("human");
    const [row] = deps.callLog.list("wf-1");
    expect(row).toMatchObject({ outcome: "proposal", model: "fake", nodeId: discountFailure().nodeId, attempt: 1, tokensEstimated: true });
    expect(row!.promptTokens).toBeGreaterThan(100);
  });

  it("reads the fenced block when the model answers in plain text", async () => {
    const text = [
      "The discount is added instead of subtracted.",
      "```redgreen-fix",
      "FILE: shop/cart.py",
      "<<<<<<< FIND",
      "    return round(subtotal + discount, 2)",
      "=======",
      "    return round(subtotal - discount, 2)",
      ">>>>>>> REPLACE",
      "EXPLANATION: subtract the discount",
      "CONFIDENCE: 85%",
      "```",
    ].join("\n");
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, depsFor(fakeModel().respond(new AIMessage(text))));
    expect(out).toMatchObject({
      kind: "proposal",
      via: "fenced_block",
      proposal: { explanation: "subtract the discount", confidence: 0.85 },
    });
  });

  it.each([
    [
      "garbage",
      new AIMessage("I think the bug is somewhere in the cart, good luck!"),
      /neither a propose_fix tool call nor a ```redgreen-fix block: "I think the bug/,
    ],
    ["an empty answer", new AIMessage(""), /empty answer/],
    [
      "a tool call with no edits",
      new AIMessage({
        content: "",
        tool_calls: [{ name: FIX_TOOL_NAME, args: { edits: [], explanation: "none", confidence: 0.1 }, id: "c1" }],
      }),
      /no edits/,
    ],
    [
      "a tool call missing find",
      new AIMessage({
        content: "",
        tool_calls: [
          { name: FIX_TOOL_NAME, args: { edits: [{ file: "shop/cart.py", replace: "x" }], explanation: "e", confidence: 1 }, id: "c2" },
        ],
      }),
      /edits\.0\.find/,
    ],
  ])("records %s as a failed attempt, not a crash", async (_name, message, reason) => {
    const deps = depsFor(fakeModel().respond(message));
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps);
    expect(out.kind).toBe("failed");
    expect(out.kind === "failed" && out.reason).toMatch(reason);
    expect(deps.callLog.list("wf-1")).toEqual([
      expect.objectContaining({ outcome: "invalid_answer", error: expect.stringMatching(reason) }),
    ]);
  });

  it("is skipped, with the reason, when no model is configured", async () => {
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, {
      ...depsFor(fakeModel()),
      model: { kind: "skipped", reason: "no model configured: set REDGREEN_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model" },
    });
    expect(out).toEqual({
      kind: "skipped",
      reason: "no model configured: set REDGREEN_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model",
    });
  });

  it("stops calling once the workflow's token budget is spent", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: FIX_TOOL_NAME, args: CORRECT_FIX }])
      .respondWithTools([{ name: FIX_TOOL_NAME, args: CORRECT_FIX }]);
    const promptTokens = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: noRedact,
    }).estimatedTokens;
    // Enough for one prompt + completion cap, not for a second one on top of the first call's prompt + completion.
    const maxTokens = 64;
    const budget = 2 * promptTokens + maxTokens - 1;
    const deps = depsFor(model, { settings: { workflowTokenBudget: budget, maxTokens } });
    expect((await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps)).kind).toBe("proposal");
    const second = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps);
    expect(second.kind).toBe("skipped");
    expect(second.kind === "skipped" && second.reason).toMatch(
      new RegExp(`^skipped: token budget spent \\(\\d+ of ${budget} tokens used by wf-1`),
    );
    expect(model.callCount).toBe(1);
    expect(deps.callLog.list("wf-1").map((r) => r.outcome)).toEqual(["proposal", "skipped_budget"]);
    // Another workflow has its own budget.
    expect((await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, { ...deps, workflowId: "wf-2" })).kind).toBe(
      "proposal",
    );
  });

  it("retries a 503 with backoff, then gives up after maxRetries with the reason", async () => {
    const unavailable = Object.assign(new Error("503 Service Unavailable"), { status: 503 });
    const waits: number[] = [];
    const model = fakeModel().respond(unavailable).respond(unavailable).respond(unavailable);
    const deps = depsFor(model, { settings: { maxRetries: 2, backoffMs: 100 }, sleep: async (ms) => void waits.push(ms) });
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps);
    expect(out).toMatchObject({ kind: "failed", calls: 3 });
    expect(out.kind === "failed" && out.reason).toMatch(/model call failed \(server_error 503\): 503 Service Unavailable after 2 retries/);
    expect(waits).toEqual([100, 200]);
    expect(deps.callLog.list("wf-1").map((r) => r.outcome)).toEqual(["server_error", "server_error", "server_error"]);
  });

  it("does not retry a 401", async () => {
    const model = fakeModel().respond(Object.assign(new Error("Incorrect API key"), { status: 401 }));
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, depsFor(model));
    expect(out).toMatchObject({ kind: "failed", calls: 1 });
  });

  it("redacts secrets from log lines, stored errors and reasons, even when a server echoes them", async () => {
    const secret = "pk_live_4eC39HqLyjWDarjtT1zdp7dc";
    const echo = Object.assign(new Error(`400 invalid request: unexpected token near "${secret}"`), { status: 400 });
    const lines: string[] = [];
    const deps = depsFor(fakeModel().respond(echo), {
      redactor: createSecretRedactor({ env: { SHOP_PAYMENT_KEY: secret } }),
      log: (l) => lines.push(l),
    });
    const out = await generateFixWithLlm(discountFailure(), discountAnalysis(), sources, deps);
    expect(out.kind === "failed" && out.reason).toContain("[REDACTED:SHOP_PAYMENT_KEY]");
    expect(lines.join("\n")).toContain("[REDACTED:SHOP_PAYMENT_KEY]");
    for (const text of [JSON.stringify(out), lines.join("\n"), JSON.stringify(deps.callLog.list("wf-1"))])
      expect(text).not.toContain(secret);
  });
});
