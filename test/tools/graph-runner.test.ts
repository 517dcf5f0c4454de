// createGraphRunWorkflow (via createRedgreenToolkit): events as progress, one run per project, cancel then resume.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resumeWorkflow } from "../../graph/run.js";
import { workflowEventToProgress } from "../../graph/tool-runner.js";
import { createRedgreenToolkit } from "../../graph/toolkit.js";
import type { RedgreenToolkit } from "../../graph/toolkit.js";
import type { WorkflowProgress } from "../../tools/index.js";
import { openStore } from "../../src/store/index.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function notesToolkit(): { root: string; toolkit: RedgreenToolkit } {
  const copy = copyProject(fixturePath("tools", "notes"));
  cleanups.push(copy.cleanup);
  const toolkit = createRedgreenToolkit({ projectRoot: copy.root, python: testPython, env: {}, testTimeoutSeconds: 5 });
  cleanups.push(() => toolkit.close());
  return { root: copy.root, toolkit };
}

const request = (projectRoot: string) => ({ projectRoot, allowTestEdits: false, noLlm: true, dryRun: false });

describe("workflowEventToProgress", () => {
  it("names the node, adds the round once fixing started, and marks per-test counts transient", () => {
    expect(workflowEventToProgress({ kind: "node", node: "run_tests", iteration: 0, message: "running the full test suite" }, 5)).toEqual({
      message: "run_tests: running the full test suite",
    });
    expect(workflowEventToProgress({ kind: "node", node: "validate", iteration: 2, message: "kept: fixed t" }, 3)).toEqual({
      message: "validate: kept: fixed t",
      iteration: 2,
      maxIterations: 3,
    });
    expect(workflowEventToProgress({ kind: "tests", phase: "targeted", done: 2, failed: 1, collected: 4 }, 5)).toEqual({
      message: "targeted tests: 2/4 tests run, 1 failed",
      transient: true,
    });
    expect(workflowEventToProgress({ kind: "tests", phase: "full", done: 7, failed: 0, collected: null }, 5).message).toBe(
      "full suite: 7 tests run, 0 failed",
    );
  });
});

describe("the graph runner", () => {
  it("refuses a second run on a project while one is running", async () => {
    const { root, toolkit } = notesToolkit();
    const first = toolkit.runWorkflow(request(root), {});
    const holder = `another redgreen \\(fix_failing_tests, pid ${process.pid}, workflow [0-9a-f-]{36}, started [^)]+\\)`;
    const busy = new RegExp(`^${holder} is changing ${root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; wait for it to finish`);
    await expect(toolkit.runWorkflow(request(root), {})).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(busy) });
    expect(await first).toMatchObject({ status: "passed", iterations: 1 });
    // Done: the project is free again (and green, so the next run has nothing to fix).
    expect(await toolkit.runWorkflow(request(root), {})).toMatchObject({ status: "passed", iterations: 0 });
  }, 60_000);

  it("a cancelled run stops, stays resumable, and `resume` finishes it from its checkpoint", async () => {
    const { root, toolkit } = notesToolkit();
    const cancel = new AbortController();
    const seen: WorkflowProgress[] = [];
    const run = toolkit.runWorkflow(request(root), {
      signal: cancel.signal,
      onProgress: (p) => {
        seen.push(p);
        // Cancel as soon as the first fix round starts: the initial run is already checkpointed.
        if (p.iteration === 1) cancel.abort(new Error("the caller gave up"));
      },
    });
    // Stopped cleanly: the run answers with a "cancelled" summary and the row no longer says "running".
    expect(await run).toMatchObject({ status: "cancelled", patchPath: null });
    const [workflow] = toolkit.store.listWorkflows({ projectPath: root });
    expect(workflow).toMatchObject({ status: "cancelled" });
    expect(readFileSync(join(root, "notes", "text.py"), "utf8")).not.toContain("import textwrap");

    const summary = await resumeWorkflow(await toolkit.workflowDeps(root, { options: { noLlm: true } }), workflow!.id, {
      checkpointer: toolkit.checkpointer,
    });
    expect(summary).toMatchObject({ workflowId: workflow!.id, status: "passed", iterations: 1 });
    expect(summary.initial).toMatchObject({ passed: 1, failed: 2 });
    expect(toolkit.store.getWorkflow(workflow!.id)).toMatchObject({ status: "passed" });
    expect(seen[0]).toEqual({ message: "run_tests: running the full test suite" });
  }, 60_000);

  it("toolkit.close() stops a start_fix workflow cleanly before closing the store", async () => {
    const { root, toolkit } = notesToolkit();
    const startFix = toolkit.tools().find((t) => t.name === "start_fix")!;
    const started = JSON.parse((await startFix.invoke({ noLlm: true })) as string) as { workflowId: string; status: string };
    expect(started).toMatchObject({ status: "running", projectPath: root });
    await toolkit.close();
    const store = openStore(toolkit.store.path);
    try {
      expect(store.getWorkflow(started.workflowId)).toMatchObject({ status: "cancelled" });
    } finally {
      store.close();
    }
    expect(readFileSync(join(root, "notes", "text.py"), "utf8")).not.toContain("import textwrap");
  }, 60_000);
});
