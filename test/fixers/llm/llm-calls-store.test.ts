// The llm_calls table: rows round-trip, and a workflow's spent tokens survive reopening the database (resumed runs).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakeModel } from "@langchain/core/testing";
import { openStore } from "../../../src/store/index.js";
import { createLlmCallRepository } from "../../../src/store/llm-calls.js";
import { generateFixWithLlm } from "../../../src/fixers/llm/generate-fix.js";
import { createSecretRedactor } from "../../../src/fixers/llm/redact.js";
import { FIX_TOOL_NAME } from "../../../src/fixers/llm/response-schema.js";
import { buildFixPrompt } from "../../../src/fixers/llm/prompt.js";
import { llmCallInput as call } from "../../helpers/llm-call.js";
import { CORRECT_FIX, SHOP, discountAnalysis, discountFailure, readShop, storeMigrations } from "./builders.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dbFile = (): string => {
  const d = mkdtempSync(join(tmpdir(), "redgreen-llm-calls-"));
  dirs.push(d);
  return join(d, "redgreen.db");
};

describe("llm_calls repository", () => {
  it("stores calls, lists them per workflow and sums their tokens", () => {
    const store = openStore(dbFile(), { migrations: storeMigrations, clock: () => new Date("2030-01-02T03:04:05Z") });
    const repo = createLlmCallRepository(store, () => "2030-01-02T03:04:05.000Z");
    const first = repo.record(call());
    repo.record(
      call({
        attempt: 2,
        outcome: "timeout",
        promptTokens: 0,
        completionTokens: 0,
        error: "timed out",
        prompt: null,
        completion: null,
        tokensEstimated: true,
      }),
    );
    repo.record(call({ workflowId: "wf-2", promptTokens: 7, completionTokens: 3 }));
    expect(first).toEqual({ ...call(), id: 1, createdAt: "2030-01-02T03:04:05.000Z" });
    expect(repo.get(2)).toMatchObject({ outcome: "timeout", error: "timed out", prompt: null, tokensEstimated: true });
    expect(repo.list("wf-1").map((c) => c.id)).toEqual([1, 2]);
    expect(repo.tokensSpent("wf-1")).toBe(120);
    expect(repo.tokensSpent("wf-2")).toBe(10);
    expect(repo.tokensSpent("nobody")).toBe(0);
    expect(() => repo.record(call({ outcome: "bogus" as never }))).toThrow();
    store.close();
  });

  it("keeps the workflow budget across a restart: a resumed run does not get a fresh budget", async () => {
    const file = dbFile();
    const sources = { "shop/cart.py": readShop("shop/cart.py"), "tests/test_cart.py": readShop("tests/test_cart.py") };
    const promptTokens = buildFixPrompt({
      failure: discountFailure(),
      analysis: discountAnalysis(),
      sourceFiles: sources,
      allowTestEdits: false,
      tokenBudget: 6000,
      redact: (t) => t,
    }).estimatedTokens;
    // Room for one call (prompt + completion cap), not for a second prompt on top of it.
    const maxTokens = 64;
    const budget = 2 * promptTokens + maxTokens - 1;
    const run = async (): Promise<string> => {
      const store = openStore(file, { migrations: storeMigrations });
      try {
        const model = fakeModel().respondWithTools([{ name: FIX_TOOL_NAME, args: CORRECT_FIX }]);
        const out = await generateFixWithLlm(
          discountFailure(),
          discountAnalysis(),
          {},
          {
            model: { kind: "ready", chat: model, name: "fake" },
            callLog: createLlmCallRepository(store, () => new Date().toISOString()),
            workflowId: "wf-resume",
            redactor: createSecretRedactor({ env: {} }),
            projectRoot: SHOP,
            settings: { workflowTokenBudget: budget, maxTokens },
          },
        );
        return out.kind;
      } finally {
        store.close();
      }
    };
    expect(await run()).toBe("proposal");
    expect(await run()).toBe("skipped");
  });
});
