// Progress stays honest, on the real two-names project (real pytest, proveFix with keepProgress): a fix that trades the
// failure for another one (the name renamed away, a new error above the old one) is rolled back, not kept as progress.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileEdit, TestRunResult } from "../../src/domain/index.js";
import { proveFix } from "../../src/proof/index.js";
import { PythonHelper } from "../../src/python/client.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const SHAPES = "geometry/shapes.py";
const TARGETS = ["tests/test_shapes.py::test_circumference", "tests/test_shapes.py::test_area"];

let copy: { root: string; cleanup: () => void };
let adapter: TestRunnerAdapter;
let helper: PythonHelper;
let baseline: TestRunResult;
beforeAll(async () => {
  copy = copyProject(fixturePath("proof", "two-names"));
  adapter = await createPytestAdapter({ projectRoot: copy.root, python: testPython });
  helper = await PythonHelper.start({ python: testPython, projectRoot: copy.root });
  baseline = await adapter.runTests();
}, 60_000);
afterAll(async () => {
  await helper?.close();
  copy?.cleanup();
});

const prove = (edits: FileEdit[], keepProgress = true) =>
  proveFix(
    { proposal: { source: "llm", strategy: "edit", edits, explanation: "test" }, targets: TARGETS, baseline },
    {
      projectRoot: copy.root,
      adapter,
      helper,
      journal: createMemoryJournal(),
      journalKey: { workflowId: "w", signature: edits.map((e) => e.replace).join("|") },
      allowTestEdits: false,
      coverage: false,
      keepProgress,
    },
  );

const original = (): string => readFileSync(fixturePath("proof", "two-names", SHAPES), "utf8");

describe("what is not progress", () => {
  it("starts with both tests failing on NameError 'pi'", () => {
    expect(baseline.failures.map((f) => f.errorMessage)).toEqual(["name 'pi' is not defined", "name 'pi' is not defined"]);
  });

  it("renaming the missing name to another missing one at the same statement is a different failure", async () => {
    const o = await prove([{ file: SHAPES, find: "round(2 * pi * radius, 2)", replace: "round(2 * tau * radius, 2)" }]);
    expect(o).toMatchObject({ status: "rolled_back", rule: "still_failing", progress: false });
    expect(readFileSync(join(copy.root, SHAPES), "utf8")).toBe(original());
  }, 120_000);

  it("a new error in lines inserted above the old failure is not a failure further on", async () => {
    const o = await prove([
      {
        file: SHAPES,
        find: "def circle(radius):\n",
        replace: "def circle(radius):\n    unit = 'cm'\n    radius = int(str(radius) + unit)\n",
      },
    ]);
    expect(o).toMatchObject({ status: "rolled_back", rule: "still_failing", progress: false });
    expect(readFileSync(join(copy.root, SHAPES), "utf8")).toBe(original());
  }, 120_000);

  it("without keepProgress the real first step is rolled back as before", async () => {
    const o = await prove([{ file: SHAPES, find: '"""Circle measures', replace: 'from math import pi\n\n"""Circle measures' }], false);
    expect(o).toMatchObject({ status: "rolled_back", rule: "still_failing", progress: false });
  }, 120_000);

  it("with keepProgress the real first step is kept as progress, the files left changed", async () => {
    const o = await prove([{ file: SHAPES, find: '"""Circle measures', replace: 'from math import pi\n\n"""Circle measures' }]);
    expect(o).toMatchObject({ status: "kept", rule: "progress", progress: true, fixedNodeIds: [] });
    expect(o.evidence).toHaveLength(2);
    expect(o.fullRun?.failures.map((f) => f.errorMessage)).toEqual(["name 'Decimal' is not defined", "name 'Decimal' is not defined"]);
    expect(readFileSync(join(copy.root, SHAPES), "utf8")).toMatch(/^from math import pi$/m);
  }, 120_000);
});
