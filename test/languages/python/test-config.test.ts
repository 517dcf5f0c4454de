import { describe, expect, it } from "vitest";
import { analyzeTestConfigChange } from "../../../src/languages/python/test-config.js";

describe("analyzeTestConfigChange", () => {
  it("treats all of pytest.ini and .coveragerc as test settings", () => {
    const ini = "[pytest]\naddopts = -ra\nxfail_strict = true\n";
    expect(analyzeTestConfigChange("pytest.ini", ini, ini.replace("-ra", "-ra -q"))).toEqual({
      touched: true,
      sections: ["pytest"],
      weakenings: [],
    });
    expect(analyzeTestConfigChange("pytest.ini", ini, ini.replace("true", "false")).weakenings).toEqual([
      "turns off xfail_strict (pytest.xfail_strict)",
    ]);
    const rc = "[run]\nbranch = True\n\n[report]\nfail_under = 90\nexclude_lines =\n    pragma: no cover\n";
    expect(analyzeTestConfigChange(".coveragerc", rc, rc + "    def __repr__\n").weakenings).toEqual([
      "excludes more code from coverage: exclude_lines (report.exclude_lines)",
    ]);
    expect(analyzeTestConfigChange(".coveragerc", rc, rc.replace("fail_under = 90", "fail_under = 10")).weakenings).toEqual([
      "lowers coverage fail_under (report.fail_under)",
    ]);
  });

  it("only counts the pytest and coverage sections of setup.cfg and tox.ini", () => {
    const cfg = "[metadata]\nname = demo\n\n[tool:pytest]\naddopts =\n    -ra\ntestpaths = tests\n\n[coverage:run]\nomit = setup.py\n";
    expect(analyzeTestConfigChange("setup.cfg", cfg, cfg.replace("name = demo", "name = demo2")).touched).toBe(false);
    const narrowed = analyzeTestConfigChange("setup.cfg", cfg, cfg.replace("    -ra\n", "    -ra\n    -k not slow\n"));
    expect(narrowed).toEqual({ touched: true, sections: ["tool:pytest"], weakenings: ["adds -k to addopts (tool:pytest.addopts)"] });
    expect(analyzeTestConfigChange("setup.cfg", cfg, cfg.replace("omit = setup.py", "omit = setup.py, app/*")).weakenings).toEqual([
      "excludes more code from coverage: omit (coverage:run.omit)",
    ]);
    const tox = "[tox]\nenvlist = py311\n\n[pytest]\ntestpaths = tests\n";
    expect(analyzeTestConfigChange("tox.ini", tox, tox.replace("py311", "py312")).touched).toBe(false);
    expect(analyzeTestConfigChange("tox.ini", tox, tox.replace("testpaths = tests", "testpaths = tests/unit")).weakenings).toEqual([
      "changes test collection: testpaths (pytest.testpaths)",
    ]);
  });

  it("reads TOML arrays and dotted [tool] keys in pyproject.toml", () => {
    const toml =
      '[tool.pytest.ini_options]\naddopts = [\n  "-ra",\n]\nfilterwarnings = [\n  "error",\n  ' +
      '"ignore::DeprecationWarning",\n]\n\n[tool]\ncoverage.report.fail_under = 80\n';
    const plugin = analyzeTestConfigChange("pyproject.toml", toml, toml.replace('  "-ra",\n', '  "-ra",\n  "-p", "no:randomly",\n'));
    expect(plugin.weakenings).toEqual(["disables a pytest plugin with -p no: (tool.pytest.ini_options.addopts)"]);
    const filters = analyzeTestConfigChange("pyproject.toml", toml, toml.replace('  "error",\n', ""));
    expect(filters.weakenings).toEqual(['removes an "error" warning filter (tool.pytest.ini_options.filterwarnings)']);
    const dotted = analyzeTestConfigChange("pyproject.toml", toml, toml.replace("fail_under = 80", "fail_under = 0"));
    expect(dotted).toEqual({
      touched: true,
      sections: ["tool"],
      weakenings: ["lowers coverage fail_under (tool.coverage.report.fail_under)"],
    });
    const cov = analyzeTestConfigChange(
      "pyproject.toml",
      '[tool.pytest.ini_options]\naddopts = "--cov=app --cov-fail-under=90"\n',
      '[tool.pytest.ini_options]\naddopts = "--cov=app --cov-fail-under=70"\n',
    );
    expect(cov.weakenings).toEqual(["lowers --cov-fail-under (tool.pytest.ini_options.addopts)"]);
  });
});

describe("analyzeTestConfigChange: other pyproject.toml spellings", () => {
  const base = '[project]\nname = "demo"\n\n[tool]\nblack = { line-length = 100 }\n';

  it("treats a root-level dotted tool.pytest key as a test-config edit", () => {
    const fixed = 'tool.pytest.ini_options.addopts = "--deselect tests/test_calc.py::test_add"\n' + base;
    expect(analyzeTestConfigChange("pyproject.toml", base, fixed)).toEqual({
      touched: true,
      sections: ["pyproject.toml"],
      weakenings: ["adds --deselect to addopts (tool.pytest.ini_options.addopts)"],
    });
  });

  it("treats an inline pytest table under [tool] as a test-config edit and reads the settings inside it", () => {
    const fixed = base + 'pytest = { ini_options = { addopts = "-ra --deselect tests/t.py::x", testpaths = ["tests/unit"] } }\n';
    expect(analyzeTestConfigChange("pyproject.toml", base, fixed)).toEqual({
      touched: true,
      sections: ["tool"],
      weakenings: [
        "adds --deselect to addopts (tool.pytest.ini_options.addopts)",
        "changes test collection: testpaths (tool.pytest.ini_options.testpaths)",
      ],
    });
    expect(analyzeTestConfigChange("pyproject.toml", base, base.replace("100", "120")).touched).toBe(false);
  });
});
