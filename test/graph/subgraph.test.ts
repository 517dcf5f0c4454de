// buildRedgreenSubgraph inside a parent graph with its own reducer keys: what it reads, what it writes, nothing duplicated.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { BaseMessage } from "@langchain/core/messages";
import {
  Command,
  END,
  MemorySaver,
  MessagesValue,
  ReducedValue,
  START,
  StateGraph,
  StateSchema,
  isInterrupted,
} from "@langchain/langgraph";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildRedgreenSubgraph, RedgreenResultSchema } from "../../graph/subgraph.js";
import type { WorkflowDepsSource } from "../../graph/subgraph.js";
import { createRedgreenToolkit } from "../../graph/toolkit.js";
import type { RedgreenToolkit } from "../../graph/toolkit.js";
import type { ApprovalRequest, WorkflowEvent, WorkflowOptions } from "../../graph/deps.js";
import { createWorkflowRuntime } from "../../graph/runtime.js";
import type { WorkflowRuntime } from "../../graph/runtime.js";
import { runProcess } from "../../src/process/run.js";
import { copyExampleShop, copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const appendOnly = () =>
  new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.union([z.string(), z.array(z.string())]),
      reducer: (current: string[], next: string | string[]) => current.concat(next),
    },
  );

/**
 * A parent with its own reducer keys (messages, log) and keys named like the workflow's internal state (notes is
 * append-only there too, status, workflowId, iteration): none of them may be read or written by the subgraph.
 */
const ParentState = new StateSchema({
  messages: MessagesValue,
  log: appendOnly(),
  notes: appendOnly(),
  projectRoot: z.string(),
  redgreen: RedgreenResultSchema.nullable().default(null),
  status: z.string().default("parent status"),
  workflowId: z.string().default("parent workflow"),
  iteration: z.number().default(42),
});

function buildParent(source: WorkflowDepsSource, options: { workflowOptions?: Partial<WorkflowOptions> } = {}) {
  return new StateGraph(ParentState)
    .addNode("coder", () => ({ log: "coder: wrote the feature", messages: [new AIMessage("I wrote the feature; the tests are red.")] }))
    .addNode("fix_tests", buildRedgreenSubgraph(source, options))
    .addNode("review", (s) => ({ log: `review: redgreen says ${s.redgreen?.status ?? "nothing"}` }))
    .addEdge(START, "coder")
    .addEdge("coder", "fix_tests")
    .addEdge("fix_tests", "review")
    .addEdge("review", END)
    .compile({ checkpointer: new MemorySaver() });
}

const initial = (projectRoot: string) => ({
  messages: [new HumanMessage("add the feature and make the suite green")],
  log: ["start"],
  notes: ["a parent note"],
  projectRoot,
});

/** Real pytest on the project with test/.venv: exit code 0 means green. */
const pytestExit = async (root: string): Promise<number | null> =>
  (await runProcess(testPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: root, timeoutMs: 60_000 })).exitCode;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function toolkitFor(root: string): RedgreenToolkit {
  const toolkit = createRedgreenToolkit({ projectRoot: root, python: testPython, env: {}, testTimeoutSeconds: 5 });
  cleanups.push(() => toolkit.close());
  return toolkit;
}

describe("the redgreen subgraph as a node of a parent graph", () => {
  it("takes a red project green and writes only `redgreen` and one message back", async () => {
    const copy = copyExampleShop({ withoutShipping: true });
    cleanups.push(copy.cleanup);
    expect(await pytestExit(copy.root)).toBe(1);
    const toolkit = toolkitFor(copy.root);
    const parent = buildParent(toolkit.workflowDeps);
    const config = { configurable: { thread_id: "parent-1" } };

    const custom: unknown[] = [];
    const started = performance.now();
    for await (const [, mode, chunk] of await parent.stream(initial(copy.root), { ...config, streamMode: ["custom"], subgraphs: true })) {
      if (mode === "custom") custom.push(chunk);
    }
    const seconds = (performance.now() - started) / 1000;
    const out = (await parent.getState(config)).values as typeof ParentState.State;

    // Reducer keys: every entry exactly once.
    expect(out.log).toEqual(["start", "coder: wrote the feature", "review: redgreen says passed"]);
    expect(out.messages.map((m: BaseMessage) => [m.type, m.name ?? null])).toEqual([
      ["human", null],
      ["ai", null],
      ["ai", "redgreen"],
    ]);
    expect(out.messages[2]!.content).toMatch(/^redgreen workflow [\w-]+: PASSED after 1 iteration\. all tests pass\n/);
    // Keys named like the workflow's own state are the parent's, untouched.
    expect(out.notes).toEqual(["a parent note"]);
    expect(out).toMatchObject({ status: "parent status", workflowId: "parent workflow", iteration: 42, projectRoot: copy.root });
    // Nothing internal leaks into the parent.
    expect(Object.keys(out).sort()).toEqual(["iteration", "log", "messages", "notes", "projectRoot", "redgreen", "status", "workflowId"]);

    const result = out.redgreen!;
    expect(result).toMatchObject({
      status: "passed",
      iterations: 1,
      initial: { passed: 2, failed: 6 },
      final: { passed: 8, failed: 0, errors: 0 },
    });
    expect("patch" in result).toBe(false);
    expect(
      result.fixes
        .filter((f) => f.status === "kept")
        .map((f) => f.file)
        .sort(),
    ).toEqual(["shop/cart.py", "shop/notify.py", "shop/orders.py", "shop/pricing.py"]);
    expect(readFileSync(result.patchPath!, "utf8")).toContain("+    conn.commit()");
    expect(toolkit.store.getWorkflow(result.workflowId)).toMatchObject({ status: "passed", projectPath: copy.root, iterations: 1 });
    expect(await pytestExit(copy.root)).toBe(0);

    // The workflow's events reached the parent's "custom" stream.
    const events = custom.map((c) => (c as { redgreen: WorkflowEvent }).redgreen);
    expect(events[0]).toEqual({ kind: "node", node: "run_tests", iteration: 0, message: "running the full test suite" });
    expect(events.at(-1)).toMatchObject({ kind: "node", node: "report", message: "passed: all tests pass" });
    console.info(`subgraph run on examples/shop (4 bugs): ${seconds.toFixed(1)} s, ${events.length} events`);
  }, 120_000);

  it("passes an approval interrupt to the parent and resumes without starting a second workflow", async () => {
    const copy = copyProject(fixturePath("tools", "notes"));
    cleanups.push(copy.cleanup);
    const toolkit = toolkitFor(copy.root);
    const parent = buildParent(toolkit.workflowDeps, { workflowOptions: { approve: true } });
    const config = { configurable: { thread_id: "parent-approve" } };

    const paused = await parent.invoke(initial(copy.root), config);
    if (!isInterrupted(paused)) throw new Error("expected the parent to stop at the approval interrupt");
    const request = paused.__interrupt__[0]!.value as ApprovalRequest;
    expect(request).toMatchObject({ kind: "approve_fix", file: "notes/text.py", source: "pattern", strategy: "add_import" });
    expect(request.diff).toContain("+import textwrap");
    expect(readFileSync(join(copy.root, "notes", "text.py"), "utf8")).not.toContain("import textwrap");

    const out = await parent.invoke(new Command({ resume: { approve: true } }), config);
    expect(out.redgreen).toMatchObject({ status: "passed", iterations: 1 });
    expect(out.log).toEqual(["start", "coder: wrote the feature", "review: redgreen says passed"]);
    expect(out.messages).toHaveLength(3);
    expect(toolkit.store.listWorkflows({ projectPath: copy.root })).toHaveLength(1);
    expect(await pytestExit(copy.root)).toBe(0);
  }, 60_000);

  it("runs on fixed WorkflowDeps, standalone, and refuses a project those deps do not serve", async () => {
    const copy = copyProject(fixturePath("tools", "notes"));
    cleanups.push(copy.cleanup);
    const runtime: WorkflowRuntime = await createWorkflowRuntime({
      projectRoot: copy.root,
      python: testPython,
      env: {},
      options: { noLlm: true },
    });
    cleanups.push(() => runtime.close());
    const events: WorkflowEvent[] = [];
    const subgraph = buildRedgreenSubgraph(runtime.deps, { onEvent: (e) => events.push(e) });

    const elsewhere = copyProject(fixturePath("tools", "shop"));
    cleanups.push(elsewhere.cleanup);
    await expect(subgraph.invoke({ projectRoot: elsewhere.root })).rejects.toThrow(`these workflow deps run tests in ${copy.root}`);

    const out = await subgraph.invoke({ maxIterations: 2 });
    expect(Object.keys(out).sort()).toEqual(["messages", "redgreen"]);
    expect(out.redgreen).toMatchObject({ status: "passed", iterations: 1, final: { passed: 3, failed: 0 } });
    expect(runtime.deps.store.getWorkflow(out.redgreen!.workflowId)).toMatchObject({ maxIterations: 2, status: "passed" });
    expect(events.some((e) => e.kind === "tests")).toBe(true);
    expect(await pytestExit(copy.root)).toBe(0);
  }, 60_000);
});
