// What counts as fixed in a proof, against the real workflow (real pytest, patterns only, a real SQLite store):
// a conftest collection error is fixed when its tests collect, and a fix that moves a failure further on is kept as progress.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runWorkflow } from "../../graph/run.js";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../graph/runtime.js";
import { renderRunSummary } from "../../src/cli/workflow-report.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

let runtime: WorkflowRuntime | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const c of cleanups.splice(0)) c();
});

/** Runs the workflow without a model on a fresh copy of a test/fixtures/proof project. */
async function fix(name: string, maxIterations: number) {
  const copy = copyProject(fixturePath("proof", name));
  cleanups.push(copy.cleanup);
  runtime = await createWorkflowRuntime({
    projectRoot: copy.root,
    python: testPython,
    env: {},
    testTimeoutSeconds: 5,
    options: { coverage: false, noLlm: true },
  });
  const summary = await runWorkflow(runtime.deps, { projectRoot: copy.root, maxIterations }, { checkpointer: runtime.checkpointer });
  return { summary, root: copy.root };
}

describe("a collection error is fixed when collection succeeds", () => {
  it("keeps the import that lets tests/conftest.py import the package, though the conftest itself holds no test", async () => {
    const { summary, root } = await fix("conftest-import", 2);
    expect(summary.initial).toMatchObject({ passed: 0, errors: 1, total: 1 });
    expect(summary.fixes).toHaveLength(1);
    expect(summary.fixes[0]).toMatchObject({
      status: "kept",
      file: "inventory/stock.py",
      reason: expect.stringContaining("tests/conftest.py"),
    });
    expect(summary.fixes[0]!.rule).toBeUndefined();
    expect(readFileSync(join(root, "inventory", "stock.py"), "utf8")).toMatch(/^from decimal import Decimal$/m);
    expect(summary.status).toBe("passed");
    expect(summary.final).toMatchObject({ passed: 2, failed: 0, errors: 0 });
  }, 120_000);
});

describe("partial progress is kept, never counted as fixed", () => {
  it(
    "restores `pi`, which only moves NameError 'pi' to NameError " + "'Decimal' on a later line, then `Decimal` in the next round",
    async () => {
      const { summary, root } = await fix("two-names", 3);
      const [first, second] = summary.fixes;
      expect(first).toMatchObject({ iteration: 1, status: "kept", rule: "progress" });
      expect(first!.reason).toMatch(/^progress on 2 of 2 failing test\(s\), none fixed yet/);
      expect(first!.evidence).toContain(
        "tests/test_shapes.py::test_circumference: NameError: name 'pi' is not defined -> NameError: name 'Decimal' is not defined",
      );
      expect(second).toMatchObject({ iteration: 2, status: "kept" });
      expect(second!.rule).toBeUndefined();
      expect(summary.status).toBe("passed");
      expect(summary.final).toMatchObject({ passed: 2, failed: 0 });
      const shapes = readFileSync(join(root, "geometry", "shapes.py"), "utf8");
      expect(shapes).toContain("pi");
      expect(renderRunSummary(summary)).toMatch(/\[progress\] iteration 1 pattern\//);
    },
    180_000,
  );

  it("stops short of green when the rounds run out after the progress: the run is never reported passed", async () => {
    const { summary } = await fix("two-names", 1);
    expect(summary.fixes.map((f) => [f.status, f.rule])).toEqual([["kept", "progress"]]);
    expect(summary.status).toBe("max_iterations");
    expect(summary.final).toMatchObject({ passed: 0, failed: 2 });
    expect(summary.remainingFailures.map((f) => f.message)).toEqual(["name 'Decimal' is not defined", "name 'Decimal' is not defined"]);
  }, 120_000);
});
