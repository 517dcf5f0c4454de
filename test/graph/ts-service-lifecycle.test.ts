// The language service around the workflow's runs: built during the first failing run, released before full runs.
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

/** The shop workflow run to its end with every run, warm, release and query of the language service logged. */
async function loggedShopRun(workflowOptions: { warmDuringRunMaxTests?: number } = {}): Promise<{ status: string; log: string[] }> {
  const copy = copyJsProject(exampleTsShop);
  cleanups.push(copy.cleanup);
  // Without the discount bug (only a model fixes it) the patterns take the shop to green.
  rmSync(join(copy.root, "src", "discount.ts"));
  rmSync(join(copy.root, "tests", "discount.test.ts"));
  const input = {
    projectRoot: copy.root,
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
    const result = await adapter.runTests(options);
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
  const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root }, { checkpointer: runtime.checkpointer });
  return { status: summary.status, log };
}

describe("the workflow's language service on a vitest project", () => {
  it("starts building during the first run's failures and is released before each full run", async () => {
    const { status, log } = await loggedShopRun();
    expect(status, log.join(", ")).toBe("passed");
    // The first run warms the service while it runs (it has failing tests), once.
    expect(log.slice(0, 4)).toEqual(["released", "full run", "warm", "run done"]);
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
  }, 180_000);

  it("is built after a run that collected more tests than warmDuringRunMaxTests (its report is not held beside it)", async () => {
    const { status, log } = await loggedShopRun({ warmDuringRunMaxTests: 0 });
    expect(status, log.join(", ")).toBe("passed");
    expect(log.slice(0, 3)).toEqual(["released", "full run", "run done"]);
    expect(log).not.toContain("warm");
    expect(log.indexOf("ts")).toBeGreaterThan(log.indexOf("run done"));
  }, 180_000);
});
