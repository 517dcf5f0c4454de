import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../src/cli/workflow-deps.js";
import { runWorkflow } from "../../graph/run.js";
import { copyProject } from "../helpers/project-copy.js";
import { testDir, testPython } from "../helpers/python-env.js";

const shop = join(testDir, "..", "examples", "shop");

describe("workflow graph on examples/shop", () => {
  let runtime: WorkflowRuntime | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await runtime?.close();
    cleanup?.();
  });

  it("fixes four different bugs in four files with patterns only", async () => {
    const copy = copyProject(shop);
    cleanup = copy.cleanup;
    runtime = await createWorkflowRuntime({ projectRoot: copy.root, python: testPython, env: {}, options: { noLlm: false } });
    const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root }, { checkpointer: runtime.checkpointer });
    console.log(JSON.stringify({ ...summary, patch: summary.patch.length }, null, 1));
    expect(summary.status).toBe("passed");
    expect(summary.initial?.failed).toBe(6);
    expect(summary.final?.failed).toBe(0);
    expect(summary.fixes.filter((f) => f.status === "kept").map((f) => f.file).sort()).toEqual([
      "shop/cart.py",
      "shop/notify.py",
      "shop/orders.py",
      "shop/pricing.py",
    ]);
    expect(summary.notes.some((n) => n.startsWith("LLM step skipped: no model configured"))).toBe(summary.fixes.length < 4);
    expect(readFileSync(join(copy.root, "shop", "orders.py"), "utf8")).toContain("conn.commit()");
    expect(summary.patchPath).not.toBeNull();
  }, 120_000);
});
