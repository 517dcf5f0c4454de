// The workflow graph on a TypeScript project, run by real vitest and real jest: patterns only, then with a model.
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkflowRuntime, type WorkflowDepsInput, type WorkflowRuntime } from "../../graph/runtime.js";
import { undoWorkflow } from "../../src/fixers/journal.js";
import { FIX_TOOL_NAME } from "../../src/fixers/llm/response-schema.js";
import { readCheckpointState, runWorkflow } from "../../graph/run.js";
import { startOpenAiServer, type OpenAiTestServer } from "../helpers/openai-server.js";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";

const shop = exampleTsShop;
const PATTERN_FILES = ["src/cart.ts", "src/orders.ts", "src/users.ts"];

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

/** A temp copy of the shop; without the discount bug (only a model fixes it) a run with patterns alone ends green. */
function shopCopy({ withoutDiscount = false } = {}): string {
  const copy = copyJsProject(shop);
  cleanups.push(copy.cleanup);
  if (withoutDiscount) {
    rmSync(join(copy.root, "src", "discount.ts"));
    rmSync(join(copy.root, "tests", "discount.test.ts"));
  }
  return copy.root;
}

async function start(root: string, input: Partial<WorkflowDepsInput>) {
  runtime = await createWorkflowRuntime({ projectRoot: root, env: {}, testTimeoutSeconds: 5, ...input });
  return runWorkflow(runtime.deps, { projectRoot: root }, { checkpointer: runtime.checkpointer });
}

const keptFiles = (s: { fixes: { status: string; file: string }[] }): string[] =>
  s.fixes
    .filter((f) => f.status === "kept")
    .map((f) => f.file)
    .sort();
const read = (root: string, rel: string): string => readFileSync(join(root, rel), "utf8");
const expectTestsUntouched = (root: string): void => {
  for (const name of readdirSync(join(shop, "tests"))) {
    if (name.startsWith("discount") && !readdirSync(join(root, "tests")).includes(name)) continue;
    expect(readFileSync(join(root, "tests", name)), name).toEqual(readFileSync(join(shop, "tests", name)));
  }
};

describe.each(["vitest", "jest"] as const)("the workflow on a TypeScript project under %s", (runner) => {
  it("fixes a missing import, a missing await and an undefined access with the language service's fixes, no model", async () => {
    const root = shopCopy({ withoutDiscount: true });
    const summary = await start(root, { runner, options: { noLlm: true } });
    expect(runtime!.deps.adapter.name).toBe(runner);
    expect(summary.status).toBe("passed");
    expect(summary.iterations).toBe(1);
    expect(summary.initial).toMatchObject({ passed: 4, failed: 3, errors: 0 });
    expect(summary.final).toMatchObject({ passed: 7, failed: 0, errors: 0 });
    expect(keptFiles(summary)).toEqual(PATTERN_FILES);
    expect(summary.fixes.map((f) => f.strategy).sort()).toEqual(["add_await", "add_import", "add_none_check"]);
    expect(summary.fixes.every((f) => f.source === "pattern" && f.risk === "low")).toBe(true);
    expect(read(root, "src/cart.ts").startsWith('import { formatPrice } from "./money";\n')).toBe(true);
    expect(read(root, "src/users.ts")).toContain("  const user = await fetchUser(id);\n");
    expect(read(root, "src/orders.ts")).toContain('  return customer.address?.city ?? "unknown";\n');
    expectTestsUntouched(root);
    // `redgreen resume` reads the runner from the checkpoint, so a resumed run never re-detects a different one.
    expect((await readCheckpointState(runtime!.checkpointer, summary.workflowId))?.switches?.runner).toBe(runner);

    // undo puts every fixed file back byte for byte.
    const undone = await undoWorkflow(runtime!.deps.journal, summary.workflowId, root);
    expect(undone.refused).toEqual([]);
    for (const f of PATTERN_FILES) expect(readFileSync(join(root, f))).toEqual(readFileSync(join(shop, f)));
  }, 180_000);

  it("goes green with the model (loopback server) for the bug no pattern fixes, told it is TypeScript", async () => {
    const root = shopCopy();
    server = await startOpenAiServer();
    server.respondWithToolCall(FIX_TOOL_NAME, {
      edits: [
        {
          file: "src/discount.ts",
          find: "  return Math.round((cents * percent) / 100);",
          replace: "  return Math.round(cents - (cents * percent) / 100);",
        },
      ],
      explanation: "the function returned the discount instead of the discounted price",
      confidence: 0.9,
    });
    const summary = await start(root, { runner, model: "local-coder", baseUrl: server.url, llmSettings: { backoffMs: 5 } });
    expect(summary.status).toBe("passed");
    expect(summary.final).toMatchObject({ passed: 9, failed: 0, errors: 0 });
    expect(summary.fixes.filter((f) => f.source === "llm").map((f) => [f.status, f.file])).toEqual([["kept", "src/discount.ts"]]);
    expect(keptFiles(summary)).toEqual([...PATTERN_FILES, "src/discount.ts"].sort());
    // One prompt for the two discount failures, which share a root cause in applyDiscount.
    expect(server.requests).toHaveLength(1);
    const prompt = server.promptText(0);
    expect(prompt).toContain("You fix failing TypeScript/JavaScript tests");
    expect(prompt).toContain("*.test.*");
    expect(prompt).toContain("return Math.round((cents * percent) / 100);");
    expect(prompt).toMatch(/expected:? 900/);
    expect(read(root, "src/discount.ts")).toContain("return Math.round(cents - (cents * percent) / 100);");
    expectTestsUntouched(root);
  }, 180_000);
});
