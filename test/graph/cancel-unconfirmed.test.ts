// A workflow stopped between a fix kept on its affected run and the iteration's confirming full run says so.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runWorkflow } from "../../graph/run.js";
import { stopWorkflowCleanly } from "../../graph/stop.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createWorkflowRuntime } from "../../graph/runtime.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

describe("a workflow cancelled with fixes not yet confirmed by a full run", () => {
  it("keeps them in the patch and says they still need the whole suite", async () => {
    const copy = copyProject(fixturePath("proof", "two-modules"));
    const runtime = await createWorkflowRuntime({ projectRoot: copy.root, python: testPython, env: {}, testTimeoutSeconds: 5 });
    try {
      const stop = new AbortController();
      const inner = runtime.deps.adapter;
      const adapter = Object.create(inner) as TestRunnerAdapter;
      // The caller goes away once the first fix was kept on its affected run, as the next run starts (the second fix's
      // proof; the iteration's confirming full run is still ahead).
      let keptOne = false;
      adapter.runTests = async (options: RunTestsOptions = {}) => {
        if (keptOne) stop.abort();
        const result = await inner.runTests(options);
        if (result.selection?.kind === "affected" && result.selection.fallback === undefined) keptOne = true;
        return result;
      };
      const deps = { ...runtime.deps, adapter, options: { ...runtime.deps.options, coverage: true } };
      const workflowId = "wf-cancel-unconfirmed";
      const running = runWorkflow(
        deps,
        { projectRoot: copy.root, workflowId },
        { checkpointer: runtime.checkpointer, signal: stop.signal },
      );
      await expect(running).rejects.toThrow();
      expect(stop.signal.aborted).toBe(true);
      const summary = await stopWorkflowCleanly(deps, workflowId, copy.root, runtime.checkpointer);
      expect(summary.status).toBe("cancelled");
      expect(
        summary.notes.filter((n) =>
          /1 kept fix\(es\) in the patch passed the tests their files affect but not yet the whole suite/.test(n),
        ),
      ).toHaveLength(1);
      expect(summary.patchPath).not.toBeNull();
      const patch = readFileSync(summary.patchPath!, "utf8");
      expect(patch.match(/^\+\+\+ /gm)).toHaveLength(1);
    } finally {
      await runtime.close();
      copy.cleanup();
    }
  }, 240_000);
});
