// Python and TypeScript each run the LanguageSupport conformance suite on the same small module and test, written in each language.
import { PythonHelper } from "../../src/python/client.js";
import { LANGUAGES } from "../../src/languages/index.js";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runLanguageConformance, type LanguageSamples } from "./conformance.js";

const pyRoot = fixturePath("validation", "project");
let helper: PythonHelper | null = null;
const pyModule = "import math\n\n\ndef area(r):\n    return r * r\n";
const pyTest = "from app.shapes import area\n\n\ndef test_area():\n    assert area(3) == 28.274\n";
const pyConfig = '[project]\nname = "shapes"\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n\n[tool.coverage.report]\nfail_under = 80\n';

const python: LanguageSamples = {
  projectRoot: pyRoot,
  open: async () => ({ helper: (helper = await PythonHelper.start({ python: testPython, projectRoot: pyRoot })) }),
  close: () => helper?.close(),
  module: {
    file: "app/shapes.py",
    source: pyModule,
    broken: pyModule.replace("return r * r", "return (r * r"),
    badImport: pyModule.replace("import math\n", "import math\nimport module_that_exists_nowhere\n"),
    oneLine: pyModule.replace("return r * r", "return math.pi * r * r"),
    signatureChanged: pyModule.replace("def area(r):", "def area(r, scale):"),
    executes: pyModule.replace("return r * r", 'return eval("r * r")'),
    tabbed: pyModule.replace("    return r * r", "\tvalue = r * r\n\treturn value"),
    overfit: pyModule.replace("    return r * r", "    if r == 3:\n        return 28.274\n    return r * r"),
  },
  test: {
    file: "tests/test_shapes.py",
    nodeId: "tests/test_shapes.py::test_area",
    source: pyTest,
    assertionDeleted: pyTest.replace("    assert area(3) == 28.274\n", "    area(3)\n"),
    importAdded: pyTest.replace("from app.shapes import area\n", "import math\nfrom app.shapes import area\n"),
    broken: pyTest.replace("assert area(3)", "assert (area(3)"),
  },
  testConfig: {
    file: "pyproject.toml",
    source: pyConfig,
    changed: pyConfig.replace('addopts = "-ra"', 'addopts = "-ra -q"'),
    weakened: pyConfig.replace("fail_under = 80", "fail_under = 50"),
  },
};

const tsRoot = fixturePath("validation-ts", "project");
let typescript: TsProject | null = null;
const tsModule = 'import { round2 } from "./money.js";\n\nexport function area(r: number): number {\n  return r * r;\n}\n';
const tsConfig =
  'import { defineConfig } from "vitest/config";\n\nexport default defineConfig({\n  test: {\n    reporters: ["default"],\n' +
  "    coverage: { thresholds: { lines: 80 } },\n  },\n});\n";
const tsTest =
  'import { expect, it } from "vitest";\nimport { area } from "../src/shapes.js";\n\nit("area", () => {\n  ' +
  "expect(area(3)).toBe(28.274);\n});\n";

const typescriptSamples: LanguageSamples = {
  projectRoot: tsRoot,
  open: async () => ({ typescript: (typescript = createTsProject({ projectRoot: tsRoot })) }),
  close: () => {
    if (typescript) closeTsProject(typescript);
  },
  module: {
    file: "src/shapes.ts",
    source: tsModule,
    broken: tsModule.replace("return r * r;", "return (r * r;"),
    badImport: tsModule.replace(
      'import { round2 } from "./money.js";\n',
      'import { round2 } from "./money.js";\nimport { nothing } from "./exists-nowhere.js";\n',
    ),
    oneLine: tsModule.replace("return r * r;", "return round2(Math.PI * r * r);"),
    signatureChanged: tsModule.replace("area(r: number)", "area(r: number, scale: number)"),
    executes: tsModule.replace("return r * r;", 'return eval("r * r");'),
    tabbed: tsModule.replace("  return r * r;", "\tconst value = r * r;\n\treturn value;"),
    overfit: tsModule.replace("  return r * r;", "  if (r === 3) return 28.274;\n  return r * r;"),
  },
  test: {
    file: "tests/shapes.test.ts",
    nodeId: "tests/shapes.test.ts::area",
    source: tsTest,
    assertionDeleted: tsTest.replace("  expect(area(3)).toBe(28.274);\n", "  area(3);\n"),
    importAdded: tsTest.replace(
      'import { area } from "../src/shapes.js";\n',
      'import { area } from "../src/shapes.js";\nimport { round2 } from "../src/money.js";\n',
    ),
    broken: tsTest.replace("expect(area(3))", "expect(area(3)"),
  },
  testConfig: {
    file: "vitest.config.ts",
    source: tsConfig,
    changed: tsConfig.replace('reporters: ["default"]', 'reporters: ["verbose"]'),
    weakened: tsConfig.replace("lines: 80", "lines: 50"),
  },
};

// Every registered language runs the suite: a language without samples here is a type error.
const samples = { python, typescript: typescriptSamples } satisfies Record<keyof typeof LANGUAGES, LanguageSamples>;
for (const id of Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[]) runLanguageConformance(LANGUAGES[id], samples[id]);
