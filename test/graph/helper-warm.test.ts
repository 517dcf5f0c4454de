// The Python helper around the workflow's first run: it reads the project's modules while a failing run goes on.
import { afterEach, describe, expect, it } from "vitest";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../graph/runtime.js";
import { runWorkflow } from "../../graph/run.js";
import type { PythonCaller } from "../../src/python/caller.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { copyExampleShop, copyJsProject, exampleTsShop } from "../helpers/project-copy.js";
import { testPython } from "../helpers/python-env.js";

let runtime: WorkflowRuntime | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const c of cleanups.splice(0)) c();
});

describe("the workflow's Python helper", () => {
  it("on a pytest project is warmed once, during the first run, after its first failure", async () => {
    // Without the shipping bug (only a model fixes it) the patterns take the shop to green.
    const copy = copyExampleShop({ withoutShipping: true });
    cleanups.push(copy.cleanup);
    runtime = await createWorkflowRuntime({
      projectRoot: copy.root,
      python: testPython,
      env: {},
      testTimeoutSeconds: 5,
      options: { noLlm: true },
    });
    const log: string[] = [];
    const { adapter, helper } = runtime.deps;
    const watched = Object.create(adapter) as TestRunnerAdapter;
    watched.runTests = async (options = {}) => {
      log.push("run");
      const result = await adapter.runTests({
        ...options,
        onProgress: (p) => {
          if (p.failed > 0 && !log.includes("failure seen")) log.push("failure seen");
          options.onProgress?.(p);
        },
      });
      log.push("run done");
      return result;
    };
    const real = helper!;
    const logged: PythonCaller = {
      call: (op, args, opts) => (log.push(op), real.call(op, args, opts)),
      warm: async () => {
        log.push("warm");
        await real.warm!();
      },
    };
    runtime.deps.adapter = watched;
    runtime.deps.helper = logged;
    const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root }, { checkpointer: runtime.checkpointer });
    expect(summary.status, log.join(", ")).toBe("passed");
    // The helper's calls after the run find it warmed: the warm op ran before the first run ended, and only then.
    expect(log.slice(0, 4)).toEqual(["run", "failure seen", "warm", "run done"]);
    expect(log.filter((e) => e === "warm")).toHaveLength(1);
    expect(log.indexOf("import_plan")).toBeGreaterThan(log.indexOf("run done"));
  }, 180_000);

  it("on a vitest project has nothing to warm: its helper starts only if an op is called", async () => {
    const copy = copyJsProject(exampleTsShop);
    cleanups.push(copy.cleanup);
    runtime = await createWorkflowRuntime({ projectRoot: copy.root, env: {}, runner: "vitest", options: { noLlm: true } });
    expect(runtime.deps.helper?.warm).toBeUndefined();
  });
});
