// The fix policy and overfit checks through validateFix: added code only, rule/line/evidence reasons, allowRisky, import-only forms.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonHelper } from "../../src/python/client.js";
import { validateFix } from "../../src/validation/index.js";
import type { FixInput } from "../../src/validation/index.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const pyRoot = fixturePath("validation", "project");
const tsRoot = fixturePath("validation-ts", "project");
const calc = readFileSync(join(pyRoot, "app/calc.py"), "utf8");
const pyTest = readFileSync(join(pyRoot, "tests/test_calc.py"), "utf8");
const money = readFileSync(join(tsRoot, "src/money.ts"), "utf8");
const tsTest = readFileSync(join(tsRoot, "tests/cart.test.ts"), "utf8");

let helper: PythonHelper;
beforeAll(async () => {
  helper = await PythonHelper.start({ python: testPython, projectRoot: pyRoot });
});
afterAll(async () => helper?.close());

const py = (fixed: string, extra: Partial<FixInput> = {}) =>
  validateFix({ original: calc, fixed, filePath: "app/calc.py", projectRoot: pyRoot, helper, env: {}, ...extra });
const ts = (fixed: string, extra: Partial<FixInput> = {}) =>
  validateFix({ original: money, fixed, filePath: "src/money.ts", projectRoot: tsRoot, env: {}, ...extra });
const addBody = (body: string): string => calc.replace("def add(a, b):\n    return a + b\n", `def add(a, b):\n${body}    return a + b\n`);
const roundBody = (body: string): string =>
  money.replace("  return Math.round(value * 100) / 100;\n", `${body}  return Math.round(value * 100) / 100;\n`);

describe("fix policy (Python)", () => {
  it("names rule, line and evidence in the reason and as a structured violation", async () => {
    const r = await py(addBody("    import os\n    os.system('id')\n"));
    expect(r.valid).toBe(false);
    expect(r.reasons).toEqual(["policy.code_execution: os.system('id') (line 9)"]);
    expect(r.violations).toEqual([{ rule: "policy.code_execution", file: "app/calc.py", line: 9, evidence: "os.system('id')" }]);
  });

  it("does not flag code that was already there, even where the fix moves it", async () => {
    const original = "import subprocess\n\n\ndef run():\n    return subprocess.run(['ls'])\n";
    const fixed = "import subprocess\n\n\ndef run():\n    result = subprocess.run(['ls'])\n    return result\n";
    const r = await validateFix({ original, fixed, filePath: "app/tools.py", projectRoot: pyRoot, helper, env: {} });
    expect(r.violations).toBeUndefined();
    const more = await validateFix({
      original,
      fixed: `${fixed}\n\ndef again():\n    subprocess.run(['id'])\n`,
      filePath: "app/tools.py",
      projectRoot: pyRoot,
      helper,
      env: {},
    });
    expect(more.reasons.filter((x) => x.startsWith("policy."))).toEqual(["policy.code_execution: subprocess.run(['id']) (line 10)"]);
  });

  it("resolves aliases: import as, from-imports, getattr and __import__ with literal names", async () => {
    const r = await py(addBody("    from os import system as s\n    s('a')\n    getattr(__import__('os'), 'popen')('b')\n"));
    expect(r.violations?.map((v) => v.evidence)).toEqual([
      "from os import system as s",
      "s('a')",
      "getattr(__import__('os'), 'popen')('b')",
    ]);
  });

  it("reads of secret-named variables and of the whole environment are flagged; other variables are not", async () => {
    const r = await py(
      addBody("    import os\n    home = os.environ.get('HOME')\n    key = os.environ['STRIPE_SECRET']\n    env = dict(os.environ)\n"),
    );
    expect(r.violations?.map((v) => `${v.rule} ${v.evidence}`)).toEqual([
      "policy.secret_env os.environ['STRIPE_SECRET']",
      "policy.secret_env dict(os.environ)",
    ]);
  });

  it("allowRisky turns violations into warnings and the risk high", async () => {
    const r = await py(addBody("    open('out.txt', 'w').write('x')\n"), { allowRisky: true });
    expect(r.valid).toBe(true);
    expect(r.risk).toBe("high");
    expect(r.warnings).toContain("policy.file_write: open('out.txt', 'w') (line 8) (allowed by allowRisky; risk high)");
    expect(r.violations).toHaveLength(1);
    // Reading a file is no write.
    expect((await py(addBody("    open('in.txt').read()\n"))).violations).toBeUndefined();
  });
});

describe("import-only test edits stay import-only", () => {
  const testEdit = (fixed: string, allowTestEdits = false) =>
    validateFix({ original: pyTest, fixed, filePath: "tests/test_calc.py", projectRoot: pyRoot, helper, env: {}, allowTestEdits });
  const head = "from app.models import Account\n";

  it("an added import is allowed", async () => {
    expect((await testEdit(pyTest.replace(head, `${head}from app.calc import RATE\n`))).valid).toBe(true);
  });

  it.each([
    ["code after the import on one line", `${head}import os; os.system('id')\n`, /policy\.code_execution: os\.system\('id'\)/],
    ["an __import__ call", `${head}__import__('os').system('id')\n`, /policy\.code_execution/],
    ["an import that rebinds a name the test uses", `${head}from app.calc import div as add\n`, /test-integrity: edits test file/],
  ])("%s is not", async (_, replacement, reason) => {
    const r = await testEdit(pyTest.replace(head, replacement));
    expect(r.valid).toBe(false);
    expect(r.reasons.join("\n")).toMatch(reason);
    expect(r.reasons.join("\n")).toMatch(/test-integrity: edits test file tests\/test_calc\.py/);
  });

  it("allowTestEdits does not allow hostile code in a test file", async () => {
    const r = await testEdit(pyTest.replace(head, `${head}import os; os._exit(0)\n`), true);
    expect(r.reasons).toEqual([expect.stringMatching(/^policy\.test_infrastructure: os\._exit\(0\) \(line 5\)$/)]);
  });

  it("TS: a require or call beside an import is not import-only", async () => {
    const tsHead = 'import { Cart, discount } from "../src/cart.js";\n';
    const fixed = tsTest.replace(tsHead, `${tsHead}import { execSync } from "node:child_process"; execSync("id");\n`);
    const r = await validateFix({ original: tsTest, fixed, filePath: "tests/cart.test.ts", projectRoot: tsRoot, env: {} });
    expect(r.valid).toBe(false);
    expect(r.reasons.join("\n")).toMatch(/test-integrity: edits test file/);
    expect(r.violations?.map((v) => v.rule)).toEqual(["policy.code_execution", "policy.code_execution"]);
  });
});

describe("fix policy (TS/JS)", () => {
  it.each([
    ["process.exit", "  process.exit(0);\n", "policy.test_infrastructure", "process.exit(0)"],
    ["a test global in project code", "  expect(value).toBe(value);\n", "policy.test_infrastructure", "expect(value)"],
    ["an aliased fs write", '  writeFileSync("x", "");\n', "policy.file_write", 'writeFileSync("x", "")'],
    ["a secret env read", "  void process.env.DB_PASSWORD;\n", "policy.secret_env", "process.env.DB_PASSWORD"],
    ["fetch", '  void fetch("http://127.0.0.1:9");\n', "policy.network", 'fetch("http://127.0.0.1:9")'],
  ])("flags %s", async (_, body, rule, evidence) => {
    const fixed = `import { writeFileSync } from "node:fs";\n${roundBody(body)}`;
    const r = await ts(fixed);
    expect(r.violations).toContainEqual({ rule, file: "src/money.ts", line: 4, evidence });
  });

  it("leaves a local named like a global alone", async () => {
    const r = await ts(roundBody("  const fetch = (n: number) => n;\n  void fetch(value);\n"));
    expect(r.violations).toBeUndefined();
  });
});

describe("overfitting", () => {
  const failingTests = [{ nodeId: "tests/test_calc.py::test_add", file: "tests/test_calc.py", source: pyTest }];

  it("rejects special-casing the failing test's inputs and hard-coding its values; keeps an honest fix", async () => {
    // Trivial literals (-1, 0, 1, 2) are no evidence on their own, even as exact test inputs.
    const trivial = await py(addBody("    if a == -1:\n        return 0\n    if (a, b) == (1, 2):\n        return 3\n"), { failingTests });
    expect(trivial.violations).toBeUndefined();
    const literal = await py(addBody("    if a == 17 and b == 5:\n        return 22\n"), {
      failingTests: [{ ...failingTests[0]!, source: pyTest.replace("assert add(1, 2) == 3", "assert add(17, 5) == 22") }],
    });
    expect(literal.violations?.map((v) => v.rule)).toEqual(["overfit.test_inputs", "overfit.test_literals"]);
    expect(literal.reasons[0]).toBe("overfit.test_inputs: special-cases a test input: a == 17 and b == 5 (line 8)");
    expect((await py(calc.replace("return a + b", "return b + a"), { failingTests })).valid).toBe(true);
  });

  it("rejects branching on the running test's name", async () => {
    const r = await py(addBody("    import os\n    if 'test_add' in os.environ.get('PYTEST_CURRENT_TEST', ''):\n        return 3\n"), {
      failingTests,
    });
    expect(r.violations?.filter((v) => v.rule === "overfit.test_name_branch").map((v) => v.evidence)).toEqual([
      "'test_add'",
      "'PYTEST_CURRENT_TEST'",
    ]);
  });

  it("TS: literals from the failing it() body, by node id", async () => {
    const tsFailing = [{ nodeId: "tests/cart.test.ts::cart > sums the items", file: "tests/cart.test.ts", source: tsTest }];
    const r = await ts(roundBody("  if (value === 3.6) return 3.6;\n  if (value === 1.5) return 3;\n"), { failingTests: tsFailing });
    expect(r.violations?.map((v) => v.rule)).toEqual(["overfit.test_inputs", "overfit.test_literals", "overfit.test_inputs"]);
  });
});
