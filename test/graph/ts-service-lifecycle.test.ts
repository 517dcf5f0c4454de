// The language service around the workflow's runs: built during a failing run, released before full runs.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../graph/runtime.js";
import { runWorkflow } from "../../graph/run.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";

let runtime: WorkflowRuntime | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const c of cleanups.splice(0)) c();
});

/** A copy of the shop without the discount bug (only a model fixes it): the patterns take it to green. */
function shopCopy(): string {
  const copy = copyJsProject(exampleTsShop);
  cleanups.push(copy.cleanup);
  rmSync(join(copy.root, "src", "discount.ts"));
  rmSync(join(copy.root, "tests", "discount.test.ts"));
  return copy.root;
}

/**
 * The workflow run to its end on a shop copy with every run (and its first progress and first failure heard), warm,
 * release and query of the language service logged.
 */
async function loggedShopRun(
  workflowOptions: { warmDuringRunMaxTests?: number } = {},
  root: string = shopCopy(),
): Promise<{ status: string; log: string[] }> {
  await runtime?.close();
  const input = {
    projectRoot: root,
    env: {},
    testTimeoutSeconds: 5,
    runner: "vitest" as const,
    options: { noLlm: true, ...workflowOptions },
  };
  runtime = await createWorkflowRuntime(input);
  const log: string[] = [];
  const { adapter, typescript } = runtime.deps;
  const watched = Object.create(adapter) as TestRunnerAdapter;
  watched.runTests = async (options = {}) => {
    const kind = options.files?.length ? "targeted" : options.affectedBy?.length ? "affected" : "full";
    log.push(`${kind} run`);
    let heard = false;
    let failing = false;
    const onProgress: typeof options.onProgress = (p) => {
      if (!heard) log.push(`progress, ${p.failed} failed`);
      if (!failing && p.failed > 0) log.push("a failure heard");
      heard = true;
      failing ||= p.failed > 0;
      options.onProgress?.(p);
    };
    const result = await adapter.runTests({ ...options, onProgress });
    log.push("run done");
    return result;
  };
  const real = typescript!;
  const ts: TsProject = {
    ...real,
    projectRoot: real.projectRoot,
    diagnostics: (...args) => (log.push("ts"), real.diagnostics(...args)),
    codeFixes: (...args) => (log.push("ts"), real.codeFixes(...args)),
    localImports: (...args) => (log.push("ts"), real.localImports(...args)),
    inspect: (rel, fn, text, options) => (log.push("ts"), real.inspect!(rel, fn, text, options)),
    warm: async () => {
      log.push("warm");
      await real.warm!();
    },
    dispose: () => {
      log.push("released");
      real.dispose!();
    },
  };
  runtime.deps.adapter = watched;
  runtime.deps.typescript = ts;
  const summary = await runWorkflow(runtime.deps, { projectRoot: root }, { checkpointer: runtime.checkpointer });
  return { status: summary.status, log };
}

describe("the workflow's language service on a vitest project", () => {
  it("starts building at the first run's first failure and is released before each full run", async () => {
    const root = shopCopy();
    const { status, log } = await loggedShopRun({}, root);
    expect(status, log.join(", ")).toBe("passed");
    // The first run warms the service while it runs, at its first failure, once: the later full runs heard no failure.
    const heard = log.filter((e) => !e.startsWith("progress"));
    expect(heard.slice(0, 5)).toEqual(["released", "full run", "a failure heard", "warm", "run done"]);
    expect(log.filter((e) => e === "warm")).toHaveLength(1);
    expect(log).toContain("ts");
    // Every full run starts with no service held: released since it was last built or queried.
    const fullRuns = log.flatMap((e, i) => (e === "full run" ? [i] : []));
    expect(fullRuns.length).toBeGreaterThan(1);
    for (const i of fullRuns)
      expect(
        log
          .slice(0, i)
          .filter((e) => ["released", "warm", "ts"].includes(e))
          .at(-1),
      ).toBe("released");
    // A workflow on the suite now green builds nothing: no failure, no warm, and no query after the run.
    const again = await loggedShopRun({}, root);
    expect(again.status, again.log.join(", ")).toBe("passed");
    expect(again.log.filter((e) => !e.startsWith("progress"))).toEqual(["released", "full run", "run done"]);
    expect(again.log).toContain("progress, 0 failed");
  }, 180_000);

  it("is built after a run that collected more tests than warmDuringRunMaxTests (its report is not held beside it)", async () => {
    const { status, log } = await loggedShopRun({ warmDuringRunMaxTests: 0 });
    expect(status, log.join(", ")).toBe("passed");
    expect(log.filter((e) => !e.startsWith("progress") && e !== "a failure heard").slice(0, 3)).toEqual([
      "released",
      "full run",
      "run done",
    ]);
    expect(log).not.toContain("warm");
    expect(log.indexOf("ts")).toBeGreaterThan(log.indexOf("run done"));
  }, 180_000);
});
