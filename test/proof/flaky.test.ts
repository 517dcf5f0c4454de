// The pre-fix flakiness check with real pytest and vitest: deterministic failures are not re-run, each root cause only sampled.
import { afterAll, describe, expect, it } from "vitest";
import type { RunTestsOptions, TestRunnerAdapter } from "../../src/runners/adapter.js";
import { findFlaky } from "../../src/proof/flaky.js";
import { sampleFlakyCandidates } from "../../src/proof/flaky-sample.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { createVitestAdapter } from "../../src/runners/vitest/adapter.js";
import { jsFixtureCopies } from "../runners/js/fixtures.js";
import { testPython } from "../helpers/python-env.js";
import { fixtureCopies } from "../runners/pytest/fixture-copies.js";

const copies = fixtureCopies();
const jsCopies = jsFixtureCopies("vitest");
afterAll(() => {
  copies.cleanup();
  jsCopies.cleanup();
});

/** The adapter, recording the node ids of every targeted run. */
function recording(inner: TestRunnerAdapter): { adapter: TestRunnerAdapter; targeted: string[][] } {
  const targeted: string[][] = [];
  const adapter = Object.create(inner) as TestRunnerAdapter;
  adapter.runTests = (options: RunTestsOptions = {}) => {
    if (options.files?.length) targeted.push([...options.files]);
    return inner.runTests(options);
  };
  return { adapter, targeted };
}

const group = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}[${i}]`);

describe("findFlaky", () => {
  it("re-runs a sample per root cause, none of the import/name errors, and every member of a flaky group", async () => {
    const { adapter, targeted } = recording(await createPytestAdapter({ projectRoot: copies.copy("flaky_groups"), python: testPython }));
    const first = await adapter.runTests();
    expect([first.failed, first.errors, first.passed]).toEqual([15, 1, 1]);
    const candidates = [...new Set(first.failures.map((f) => f.nodeId))];

    const sample = sampleFlakyCandidates(first.failures, candidates);
    expect(sample.deterministic.sort()).toEqual([
      "tests/test_import_error.py",
      "tests/test_name_error.py::test_misspelt_one",
      "tests/test_name_error.py::test_misspelt_two",
    ]);

    const found = await findFlaky(adapter, first.failures, candidates);
    expect(found.flaky.sort()).toEqual(group("tests/test_flaky_group.py::test_first_run_fails", 5));
    expect(found.rerun).toBe(8);
    expect(targeted.map((ids) => ids.length)).toEqual([6, 2]);
    expect(targeted[0]!.filter((id) => id.includes("test_same_cause"))).toEqual(group("tests/test_same_cause.py::test_add", 3));
    expect(targeted.flat().some((id) => id.includes("test_name_error") || id.includes("test_import_error"))).toBe(false);
  });

  it("caps the sample and still represents every group", async () => {
    const { adapter } = recording(await createPytestAdapter({ projectRoot: copies.copy("flaky_groups"), python: testPython }));
    const first = await adapter.runTests({ files: ["tests/test_same_cause.py", "tests/test_flaky_group.py"] });
    const ids = [...new Set(first.failures.map((f) => f.nodeId))];
    const { sample } = sampleFlakyCandidates(first.failures, ids, { perGroup: 3, max: 2 });
    expect(sample).toEqual(["tests/test_same_cause.py::test_add[0]", "tests/test_flaky_group.py::test_first_run_fails[0]"]);
  });

  it("takes a vitest ReferenceError (a name no scope declares) as deterministic, like Python's NameError", async () => {
    const { adapter, targeted } = recording(await createVitestAdapter({ projectRoot: jsCopies.copy("failing") }));
    const first = await adapter.runTests({ files: ["tests/cart.test.ts"] });
    const undefinedName = "tests/cart.test.ts::mistakes in tests > uses an undefined name";
    expect(first.failures.find((f) => f.nodeId === undefinedName)?.errorType).toBe("ReferenceError");
    const candidates = [...new Set(first.failures.map((f) => f.nodeId))];
    expect(sampleFlakyCandidates(first.failures, candidates).deterministic).toEqual([undefinedName]);
    await findFlaky(adapter, first.failures, candidates);
    expect(targeted.slice(1).flat()).not.toContain(undefinedName);
    expect(targeted.slice(1).flat().length).toBeGreaterThan(0);
  });
});
