import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonHelper } from "../../src/python/client.js";
import { checkTestIntegrity } from "../../src/validation/check-test-integrity.js";
import { createFixContext } from "../../src/validation/context.js";
import type { FixInput } from "../../src/validation/context.js";
import { classifyTestPath } from "../../src/validation/test-paths.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const projectRoot = fixturePath("validation", "project");
const testFile = readFileSync(join(projectRoot, "tests/test_calc.py"), "utf8");
const pyproject = readFileSync(join(projectRoot, "pyproject.toml"), "utf8");

const edit = (find: string, replace: string, text = testFile): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

let helper: PythonHelper;
beforeAll(async () => {
  helper = await PythonHelper.start({ python: testPython, projectRoot });
});
afterAll(() => helper.close());

const check = (fixed: string, over: Partial<FixInput> = {}) =>
  checkTestIntegrity(createFixContext({ original: testFile, fixed, filePath: "tests/test_calc.py", projectRoot, helper, ...over }));

describe("classifyTestPath", () => {
  it("knows pytest's test files, test folders and config files", () => {
    expect(classifyTestPath("tests/test_calc.py")).toBe("test");
    expect(classifyTestPath("app/test_utils.py")).toBe("test");
    expect(classifyTestPath("app/calc_test.py")).toBe("test");
    expect(classifyTestPath("conftest.py")).toBe("test");
    expect(classifyTestPath("tests/data/expected.json")).toBe("test");
    expect(classifyTestPath("pkg/test/helpers.py")).toBe("test");
    expect(classifyTestPath("pyproject.toml")).toBe("config");
    expect(classifyTestPath(".coveragerc")).toBe("config");
    expect(classifyTestPath("app/calc.py")).toBeNull();
    expect(classifyTestPath("app/testing_utils.py")).toBeNull();
    expect(classifyTestPath("specs/calc_spec.py", (p) => p.endsWith("_spec.py"))).toBe("test");
  });

  it("counts what decides how the test process starts and what it loads as pytest or redgreen's plugin as test code", () => {
    for (const path of [
      "redgreen_pytest_plugin.py",
      "src/redgreen_standby.py",
      "sitecustomize.py",
      "lib/usercustomize.py",
      "zz-probe.pth",
      ".venv/lib/python3.11/site-packages/evil.pth",
      "pytest.py",
      "_pytest/python.py",
      "pluggy/__init__.py",
    ]) {
      expect(classifyTestPath(path), path).toBe("test");
    }
    for (const path of ["app/pytest_helpers.py", "app/pytest/runner.py", "pytest_plugins.md", "app/site.py", "pth_tools.py"]) {
      expect(classifyTestPath(path), path).toBeNull();
    }
  });
});

describe("test edits", () => {
  it("rejects a fix that adds a module replacing redgreen's pytest plugin (it would write the run's results)", async () => {
    const fake = "import json, os\n\n\ndef pytest_configure(config):\n    open(os.environ['REDGREEN_JSONL'], 'a').write('{}')\n";
    const result = await check(fake, { filePath: "redgreen_pytest_plugin.py", original: "" });
    expect(result.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test file redgreen_pytest_plugin\.py; /)]);
  });

  it("rejects any edit to a test file by default", async () => {
    const result = await check(edit("assert add(1, 2) == 3", "assert add(1, 2) == 4"));
    expect(result.testEdit).toBe(false);
    expect(result.reasons).toEqual([
      expect.stringMatching(/^test-integrity: edits test file tests\/test_calc\.py; .*allowTestEdits is off/),
    ]);
  });

  it("allows a change that only adds imports to a test file", async () => {
    expect(await check(edit("import pytest\n", "import math\n\nimport pytest\n"))).toEqual({ reasons: [], warnings: [], testEdit: false });
    expect((await check(edit("from app.calc import add, div, interest", "from app.calc import RATE, add, div, interest"))).reasons).toEqual(
      [],
    );
  });

  it("does not count dropping an imported name as import-only", async () => {
    expect((await check(edit("from app.calc import add, div, interest", "from app.calc import add, interest"))).reasons).toHaveLength(1);
  });

  it("allows a non-weakening test edit with allowTestEdits, flagged as a test edit (risk high)", async () => {
    const result = await check(edit("assert add(1, 2) == 3", "assert add(1, 2) == 3.0"), { allowTestEdits: true });
    expect(result.reasons).toEqual([]);
    expect(result.testEdit).toBe(true);
    expect(result.warnings[0]).toMatch(/allowed by allowTestEdits; risk high/);
  });

  it("rejects edits to conftest.py and to data under tests/ by default", async () => {
    const conftest = "import pytest\n\n\n@pytest.fixture\ndef rate():\n    return 0.05\n";
    const ctx = createFixContext({
      original: conftest,
      fixed: conftest.replace("0.05", "0.06"),
      filePath: "tests/conftest.py",
      projectRoot,
      helper,
    });
    expect((await checkTestIntegrity(ctx)).reasons[0]).toMatch(/edits test file tests\/conftest\.py/);
    const data = createFixContext({
      original: '{"total": 5}\n',
      fixed: '{"total": 6}\n',
      filePath: "tests/data/expected.json",
      projectRoot,
      helper,
    });
    expect((await checkTestIntegrity(data)).reasons[0]).toMatch(/edits tests\/data\/expected\.json, which belongs to the tests/);
  });
});

describe("import-only edits", () => {
  const original = "from calc import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n";

  const usesAbs = original.replace("== 4", "== abs(4)");
  it.each([
    [
      "an import that shadows the tested function",
      original,
      original.replace("from calc import add\n", "from calc import add\nfrom operator import add\n"),
    ],
    [
      "a monkeypatch on the import's line",
      original,
      original.replace("from calc import add\n", "from calc import add\nimport calc; calc.add = lambda a, b: a + b\n"),
    ],
    ["an import inside the test function", original, original.replace("    assert", "    from operator import add\n    assert")],
    [
      "an import that shadows a builtin the test reads",
      usesAbs,
      usesAbs.replace("from calc import add\n", "from calc import add\nfrom operator import abs\n"),
    ],
  ])("counts %s as a test edit", async (_label, before, fixed) => {
    const result = await checkTestIntegrity(
      createFixContext({ original: before, fixed, filePath: "tests/test_add.py", projectRoot, helper }),
    );
    expect(result.reasons).toEqual([
      expect.stringMatching(/^test-integrity: edits test file tests\/test_add\.py; .*allowTestEdits is off/),
    ]);
  });

  it("still allows adding a missing import of a name the test reads but never bound", async () => {
    const missing = "def test_sep():\n    assert os.sep == '/'\n";
    const fixed = "import os\n\n\n" + missing;
    const result = await checkTestIntegrity(
      createFixContext({ original: missing, fixed, filePath: "tests/test_sep.py", projectRoot, helper }),
    );
    expect(result).toEqual({ reasons: [], warnings: [], testEdit: false });
    const extra = await checkTestIntegrity(
      createFixContext({ original, fixed: "import math\n" + original, filePath: "tests/test_add.py", projectRoot, helper }),
    );
    expect(extra.reasons).toEqual([]);
  });

  it("tells an import added to a 5,000-line test file from one line changed deep inside it (head and tail matched first)", async () => {
    const tests = Array.from({ length: 1_000 }, (_, i) => `def test_${i}():\n    assert add(${i}, 1) == ${i + 1}\n\n`).join("\n");
    const big = `from calc import add\n\n\n${tests}`;
    const long = (fixed: string) =>
      checkTestIntegrity(createFixContext({ original: big, fixed, filePath: "tests/test_big.py", projectRoot, helper }));
    expect(await long(`import math\n${big}`)).toEqual({ reasons: [], warnings: [], testEdit: false });
    const deep = await long(big.replace("assert add(700, 1) == 701", "assert add(700, 1) == 702"));
    expect(deep.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test file tests\/test_big\.py; .*allowTestEdits is off/)]);
  });
});

describe("weakening is rejected even with allowTestEdits", () => {
  const weakenings: Array<[string, string, string, RegExp]> = [
    ["deleting an assert", "    assert add(-1, 1) == 0\n", "", /deletes an assertion in test_add \[deleted_assert\]/],
    [
      "adding a skip decorator",
      "def test_add():",
      '@pytest.mark.skip(reason="flaky")\ndef test_add():',
      /adds pytest\.mark\.skip \[skip_marker\]/,
    ],
    [
      "adding an xfail decorator",
      "    def test_positive(self):",
      "    @pytest.mark.xfail\n    def test_positive(self):",
      /adds pytest\.mark\.xfail \[skip_marker\]/,
    ],
    [
      "adding a skipif that is always true",
      "def test_div():",
      "@pytest.mark.skipif(True, reason='later')\ndef test_div():",
      /adds pytest\.mark\.skipif \[skip_marker\]/,
    ],
    [
      "calling pytest.skip",
      "    assert add(1, 2) == 3\n",
      '    pytest.skip("later")\n    assert add(1, 2) == 3\n',
      /adds pytest\.skip \[skip_call\]/,
    ],
    [
      "marking the module with pytestmark",
      "import pytest\n",
      "import pytest\n\npytestmark = pytest.mark.xfail\n",
      /adds pytest\.mark\.xfail \[skip_marker\]/,
    ],
    ["== to !=", "assert add(1, 2) == 3", "assert add(1, 2) != 3", /comparison changed from == to != in test_add \[weakened_comparison\]/],
    [
      "== to in",
      "assert add(1, 2) == 3",
      "assert add(1, 2) in (3, 4)",
      /comparison changed from == to in \[weakened_comparison\]|from == to in in test_add/,
    ],
    ["> to >=", "> 0", ">= 0", /comparison changed from > to >= in TestInterest\.test_positive/],
    ["assert x to assert True", "assert add(1, 2) == 3", "assert True", /assertion made always true in test_add \[trivial_assert\]/],
    ["adding `or True`", "assert add(1, 2) == 3", "assert add(1, 2) == 3 or True", /\[trivial_assert\]/],
    [
      "dropping the comparison",
      "assert interest(Account(100.0)) == 5.0",
      "assert interest(Account(100.0))",
      /comparison removed from assertion/,
    ],
    ["loosening an approx tolerance", "rel=1e-3", "rel=0.5", /rel raised to 0\.5 in test_div \[loosened_tolerance\]/],
    [
      "adding a loose approx",
      "assert interest(Account(100.0)) == 5.0",
      "assert interest(Account(100.0)) == pytest.approx(5.0, abs=1)",
      /abs raised to 1 .*\[loosened_tolerance\]/,
    ],
    [
      "removing pytest.raises",
      '    with pytest.raises(ZeroDivisionError, match="zero"):\n        div(1, 0)\n',
      "    div(1, 1)\n",
      /removes pytest\.raises in test_div \[removed_raises\]/,
    ],
    [
      "broadening pytest.raises",
      'pytest.raises(ZeroDivisionError, match="zero")',
      "pytest.raises(Exception)",
      /expected exception broadened to Exception/,
    ],
    [
      "swallowing AssertionError",
      "    assert add(1, 2) == 3\n",
      "    try:\n        assert add(1, 2) == 3\n    except AssertionError:\n        pass\n",
      /\[swallowed_assertion\]/,
    ],
    ["returning before the asserts", "    assert add(1, 2) == 3\n", "    return\n    assert add(1, 2) == 3\n", /\[early_return\]/],
    ["renaming a test so pytest skips it", "def test_add():", "def _test_add():", /removes or renames test test_add \[removed_test\]/],
  ];

  it.each(weakenings)("rejects %s", async (_label, find, replace, message) => {
    const fixed = edit(find, replace);
    for (const allowTestEdits of [false, true]) {
      const result = await check(fixed, { allowTestEdits });
      expect(
        result.reasons.some((r) => message.test(r)),
        `${result.reasons.join("\n")}`,
      ).toBe(true);
    }
  });

  it("rejects unittest-style weakening", async () => {
    const original =
      "import unittest\n\n\nclass TestMath(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(1 + 1, 2)\n";
    const run = (fixed: string) =>
      checkTestIntegrity(createFixContext({ original, fixed, filePath: "tests/test_math.py", projectRoot, helper, allowTestEdits: true }));
    expect((await run(original.replace("assertEqual", "assertNotEqual"))).reasons[0]).toMatch(
      /assertion changed from assertEqual to assertNotEqual/,
    );
    expect((await run(original.replace("    def test_add", "    @unittest.skip('later')\n    def test_add"))).reasons[0]).toMatch(
      /adds unittest\.skip/,
    );
    expect(
      (await run(original.replace("self.assertEqual(1 + 1, 2)", "self.skipTest('no')\n        self.assertEqual(1 + 1, 2)"))).reasons[0],
    ).toMatch(/skipTest \[skip_call\]/);
    expect((await run(original.replace("assertEqual", "assertEquals"))).reasons).toEqual([]);
  });

  it("falls back to a text comparison when the test file does not parse", async () => {
    const broken = edit("def test_add():", "@pytest.mark.skip\ndef test_add(:");
    const result = await check(broken, { allowTestEdits: true });
    expect(result.reasons.some((r) => r.includes("[skip_marker]"))).toBe(true);
  });
});

describe("test configuration", () => {
  const cfg = (file: string, original: string, fixed: string, allowTestEdits = false) =>
    checkTestIntegrity(createFixContext({ original, fixed, filePath: file, projectRoot, helper, allowTestEdits }));

  it("rejects edits to pytest settings in pyproject.toml by default and allows unrelated sections", async () => {
    const touched = await cfg("pyproject.toml", pyproject, edit('addopts = "-ra"', 'addopts = "-ra -q"', pyproject));
    expect(touched.reasons).toEqual([expect.stringMatching(/edits test settings in pyproject\.toml \[tool\.pytest\.ini_options\]/)]);
    const unrelated = await cfg("pyproject.toml", pyproject, edit("dependencies = []", 'dependencies = ["attrs"]', pyproject));
    expect(unrelated).toEqual({ reasons: [], warnings: [], testEdit: false });
  });

  it("rejects weakening settings even with allowTestEdits", async () => {
    const deselect = await cfg(
      "pyproject.toml",
      pyproject,
      edit('addopts = "-ra"', 'addopts = "-ra --deselect tests/test_calc.py::test_add"', pyproject),
      true,
    );
    expect(deselect.reasons).toEqual([expect.stringMatching(/adds --deselect to addopts/)]);
    const coverage = await cfg("pyproject.toml", pyproject, edit("fail_under = 80", "fail_under = 50", pyproject), true);
    expect(coverage.reasons).toEqual([expect.stringMatching(/lowers coverage fail_under/)]);
    const harmless = await cfg("pyproject.toml", pyproject, edit('addopts = "-ra"', 'addopts = "-ra -q"', pyproject), true);
    expect(harmless.reasons).toEqual([]);
    expect(harmless.testEdit).toBe(true);
  });
});
