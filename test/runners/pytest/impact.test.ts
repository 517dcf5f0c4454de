// The pytest adapter's per-test coverage map (pytest-cov test contexts) and affected-test selection, with real pytest.
import { appendFileSync } from "node:fs";
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
    expect(r.command.join(" ")).toContain("--cov-context=test");
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
