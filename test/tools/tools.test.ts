// Every step tool through tool.invoke on a real fixture project: real pytest, real helper, real SQLite.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ToolMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { loadLlmModel } from "../../src/fixers/llm/create-model.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import type { Store } from "../../src/store/index.js";
import { createTools, isErrorResult } from "../../tools/index.js";
import type { ProjectServices, RedgreenTool } from "../../tools/index.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import type { OpenAiTestServer } from "../helpers/openai-server.js";
import { testPython } from "../helpers/python-env.js";
import { copyToolsFixture, openProjectStore, realDeps, testProjects } from "./helpers.js";

const TOTAL = "tests/test_cart.py::test_total";
const AVERAGE = "tests/test_cart.py::test_average";

let project: string;
let store: Store;
let projects: ProjectServices;
let server: OpenAiTestServer;
let tools: Map<string, RedgreenTool>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are asserted field by field
const call = async (name: string, args: Record<string, unknown>): Promise<any> => {
  const out = await tools.get(name)!.invoke(args);
  expect(typeof out).toBe("string");
  return JSON.parse(out as string);
};

const cart = (): string => readFileSync(join(project, "shop", "cart.py"), "utf8");

beforeAll(async () => {
  project = copyToolsFixture("shop");
  store = openProjectStore(project);
  projects = testProjects();
  server = await startOpenAiServer();
  const model = await loadLlmModel({ model: "local-coder", baseUrl: server.url, env: { OPENAI_API_KEY: "sk-test-tools-0123456789" } });
  tools = new Map(createTools(realDeps(project, { store, projects, model, llmSettings: { backoffMs: 5 } })).map((t) => [t.name, t]));
});

afterAll(async () => {
  await projects.close();
  store.close();
  await server.close();
  rmSync(project, { recursive: true, force: true });
});

describe("the step tools on the shop fixture", () => {
  let runId: number;

  it("run_tests runs pytest, stores the run and returns compact failures", async () => {
    const r = await call("run_tests", {});
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 2, errors: 0, total: 3, coverage: null });
    runId = r.runId;
    expect(
      store
        .getTestRun(runId)
        ?.result.failures.map((f) => f.nodeId)
        .sort(),
    ).toEqual([AVERAGE, TOTAL]);
    const total = r.failures.find((f: { nodeId: string }) => f.nodeId === TOTAL);
    expect(total).toMatchObject({ errorType: "NameError", phase: "call", raisedAt: "shop/cart.py:5" });
    expect(total.message).toContain("name 'math' is not defined");
    expect(total.stackTrace).toContain("math.fsum");
  });

  it("run_specific_test runs one test", async () => {
    const r = await call("run_specific_test", { testFile: "tests/test_cart.py", testName: "test_average" });
    expect(r).toMatchObject({ status: "failed", total: 1, failed: 1 });
    expect(r.failures[0]).toMatchObject({ nodeId: AVERAGE, errorType: "AssertionError" });
  });

  it("analyze_failure explains a stored failure by node id or bare test name", async () => {
    const r = await call("analyze_failure", { nodeId: TOTAL, runId });
    expect(r).toMatchObject({
      runId,
      nodeId: TOTAL,
      errorCategory: "import",
      fixStrategy: "add_import",
      fileToFix: "shop/cart.py",
      lineNumber: 5,
    });
    expect(r.groupKey).toBeUndefined();
    // Without a runId the newest stored run holding the failure is used (here the run_specific_test run).
    const bare = await call("analyze_failure", { nodeId: "test_average" });
    expect(bare).toMatchObject({ nodeId: AVERAGE, errorCategory: "assertion", fileToFix: "shop/cart.py" });
    expect(bare.runId).toBeGreaterThan(runId);
  });

  it("find_pattern_fix proposes the missing import; validate_fix passes it; nothing is written", async () => {
    const before = cart();
    const found = await call("find_pattern_fix", { nodeId: TOTAL });
    expect(found).toMatchObject({ found: true, patternId: "missing-import", category: "import" });
    expect(found.diff).toContain("+import math");
    const checked = await call("validate_fix", { proposalId: found.proposalId });
    expect(checked).toMatchObject({ valid: true, reasons: [], files: ["shop/cart.py"] });
    expect(cart()).toBe(before);
  });

  it("find_pattern_fix answers found=false when no pattern is sure", async () => {
    const r = await call("find_pattern_fix", { nodeId: AVERAGE, runId });
    expect(r).toMatchObject({ found: false, nodeId: AVERAGE, category: "assertion" });
    expect(r.reason).toContain("generate_llm_fix");
  });

  it("validate_fix rejects a broken edit and an edit outside the project", async () => {
    const broken = await call("validate_fix", {
      edits: [
        { file: "shop/cart.py", find: "    return sum(prices) / (len(prices) + 1)", replace: "    return sum(prices) / (len(prices)" },
      ],
    });
    expect(broken.valid).toBe(false);
    expect(broken.reasons.join(" ")).toMatch(/shop\/cart\.py: .*syntax/i);
    const outside = await call("validate_fix", { edits: [{ file: "../elsewhere.py", find: "a", replace: "b" }] });
    expect(outside).toMatchObject({ valid: false });
    expect(outside.reasons[0]).toContain("leaves the project root");
  });

  it("apply_fix writes a validated fix and rollback_fix restores the bytes exactly", async () => {
    // A CRLF line and a trailing-space line: the restore must give back these exact bytes.
    const original = `${cart()}\r\n# keep me   \n`;
    writeFileSync(join(project, "shop", "cart.py"), original);
    const found = await call("find_pattern_fix", { nodeId: TOTAL, runId });
    const applied = await call("apply_fix", { proposalId: found.proposalId });
    expect(applied).toMatchObject({ applied: true, files: ["shop/cart.py"], nodeId: TOTAL, risk: "low" });
    expect(cart()).toMatch(/^import math\n/m);
    const now = await call("run_specific_test", { testFile: "tests/test_cart.py", testName: "test_total" });
    expect(now).toMatchObject({ status: "passed", passed: 1 });

    const back = await call("rollback_fix", { applyId: applied.applyId });
    expect(back).toEqual({ rolledBack: true, applyId: applied.applyId, files: ["shop/cart.py"] });
    expect(readFileSync(join(project, "shop", "cart.py"))).toEqual(Buffer.from(original));
    const twice = await call("rollback_fix", { applyId: applied.applyId });
    expect(twice).toEqual({ error: `fix ${applied.applyId} was already rolled back`, code: "conflict" });
  });

  it("apply_fix refuses an invalid fix without touching the file; rollback_fix refuses to overwrite later edits", async () => {
    const before = cart();
    const refused = await call("apply_fix", {
      edits: [{ file: "shop/cart.py", find: "def average(prices):", replace: "def average(prices:" }],
      nodeIds: [AVERAGE],
    });
    expect(refused).toMatchObject({ applied: false, valid: false, status: "rejected", rule: "validation" });
    expect(cart()).toBe(before);

    const applied = await call("apply_fix", {
      edits: [
        { file: "shop/cart.py", find: "    return sum(prices) / (len(prices) + 1)", replace: "    return sum(prices) / len(prices)" },
      ],
      nodeIds: [AVERAGE],
    });
    expect(applied.applied).toBe(true);
    writeFileSync(join(project, "shop", "cart.py"), `${cart()}# edited by someone else\n`);
    const conflict = await call("rollback_fix", { applyId: applied.applyId });
    expect(conflict.code).toBe("conflict");
    expect(conflict.error).toContain("shop/cart.py changed since redgreen edited it");
    writeFileSync(join(project, "shop", "cart.py"), before);
  });

  it("rollback_fix works from a later tool session: the originals live in the store's edit journal", async () => {
    const before = readFileSync(join(project, "shop", "cart.py"));
    const found = await call("find_pattern_fix", { nodeId: TOTAL, runId });
    const applied = await call("apply_fix", { proposalId: found.proposalId });
    expect(applied.applied).toBe(true);
    const later = createTools(realDeps(project, { store, projects })).find((t) => t.name === "rollback_fix")!;
    expect(JSON.parse((await later.invoke({ applyId: applied.applyId })) as string)).toMatchObject({ rolledBack: true });
    expect(readFileSync(join(project, "shop", "cart.py"))).toEqual(before);
  });

  it("generate_llm_fix asks the model (real ChatOpenAI, loopback server) and returns a proposal", async () => {
    server.respondWithToolCall(FIX_TOOL_NAME, {
      edits: [
        { file: "shop/cart.py", find: "    return sum(prices) / (len(prices) + 1)", replace: "    return sum(prices) / len(prices)" },
      ],
      explanation: "the average divides by one too many",
      confidence: 0.8,
    });
    const r = await call("generate_llm_fix", { nodeId: AVERAGE, runId });
    expect(r).toMatchObject({ found: true, nodeId: AVERAGE, explanation: "the average divides by one too many", confidence: 0.8 });
    expect(r.diff).toContain("+    return sum(prices) / len(prices)");
    expect(r.tokens.calls).toBe(1);
    const prompt = JSON.stringify(server.requests.at(-1)!.body.messages);
    expect(prompt).toContain("test_average");
    const checked = await call("validate_fix", { proposalId: r.proposalId });
    expect(checked.valid).toBe(true);
  });

  it("generate_llm_fix reports a server failure as found=false", async () => {
    server.respondWithError(400, "model not found");
    const r = await call("generate_llm_fix", { nodeId: AVERAGE, runId });
    expect(r).toMatchObject({ found: false, outcome: "failed" });
    // The server's "model not found" is read as the model being unknown: a reason naming the model, not the raw text.
    expect(r.reason).toBe("unknown model 'local-coder' (400)");
  });

  it("parse_test_output turns pasted pytest output into a stored run", async () => {
    const pasted = await runProcess(testPython, ["-m", "pytest", "-p", "no:cacheprovider", "--color=no"], {
      cwd: project,
      timeoutMs: 60_000,
    });
    const r = await call("parse_test_output", { output: pasted.stdout });
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 2, source: "text" });
    expect(r.failures.map((f: { nodeId: string }) => f.nodeId).sort()).toEqual([AVERAGE, TOTAL]);
    const analysis = await call("analyze_failure", { nodeId: TOTAL, runId: r.runId });
    expect(analysis.errorCategory).toBe("import");
    const unsaved = await call("parse_test_output", { output: pasted.stdout, store: false });
    expect(unsaved.runId).toBeUndefined();
  });

  it("get_test_report reports a stored run", async () => {
    const r = await call("get_test_report", { runId });
    expect(r.runId).toBe(runId);
    expect(r.summary).toMatchObject({ status: "failed", passed: 1, failed: 2, total: 3 });
    expect(r.summaryLine).toMatch(/1 passed/);
    expect(r.failureDetails).toHaveLength(2);
    expect(r.recommendations.length).toBeGreaterThan(0);
    const newest = await call("get_test_report", {});
    expect(newest.runId).toBeGreaterThan(runId);
  });
});

describe("error results instead of exceptions", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["run_tests", { files: "tests/test_cart.py" }, /files: Invalid input: expected array, received string/],
    ["run_tests", { project_path: "." }, /Unrecognized key: "project_path"/],
    ["run_specific_test", { testFile: "tests/test_cart.py" }, /testName: Invalid input/],
    ["parse_test_output", { output: "" }, /output: Too small/],
    ["analyze_failure", { nodeId: 42 }, /nodeId: Invalid input: expected string, received number/],
    ["find_pattern_fix", { nodeId: TOTAL, runId: -1 }, /runId: Too small/],
    ["generate_llm_fix", {}, /nodeId: Invalid input/],
    ["validate_fix", { edits: [{ file: "a.py", find: "x" }] }, /edits\.0\.replace: Invalid input/],
    ["apply_fix", { edits: [] }, /edits: Too small/],
    ["rollback_fix", {}, /applyId: Invalid input/],
    ["get_test_report", { runId: "latest" }, /runId: Invalid input: expected number/],
    ["list_workflows", { status: "green" }, /status: Invalid option/],
    ["fix_failing_tests", { maxIterations: 0 }, /maxIterations: Too small/],
  ];
  it.each(cases)("%s with invalid arguments %j", async (name, args, message) => {
    const r = await call(name, args);
    expect(r.code).toBe("usage");
    expect(r.error).toMatch(new RegExp(`^invalid arguments for ${name}: `));
    expect(r.error).toMatch(message);
  });

  it("an invalid tool call comes back as a ToolMessage with status error", async () => {
    const msg = (await tools
      .get("analyze_failure")!
      .invoke({ type: "tool_call", id: "call-1", name: "analyze_failure", args: { nodeId: 1 } })) as ToolMessage;
    expect(msg.status).toBe("error");
    expect(msg.tool_call_id).toBe("call-1");
    expect(isErrorResult(msg.content)).toBe(true);
  });

  it("faults inside a tool are error results with the RedgreenError code", async () => {
    expect(await call("analyze_failure", { nodeId: TOTAL, runId: 99999 })).toEqual({
      error: "no stored test run with runId 99999",
      code: "not_found",
    });
    expect((await call("analyze_failure", { nodeId: "tests/test_cart.py::test_discount" })).code).toBe("not_found");
    expect((await call("run_tests", { files: ["tests/test_missing.py"] })).code).toBe("path_not_found");
    expect((await call("run_tests", { projectPath: "/" })).code).toBe("usage");
    expect((await call("validate_fix", { proposalId: "fix-nope" })).code).toBe("not_found");
    expect((await call("validate_fix", {})).error).toContain("give either proposalId");
    expect((await call("rollback_fix", { applyId: "apply-nope" })).code).toBe("not_found");
    const msg = (await tools
      .get("rollback_fix")!
      .invoke({ type: "tool_call", id: "c2", name: "rollback_fix", args: { applyId: "apply-nope" } })) as ToolMessage;
    expect(msg.status).toBe("error");
  });

  it("generate_llm_fix without a configured model says so", async () => {
    const bare = createTools(realDeps(project, { store, projects }));
    const out = JSON.parse((await bare.find((t) => t.name === "generate_llm_fix")!.invoke({ nodeId: AVERAGE })) as string);
    expect(out).toMatchObject({ found: false, outcome: "skipped" });
    expect(out.reason).toContain("no model configured");
  });
});
