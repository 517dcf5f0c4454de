// The auto-fixer end to end: real ChatOpenAI against the loopback server, real pytest, real validator, real SQLite log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixFailures, fixSingleFailure } from "../../../src/fixers/auto-fixer.js";
import type { AutoFixerDeps } from "../../../src/fixers/auto-fixer.js";
import { loadLlmModel } from "../../../src/fixers/llm/create-model.js";
import { createSecretRedactor } from "../../../src/fixers/llm/redact.js";
import { FIX_TOOL_NAME } from "../../../src/fixers/llm/response-schema.js";
import { NO_MODEL_REASON } from "../../../src/fixers/llm/config.js";
import { PythonHelper } from "../../../src/python/client.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import type { TestRunnerAdapter } from "../../../src/runners/adapter.js";
import { openStore } from "../../../src/store/index.js";
import type { Store } from "../../../src/store/index.js";
import { createLlmCallRepository } from "../../../src/store/llm-calls.js";
import type { LlmCallRepository } from "../../../src/store/llm-calls.js";
import type { TestRunResult } from "../../../src/domain/index.js";
import { startOpenAiServer } from "../../helpers/openai-server.js";
import type { OpenAiTestServer } from "../../helpers/openai-server.js";
import { testPython } from "../../helpers/python-env.js";
import { CORRECT_FIX, copyFixture, section, storeMigrations } from "./builders.js";

const API_KEY = "sk-redgreen-test-0123456789abcdefghij";
const ENV_SECRET = "pk_live_4eC39HqLyjWDarjtT1zdp7dc";
const CATALOG_SECRET = "AKIAZ7Q4N2LX5KJ8W3PD";
const FAILING = "tests/test_cart.py::test_discount_is_subtracted";
const env = { OPENAI_API_KEY: API_KEY, SHOP_PAYMENT_KEY: ENV_SECRET, PATH: process.env.PATH };

let server: OpenAiTestServer;
let project: string;
let runner: TestRunnerAdapter;
let helper: PythonHelper;
let store: Store;
let calls: LlmCallRepository;
let baseline: TestRunResult;

beforeEach(async () => {
  server = await startOpenAiServer();
  project = copyFixture("shop");
  runner = await createPytestAdapter({ projectRoot: project, python: testPython });
  helper = await PythonHelper.start({ python: testPython, projectRoot: project });
  store = openStore(join(project, ".redgreen", "redgreen.db"), { migrations: storeMigrations });
  calls = createLlmCallRepository(store, () => new Date().toISOString());
  baseline = await runner.runTests();
  expect(baseline.failures.map((f) => f.nodeId)).toEqual([FAILING]);
});

afterEach(async () => {
  await helper.close();
  store.close();
  await server.close();
  rmSync(project, { recursive: true, force: true });
});

async function deps(extra: Partial<AutoFixerDeps> = {}): Promise<AutoFixerDeps> {
  return {
    projectRoot: project,
    runner,
    helper,
    baseline,
    maxLlmAttempts: 1,
    // These tests are about the LLM path; the patterns-first test below turns the registry back on.
    findPatternFix: null,
    llm: {
      model: await loadLlmModel({ model: "local-coder", baseUrl: server.url, env }),
      callLog: calls,
      workflowId: "wf-auto",
      redactor: createSecretRedactor({ env }),
      settings: { backoffMs: 5 },
    },
    ...extra,
  };
}

const cart = (): string => readFileSync(join(project, "shop", "cart.py"), "utf8");
const tests = (): string => readFileSync(join(project, "tests", "test_cart.py"), "utf8");
const oneEdit = (file: string, find: string, replace: string) => ({
  edits: [{ file, find, replace }],
  explanation: "fix",
  confidence: 0.7,
});

describe("fixFailures with an OpenAI-compatible model and real pytest", () => {
  it("applies a correct fix, turns the suite green, and records the call without secrets", async () => {
    server.respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    const before = cart();
    const result = await fixFailures(baseline.failures, {}, await deps());

    expect(result.remainingFailures).toEqual([]);
    expect(result.iterations).toBe(1);
    expect(result.lastRun.status).toBe("passed");
    expect(result.fixesApplied).toEqual([
      { file: "shop/cart.py", original: before, fixed: before.replace("subtotal + discount", "subtotal - discount") },
    ]);
    expect(cart()).toBe(result.fixesApplied[0]!.fixed);
    expect(result.records).toEqual([
      expect.objectContaining({ status: "kept", source: "llm", strategy: "llm:fix_assertion", file: "shop/cart.py" }),
    ]);
    expect(result.records[0]!.diff).toContain("-    return round(subtotal + discount, 2)\n+    return round(subtotal - discount, 2)");
    expect((await runner.runTests()).status).toBe("passed");

    // What the server saw: temperature 0, the analyzer's line ±10 in cart.py, the failing test's line, no secrets.
    const req = server.requests[0]!;
    expect(req.body.temperature).toBe(0);
    const prompt = server.promptText(0);
    const window = section(prompt, "## Source: shop/cart.py").split("\n");
    expect(window[0]).toBe("## Source: shop/cart.py (lines 2-22, error at line 12)");
    expect(window[11]).toBe("> 12 | def apply_discount(subtotal, percent):");
    expect(window[14]).toBe("  15 |     return round(subtotal + discount, 2)");
    expect(prompt).toContain("> 22 |     assert apply_discount(25.0, 10) == 22.5");
    for (const secret of [ENV_SECRET, CATALOG_SECRET, API_KEY]) expect(req.rawBody).not.toContain(secret);

    const rows = calls.list("wf-auto");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "proposal", nodeId: FAILING, model: `local-coder @ ${server.url}`, attempt: 1 });
    expect(rows[0]!.promptTokens).toBeGreaterThan(0);
    expect(rows[0]!.prompt).toContain("[REDACTED:SHOP_PAYMENT_KEY]");
    const stored = JSON.stringify(store.db.prepare("SELECT * FROM llm_calls").all());
    for (const secret of [ENV_SECRET, CATALOG_SECRET, API_KEY]) expect(stored).not.toContain(secret);
  });

  it("places an edit whose indentation the model got wrong", async () => {
    server.respondWithToolCall(
      FIX_TOOL_NAME,
      oneEdit("shop/cart.py", "return round(subtotal + discount, 2)", "        return round(subtotal - discount, 2)"),
    );
    const result = await fixFailures(baseline.failures, {}, await deps());
    expect(result.remainingFailures).toEqual([]);
    expect(cart()).toContain("\n    return round(subtotal - discount, 2)\n");
  });

  it("undoes a fix that breaks a passing test, tells the next attempt why, and keeps the second one", async () => {
    server
      .respondWithToolCall(
        FIX_TOOL_NAME,
        oneEdit("shop/cart.py", "    return round(subtotal + discount, 2)", "    return round(subtotal - discount, 2) if percent else 0.0"),
      )
      .respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    const before = cart();
    const result = await fixSingleFailure(baseline.failures[0]!, await deps({ maxLlmAttempts: 2 }));

    expect(result.fixed).toBe(true);
    expect(result.records.map((r) => r.status)).toEqual(["rolled_back", "kept"]);
    expect(result.records[0]!.reason).toBe(
      "broke 3 passing test(s): tests/test_cart.py::test_no_discount (AssertionError: assert 0.0 == 25.0), " +
        "tests/test_cart.py::test_total_includes_tax (AssertionError: assert 0.0 == 30.0), " +
        "tests/test_cart.py::test_charge_in_cents (AssertionError: assert 0 == 3000)",
    );
    expect(cart()).toBe(before.replace("subtotal + discount", "subtotal - discount"));
    const second = server.promptText(1);
    expect(second).toContain(
      "## Previous attempts (undone; do not repeat them)\n1. [llm/llm:fix_assertion] rolled back: broke 3 passing test(s): " +
        "tests/test_cart.py::test_no_discount (AssertionError",
    );
  });

  it("asks again after an unusable answer, telling the model why, but not after a server failure", async () => {
    server.respondWithError(401, "invalid api key");
    const refused = await fixSingleFailure(baseline.failures[0]!, await deps({ maxLlmAttempts: 3 }));
    expect(refused).toMatchObject({ fixed: false, records: [] });
    expect(server.requests).toHaveLength(1);

    server.respondWithText("The bug is probably in the discount logic.").respondWithToolCall(FIX_TOOL_NAME, CORRECT_FIX);
    const result = await fixSingleFailure(baseline.failures[0]!, await deps({ maxLlmAttempts: 2 }));
    expect(result.fixed).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(server.promptText(2)).toContain(
      "1. [llm/llm] no usable answer: the answer holds neither a propose_fix tool call nor a ```redgreen-fix block",
    );
  });

  it("rolls back a fix that does not make the test pass, restoring the file byte for byte", async () => {
    server.respondWithToolCall(
      FIX_TOOL_NAME,
      oneEdit("shop/cart.py", "    discount = subtotal * percent / 100", "    discount = subtotal * percent / 1000"),
    );
    const before = cart();
    const result = await fixSingleFailure(baseline.failures[0]!, await deps());
    expect(result.fixed).toBe(false);
    expect(result.records[0]).toMatchObject({
      status: "rolled_back",
      reason: "tests/test_cart.py::test_discount_is_subtracted still fails: AssertionError: assert 25.25 == 22.5",
      rule: "still_failing",
    });
    expect(cart()).toBe(before);
  });

  it.each([
    [
      "an edit of the test",
      () => oneEdit("tests/test_cart.py", "    assert apply_discount(25.0, 10) == 22.5", "    assert apply_discount(25.0, 10) == 27.5"),
      /^validation failed: tests\/test_cart\.py: test-integrity: edits test file tests\/test_cart\.py/,
    ],
    [
      "a file outside the project",
      () => oneEdit("../../etc/passwd", "root:x:0:0", "root::0:0"),
      /refusing to edit "\.\.\/\.\.\/etc\/passwd": the path leaves the project root/,
    ],
    [
      "an edit that adds a secret",
      () =>
        oneEdit(
          "shop/cart.py",
          "    return round(subtotal + discount, 2)",
          "    return round(subtotal - discount, 2)  # key AKIAQ3RT7NX2MV8KPL5Z",
        ),
      /^validation failed: shop\/cart\.py: secrets: adds .*\(aws_access_key_id\) at line 15/,
    ],
    [
      // A file that is neither fileToFix nor the test gets no nearLine, so a repeated `find` must not land on a guess.
      "an ambiguous edit of a third file",
      () => {
        writeFileSync(join(project, "shop", "limits.py"), "def low():\n    return 0\n\n\ndef high():\n    return 0\n");
        return oneEdit("shop/limits.py", "    return 0", "    return 1");
      },
      /^edit of shop\/limits\.py: the text to replace is ambiguous: it occurs 2 times \(lines 2, 6\) and the edit gives no line/,
    ],
    [
      "an edit that deletes half the file",
      () => {
        const text = readFileSync(join(project, "shop", "cart.py"), "utf8");
        const from = text.indexOf("class Cart:");
        return oneEdit("shop/cart.py", text.slice(from, text.indexOf("def charge(")), "");
      },
      /^validation failed: shop\/cart\.py: size: \d+ changed lines in shop\/cart\.py/,
    ],
  ])("rejects %s before writing anything", async (_name, edit, reason) => {
    server.respondWithToolCall(FIX_TOOL_NAME, edit());
    const before = { cart: cart(), tests: tests() };
    const result = await fixSingleFailure(baseline.failures[0]!, await deps());
    expect(result.fixed).toBe(false);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]!.status).toBe("rejected");
    expect(result.records[0]!.reason).toMatch(reason);
    expect({ cart: cart(), tests: tests() }).toEqual(before);
    if (existsSync(join(project, "shop", "limits.py")))
      expect(readFileSync(join(project, "shop", "limits.py"), "utf8")).not.toContain("return 1");
  });

  it("rejects an edit through a symlink that leads out of the project", async () => {
    const outside = mkdtempSync(join(tmpdir(), "redgreen-outside-"));
    writeFileSync(join(outside, "settings.py"), "DEBUG = False\n");
    mkdirSync(join(project, "shop", "vendor"));
    symlinkSync(join(outside, "settings.py"), join(project, "shop", "vendor", "settings.py"));
    server.respondWithToolCall(FIX_TOOL_NAME, oneEdit("shop/vendor/settings.py", "DEBUG = False", "DEBUG = True"));
    try {
      const result = await fixSingleFailure(baseline.failures[0]!, await deps());
      expect(result.records[0]).toMatchObject({
        status: "rejected",
        reason: expect.stringMatching(/through a symlink\) to a file outside the project root/),
      });
      expect(readFileSync(join(outside, "settings.py"), "utf8")).toBe("DEBUG = False\n");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("skips the LLM step with the reason when no model is configured", async () => {
    const d = await deps();
    const result = await fixSingleFailure(baseline.failures[0]!, {
      ...d,
      llm: { ...d.llm!, model: await loadLlmModel({ env: {} }) },
    });
    expect(result).toMatchObject({ fixed: false, llmSkipped: NO_MODEL_REASON, records: [] });
    expect(server.requests).toHaveLength(0);
  });

  it("tries pattern fixes first and asks the model only for what no pattern fixes", async () => {
    const mixed = copyFixture("mixed");
    const mixedRunner = await createPytestAdapter({ projectRoot: mixed, python: testPython });
    const mixedHelper = await PythonHelper.start({ python: testPython, projectRoot: mixed });
    try {
      const start = await mixedRunner.runTests();
      expect(start.failures.map((f) => f.nodeId).sort()).toEqual(["tests/test_calc.py::test_discount", "tests/test_calc.py::test_hypot"]);
      server.respondWithToolCall(
        FIX_TOOL_NAME,
        oneEdit("calc/pricing.py", "    return round(subtotal + discount, 2)", "    return round(subtotal - discount, 2)"),
      );
      const d = await deps();
      const result = await fixFailures(
        start.failures,
        {},
        { ...d, projectRoot: mixed, runner: mixedRunner, helper: mixedHelper, baseline: start, findPatternFix: undefined },
      );

      expect(result.remainingFailures).toEqual([]);
      expect(result.lastRun.status).toBe("passed");
      expect(result.records.map((r) => [r.source, r.file, r.status])).toEqual([
        ["pattern", "calc/geometry.py", "kept"],
        ["llm", "calc/pricing.py", "kept"],
      ]);
      expect(readFileSync(join(mixed, "calc", "geometry.py"), "utf8")).toMatch(/^import math$/m);
      expect(server.requests).toHaveLength(1);
      expect(server.promptText(0)).toContain("tests/test_calc.py::test_discount");
      expect(server.promptText(0)).not.toContain("test_hypot (phase");
    } finally {
      await mixedHelper.close();
      rmSync(mixed, { recursive: true, force: true });
    }
  });
});
