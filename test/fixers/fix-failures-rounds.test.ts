// fixFailures reads the sources afresh each round: a round's analysis sees what the kept fixes of the round before wrote.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Analysis, Failure, FixProposal } from "../../src/domain/index.js";
import { fixFailures, registryPatternFinder } from "../../src/fixers/auto-fixer.js";
import { PythonHelper } from "../../src/python/client.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const APP = "tests/test_app.py::test_total_adds_shipping";
const RATES = "tests/test_rates.py::test_shipping_is_flat";

/** The fix for test_rates that no pattern makes: `shipping` defined in rates.py (what a model would propose). */
const defineShipping: FixProposal = {
  source: "pattern",
  strategy: "define_function",
  edits: [{ file: "rates.py", find: "FREE_FROM = 100\n", replace: "FREE_FROM = 100\n\n\ndef shipping(prices):\n    return FLAT\n" }],
  explanation: "rates.py defines shipping",
};

let copy: { root: string; cleanup: () => void };
let runner: TestRunnerAdapter;
let helper: PythonHelper;

beforeEach(async () => {
  copy = copyProject(fixturePath("proof", "chained-rounds"));
  runner = await createPytestAdapter({ projectRoot: copy.root, python: testPython });
  helper = await PythonHelper.start({ python: testPython, projectRoot: copy.root });
});

afterEach(async () => {
  await helper.close();
  copy.cleanup();
});

describe("fixFailures over rounds", () => {
  it("analyses each round against the sources the last round's fixes wrote: app.py's missing name is importable only then", async () => {
    const registry = registryPatternFinder({ helper, runner });
    const analysesOfApp: Analysis["fixStrategy"][] = [];
    const findPatternFix = (input: { failure: Failure; analysis: Analysis; projectRoot: string }) => {
      if (input.failure.nodeId === RATES) return defineShipping;
      if (input.failure.nodeId === APP) analysesOfApp.push(input.analysis.fixStrategy);
      return registry(input);
    };
    const baseline = await runner.runTests();
    expect(baseline.failures.map((f) => f.nodeId)).toEqual([APP, RATES]);

    const result = await fixFailures(baseline.failures, {}, { projectRoot: copy.root, runner, helper, baseline, findPatternFix });

    // Round 1: app.py's failure comes first, while rates.py has no `shipping` (nothing to import: the LLM's); then
    // rates.py gets it. Round 2 reads rates.py again, so the same NameError is now a missing import the pattern adds.
    expect(analysesOfApp).toEqual(["llm", "add_import"]);
    expect(result.iterations).toBe(2);
    expect(result.remainingFailures).toEqual([]);
    expect(result.records.filter((r) => r.status === "kept").map((r) => r.strategy)).toEqual(["define_function", "add_import"]);
  });
});
