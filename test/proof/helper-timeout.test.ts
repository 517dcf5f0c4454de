// A helper op that times out while a candidate is validated fails that candidate with the reason, never the run:
// real pytest, a real PythonHelper with a zero budget forced on policy_findings, the real workflow and a loopback model.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runWorkflow } from "../../graph/run.js";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../graph/runtime.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { parseSource } from "../../src/python/core-ops.js";
import { opTimeoutMs } from "../../src/python/ops.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { copyProject } from "../helpers/project-copy.js";
import { testPython } from "../helpers/python-env.js";

const fixture = fileURLToPath(new URL("../fixtures/trust/pricing", import.meta.url));
const DISCOUNT = "pricing/discount.py";

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

describe("a helper op timing out during validation", () => {
  it("rejects the candidate with the reason, and goes on with the next candidate", async () => {
    const copy = copyProject(fixture);
    cleanups.push(copy.cleanup);
    const original = readFileSync(join(copy.root, DISCOUNT));
    server = await startOpenAiServer();
    // Two different honest candidates, so the second is not skipped as a repeat of the first.
    const answer = (replace: string) => ({
      name: FIX_TOOL_NAME,
      args: { edits: [{ file: DISCOUNT, find: 'RATE = Decimal("0.8")', replace }], explanation: "fixes the discount", confidence: 0.9 },
    });
    server.respondWithToolCalls([answer('RATE = Decimal("0.9")')]);
    server.setFallback({ type: "tool_calls", calls: [answer('RATE = Decimal("0.90")')] });
    runtime = await createWorkflowRuntime({
      projectRoot: copy.root,
      python: testPython,
      env: {},
      testTimeoutSeconds: 5,
      model: "local-coder",
      baseUrl: server.url,
      llmSettings: { backoffMs: 5 },
      options: { coverage: false },
      opBudgets: { policy_findings: { baseMs: 0, perKbMs: 0 } },
    });
    const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root, maxIterations: 2 }, { checkpointer: runtime.checkpointer });

    // The run ends with a summary (not an exception), and nothing it could not check was kept or left written.
    expect(summary.status).not.toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toEqual([]);
    const refused = summary.fixes.filter((f) => f.source === "llm");
    // Every candidate got its own verdict: the first one's timeout did not stop the next from being tried.
    expect(refused.length).toBeGreaterThan(1);
    for (const fix of refused) {
      expect(fix.status).toBe("rejected");
      expect(fix.rule).toBe("validation");
      expect(fix.reason).toMatch(/policy: the check could not run \(python helper op "policy_findings" timed out after 0 ms\)/);
    }
    expect(readFileSync(join(copy.root, DISCOUNT))).toEqual(original);
    // The helper still answers.
    expect(await parseSource(runtime.deps.helper, "x = 1\n")).toMatchObject({ ok: true });
  }, 120_000);
});

describe("op budgets", () => {
  it("grow with the source an op parses; ops without a budget get the helper's default", () => {
    const small = opTimeoutMs("policy_findings", 1_000)!;
    const big = opTimeoutMs("policy_findings", 172_000)!;
    expect(big).toBeGreaterThan(small);
    expect(opTimeoutMs("compare_tests", 2 * 172_000)!).toBeGreaterThan(big);
    expect(opTimeoutMs("sleep", 10)).toBeNull();
    expect(opTimeoutMs("parse", 10, { parse: { baseMs: 5, perKbMs: 0 } })).toBe(5);
  });
});
