// missing-import homes that cannot be imported or called as the file calls them: a Sphinx doc/source/conf.py binding a
// string `version` (nothing puts its folder on sys.path) and platform.version (takes no argument) against importlib.metadata;
// and an import placed where it binds in time: above module-level code that reads the name, not with later imports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-import reach and call shape (fixture: patterns/import-reach)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("import-reach");
  });
  afterAll(async () => p?.close());

  it("starts red with the NameErrors of the deleted imports", () => {
    expect(p.before.failures.map((f) => `${f.errorType}: ${f.errorMessage.split("\n")[0]}`).sort()).toEqual([
      "NameError: name 'sys' is not defined",
      "NameError: name 'version' is not defined",
      "NameError: name 'version' is not defined",
    ]);
  });

  it("imports version from importlib.metadata: not from the doc script's conf, not platform.version()", async () => {
    const fix = await p.fix("test_versions.py::test_reports_pytest_version");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    const source = await p.read("kit/versions.py");
    expect(source).toContain("\nfrom importlib.metadata import version\n");
    expect(source).not.toMatch(/from (conf|platform) import/);
  });

  it("puts `import sys` above the module-level line that reads it, not after the file's last import", async () => {
    const fix = await p.fix("test_compat.py::test_flags_load");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("kit/compat.py")).toContain("\nimport operator\nimport sys\n\nPY3 = sys.version_info[0] > 2\n");
  });

  it("keeps an import only a package's __getattr__ reads inside that function, out of the package's namespace", async () => {
    const fix = await p.fix("test_meta.py::test_lazy_version");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("kit/meta/__init__.py")).toContain(
      "def __getattr__(name):\n    from importlib.metadata import version\n    if name",
    );
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });
});
