// The pytest adapter's per-test coverage map (pytest-cov test contexts) and affected-test selection, with real pytest.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { guardAdapter } from "../../../src/proof/guard.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());

const adapterFor = async (fixture: string) => {
  const root = copies.copy(fixture);
  return { root, adapter: await createPytestAdapter({ projectRoot: root, python: testPython }) };
};

const ALPHA = ["tests/test_alpha.py::test_double", "tests/test_alpha.py::test_triple"];
const BETA = ["tests/test_beta.py::test_greet", "tests/test_beta.py::test_plain"];

describe("pytest adapter: per-test coverage map", () => {
  it("records which test ran which lines on a full run with coverage, and nothing before or without one", async () => {
    const { adapter } = await adapterFor("impact");
    expect(adapter.testCoverage?.()).toBeNull();
    expect((await adapter.runTests()).status).toBe("passed");
    expect(adapter.testCoverage?.()).toBeNull();
    // A run of given files measures coverage but records no map: it does not describe the suite.
    await adapter.runTests({ coverage: true, files: ["tests/test_alpha.py"] });
    expect(adapter.testCoverage?.()).toBeNull();

    const r = await adapter.runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.command.join(" ")).toContain("-p redgreen_test_contexts");
    const map = adapter.testCoverage?.();
    if (!map) throw new Error("no per-test coverage after a full run with coverage");
    expect([...map.tests()].sort()).toEqual([...ALPHA, ...BETA]);
    // Function bodies run inside tests; `def` lines ran at import, during collection, outside every test.
    expect(map.testsCovering("pkg/alpha.py")).toEqual(ALPHA);
    expect(map.testsCovering("pkg/beta.py")).toEqual(["tests/test_beta.py::test_greet"]);
    expect(map.testsCovering("./pkg/beta.py")).toEqual(["tests/test_beta.py::test_greet"]);
    // Measured (pytest-cov lists unexecuted files under the measured root) and run by no test; never measured: null.
    expect(map.testsCovering("pkg/unused.py")).toEqual([]);
    expect(map.testsCovering("pkg/new_module.py")).toBeNull();
    // Module-level code runs at import, during collection: no test's context holds it.
    expect(map.testsCovering("pkg/consts.py")).toEqual([]);
    expect(map.linesOf("tests/test_alpha.py::test_double")).toEqual(
      new Map([
        ["pkg/alpha.py", [2]],
        ["tests/test_alpha.py", [5]],
      ]),
    );
    expect(map.linesOf("tests/test_beta.py::test_plain")).toEqual(new Map([["tests/test_beta.py", [9]]]));
    expect(map.linesOf("tests/test_beta.py::test_missing")).toEqual(new Map());
  });

  it("follows the latest full run: a new test shows up, the old map is replaced", async () => {
    const { root, adapter } = await adapterFor("impact");
    await adapter.runTests({ coverage: true });
    const first = adapter.testCoverage?.();
    expect(first?.testsCovering("pkg/alpha.py")).toEqual(ALPHA);
    const added = "\n\ndef test_greets_twice():\n    from pkg.alpha import double\n    assert double(1) == 2\n";
    appendFileSync(join(root, "tests/test_beta.py"), added);
    await adapter.runTests({ coverage: true });
    const second = adapter.testCoverage?.();
    expect(second?.testsCovering("pkg/alpha.py")).toEqual([...ALPHA, "tests/test_beta.py::test_greets_twice"]);
    expect(second?.linesOf("tests/test_beta.py::test_greets_twice")).toEqual(
      new Map([
        ["pkg/alpha.py", [2]],
        ["tests/test_beta.py", [13, 14]],
      ]),
    );
  });

  it("records the same map when pytest-xdist runs the tests in workers", async () => {
    const root = copies.copy("impact");
    const adapter = await createPytestAdapter({ projectRoot: root, python: testPython, pytestArgs: ["-n", "2"] });
    const r = await adapter.runTests({ coverage: true });
    expect(r).toMatchObject({ status: "passed", total: 4 });
    const map = adapter.testCoverage?.();
    expect([...(map?.tests() ?? [])].sort()).toEqual([...ALPHA, ...BETA]);
    expect(map?.testsCovering("pkg/alpha.py")).toEqual(expect.arrayContaining(ALPHA));
    expect(map?.testsCovering("pkg/alpha.py")).toHaveLength(2);
    expect(map?.linesOf("tests/test_beta.py::test_greet")).toEqual(
      new Map([
        ["pkg/beta.py", [5]],
        ["tests/test_beta.py", [5]],
      ]),
    );
  });

  it("reads pytest-cov's own test contexts (nodeid|phase) when redgreen's plugins are not used", async () => {
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("impact"), python: testPython, usePlugin: false });
    const r = await adapter.runTests({ coverage: true });
    expect(r).toMatchObject({ status: "passed", source: "junit" });
    expect(r.command).toContain("--cov-context=test");
    const map = adapter.testCoverage?.();
    expect([...(map?.tests() ?? [])].sort()).toEqual([...ALPHA, ...BETA]);
    expect(map?.testsCovering("pkg/alpha.py")).toEqual(ALPHA);
    expect(map?.linesOf("tests/test_alpha.py::test_double")).toEqual(
      new Map([
        ["pkg/alpha.py", [2]],
        ["tests/test_alpha.py", [5]],
      ]),
    );
  });

  it("is read through the guarded adapter the workflow uses", async () => {
    const { adapter } = await adapterFor("impact");
    const guarded = guardAdapter(adapter);
    expect(guarded.testCoverage?.()).toBeNull();
    await guarded.runTests({ coverage: true });
    expect(guarded.testCoverage?.()?.testsCovering("pkg/beta.py")).toEqual(["tests/test_beta.py::test_greet"]);
  });

  it("works with the project's own [tool.coverage] settings: its source only, branch data (arcs)", async () => {
    const { adapter } = await adapterFor("coverage_config");
    const r = await adapter.runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.coverage!.files.map((f) => f.file)).toEqual(["pkg/__init__.py", "pkg/shapes.py"]);
    const map = adapter.testCoverage?.();
    if (!map) throw new Error("no per-test coverage for a project with its own coverage settings");
    expect(map.tests()).toEqual(["tests/test_shapes.py::test_area"]);
    // Only pkg is measured: test files are not, and the omitted module is unknown to the map.
    expect(map.testsCovering("tests/test_shapes.py")).toBeNull();
    expect(map.testsCovering("pkg/generated.py")).toBeNull();
    expect(map.testsCovering("pkg/shapes.py")).toEqual(["tests/test_shapes.py::test_area"]);
    // Lines from the branch arcs: the if and the return ran, the skipped body (line 4) did not.
    expect(map.linesOf("tests/test_shapes.py::test_area")).toEqual(new Map([["pkg/shapes.py", [3, 5]]]));
  });
});

describe("pytest adapter: affectedBy", () => {
  it("selects by the static import map before any full run recorded the coverage map", async () => {
    const { adapter } = await adapterFor("impact");
    const r = await adapter.runTests({ affectedBy: ["pkg/alpha.py"] });
    expect(r).toMatchObject({ status: "passed", total: 2, passedNodeIds: ALPHA });
    expect(r.selection).toEqual({ kind: "affected", changedFiles: ["pkg/alpha.py"] });
  });

  it("selects exactly the tests that executed a changed file, and falls back where the map cannot tell", async () => {
    const { root, adapter } = await adapterFor("impact");
    const full = await adapter.runTests({ coverage: true });
    expect(full.selection).toEqual({ kind: "all" });
    const map = adapter.testCoverage?.();

    const alpha = await adapter.runTests({ affectedBy: ["pkg/alpha.py"] });
    expect(alpha).toMatchObject({ status: "passed", total: 2, passedNodeIds: ALPHA });
    expect(alpha.selection).toEqual({ kind: "affected", changedFiles: ["pkg/alpha.py"] });
    // An absolute path inside the project names the same file; two files select the union.
    const both = await adapter.runTests({ affectedBy: [join(root, "pkg/beta.py"), "pkg/alpha.py"] });
    expect([...both.passedNodeIds].sort()).toEqual([...ALPHA, "tests/test_beta.py::test_greet"]);
    expect(both.selection).toEqual({ kind: "affected", changedFiles: ["pkg/beta.py", "pkg/alpha.py"] });
    // A file whose every test is selected is passed whole; single tests by node id.
    expect(both.command.slice(-2)).toEqual(["tests/test_beta.py::test_greet", "tests/test_alpha.py"]);
    // A changed test module runs whole: it may hold tests the map never saw.
    const testModule = await adapter.runTests({ affectedBy: ["tests/test_beta.py"] });
    expect([...testModule.passedNodeIds].sort()).toEqual(BETA);

    // A broken fix in alpha is seen by the selected tests.
    const alphaFile = join(root, "pkg/alpha.py");
    writeFileSync(alphaFile, readFileSync(alphaFile, "utf8").replace("x * 3", "x * 4"));
    adapter.invalidateCaches?.([alphaFile]);
    const broken = await adapter.runTests({ affectedBy: ["pkg/alpha.py"] });
    expect(broken).toMatchObject({ status: "failed", total: 2, passedNodeIds: ["tests/test_alpha.py::test_double"] });
    expect(broken.failures.map((f) => f.nodeId)).toEqual(["tests/test_alpha.py::test_triple"]);

    const fallback = async (file: string, why: string) => {
      const r = await adapter.runTests({ affectedBy: [file] });
      expect(r.total).toBe(4);
      expect(r.selection).toEqual({ kind: "affected", changedFiles: [file], fallback: expect.stringContaining(why) as string });
    };
    await fallback("pkg/new_module.py", "pkg/new_module.py is not measured by the per-test coverage map");
    await fallback("conftest.py", "conftest.py is a conftest.py");
    await fallback("pyproject.toml", "pyproject.toml is a configuration file");
    await fallback("pkg/consts.py", "pkg/consts.py ran only at import");

    // Measured, and executed by no test at all: nothing to run.
    const unused = await adapter.runTests({ affectedBy: ["pkg/unused.py"] });
    expect(unused).toMatchObject({ status: "no_tests", total: 0, passedNodeIds: [], failures: [] });
    expect(unused.selection).toEqual({ kind: "affected", changedFiles: ["pkg/unused.py"] });

    // Given files win over affectedBy; selected runs never replace the map.
    const given = await adapter.runTests({ files: ["tests/test_beta.py"], affectedBy: ["pkg/alpha.py"] });
    expect(given).toMatchObject({ total: 2, selection: { kind: "given" } });
    expect(adapter.testCoverage?.()).toBe(map);
  }, 240_000);
});
