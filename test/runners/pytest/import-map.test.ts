// The pytest adapter's affected-test selection without per-test coverage: the static import map, with real pytest.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isPytestTestModule as isPytestTestFile } from "../../../src/analysis/language.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { ImportMap } from "../../../src/runners/pytest/import-map.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());

const adapterFor = async () => {
  const root = copies.copy("import-map");
  return { root, adapter: await createPytestAdapter({ projectRoot: root, python: testPython }) };
};

describe("pytest adapter: affectedBy with no coverage recorded (static import map)", () => {
  it("selects the test files importing a changed module, directly, transitively or through a conftest", async () => {
    const { adapter } = await adapterFor();
    // The workflow's first run is a full one: it names the suite's test files (bench/ is outside testpaths).
    expect(await adapter.runTests()).toMatchObject({ status: "passed", total: 6 });
    const core = await adapter.runTests({ affectedBy: ["pkg/core.py"] });
    expect(core).toMatchObject({ status: "passed", total: 2 });
    expect([...core.passedNodeIds].sort()).toEqual(["tests/test_core.py::test_base", "tests/test_mid.py::test_mid"]);
    expect(core.selection).toEqual({ kind: "affected", changedFiles: ["pkg/core.py"] });

    const mid = await adapter.runTests({ affectedBy: ["pkg/mid.py"] });
    expect(mid.passedNodeIds).toEqual(["tests/test_mid.py::test_mid"]);
    // pkg/helper.py is imported by tests/fixtures_user/conftest.py only: it counts for the tests below that conftest.
    const helper = await adapter.runTests({ affectedBy: ["pkg/helper.py"] });
    expect(helper.passedNodeIds).toEqual(["tests/fixtures_user/test_uses_fixture.py::test_uses_fixture"]);
    // A changed test module runs whole, alone when nothing imports it; a package's __init__ reaches its importers.
    const plain = await adapter.runTests({ affectedBy: ["tests/test_plain.py"] });
    expect(plain.passedNodeIds).toEqual(["tests/test_plain.py::test_plain"]);
    const init = await adapter.runTests({ affectedBy: ["pkg/__init__.py"] });
    expect(init.total).toBe(4);
    expect(init.selection?.fallback).toBeUndefined();
  }, 120_000);

  it("runs the whole suite, saying why, where the static map cannot tell", async () => {
    const { adapter } = await adapterFor();
    const fallback = async (file: string, why: string) => {
      const r = await adapter.runTests({ affectedBy: [file] });
      expect(r).toMatchObject({ status: "passed", total: 6 });
      expect(r.selection).toEqual({ kind: "affected", changedFiles: [file], fallback: expect.stringContaining(why) as string });
    };
    await fallback("pkg/dyn.py", "nothing imports pkg/dyn.py statically (it may be loaded dynamically");
    await fallback("pkg/star_a.py", "pkg/star_a.py is in a star-import cycle (pkg/star_a.py -> pkg/star_b.py -> pkg/star_a.py)");
    await fallback("pkg/data.txt", "pkg/data.txt is not a Python file");
    await fallback("pkg/gone.py", "pkg/gone.py is not in the static import map");
    await fallback("conftest.py", "conftest.py is a conftest.py");
    await fallback("tests/fixtures_user/conftest.py", "is a conftest.py");
    await fallback("pytest.ini", "pytest.ini is a configuration file");
    // One file the map cannot tell about sends the whole change to the whole suite.
    await adapter
      .runTests({ affectedBy: ["pkg/core.py", "pkg/dyn.py"] })
      .then((r) => expect(r.selection?.fallback).toContain("nothing imports pkg/dyn.py statically"));
  }, 120_000);

  it("follows edits: an edited module's imports are read again, the others come from the cache", async () => {
    const { root, adapter } = await adapterFor();
    await adapter.runTests();
    expect((await adapter.runTests({ affectedBy: ["pkg/core.py"] })).total).toBe(2);
    // pkg.mid stops importing pkg.core; tests/test_plain.py starts importing pkg.dyn.
    writeFileSync(join(root, "pkg/mid.py"), "def mid():\n    return 2\n");
    const plain = join(root, "tests/test_plain.py");
    writeFileSync(plain, `from pkg.dyn import loaded\n\n\n${readFileSync(plain, "utf8")}`);
    const core = await adapter.runTests({ affectedBy: ["pkg/core.py"] });
    expect(core.passedNodeIds).toEqual(["tests/test_core.py::test_base"]);
    const dyn = await adapter.runTests({ affectedBy: ["pkg/dyn.py"] });
    expect(dyn.selection?.fallback).toBeUndefined();
    expect(dyn.passedNodeIds).toEqual(["tests/test_plain.py::test_plain"]);

    const map = new ImportMap(root, testPython);
    const first = await map.build(isPytestTestFile);
    expect(first.stats).toMatchObject({ files: 16, parsed: 16 });
    // Before a full run names the suite's files, any file pytest's default patterns call a test may be selected.
    expect(first.testFilesImporting("pkg/core.py")).toEqual(["bench/test_bench_core.py", "tests/test_core.py"]);
    writeFileSync(join(root, "pkg/helper.py"), "def make():\n    return 7\n\n\ndef unused():\n    return 0\n");
    const second = await map.build(isPytestTestFile);
    expect(second.stats).toMatchObject({ files: 16, parsed: 1 });
    expect(second.testFilesImporting("pkg/helper.py")).toEqual(["tests/fixtures_user/test_uses_fixture.py"]);
  }, 120_000);
});
