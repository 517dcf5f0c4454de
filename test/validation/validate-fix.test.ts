import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationResultSchema } from "../../src/domain/validation.js";
import { PythonHelper } from "../../src/python/client.js";
import { runProcess } from "../../src/process/run.js";
import { validateFix } from "../../src/validation/index.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const projectRoot = fixturePath("validation", "project");
const calc = readFileSync(join(projectRoot, "app/calc.py"), "utf8");
const tests = readFileSync(join(projectRoot, "tests/test_calc.py"), "utf8");

const swap = (text: string, find: string, replace: string): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

describe.each([
  ["test/.venv", testPython],
  ["python3", "python3"],
])("validateFix with the helper on %s", (_label, python) => {
  let helper: PythonHelper;
  beforeAll(async () => {
    helper = await PythonHelper.start({ python, projectRoot });
  });
  afterAll(() => helper.close());

  const validate = (fixed: string, filePath = "app/calc.py", original = calc, allowTestEdits = false) =>
    validateFix({ original, fixed, filePath, projectRoot, helper, allowTestEdits });

  it("passes a minimal one-line fix with risk low", async () => {
    const result = await validate(swap(calc, "return a + b", "return b + a"));
    expect(result).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
    expect(ValidationResultSchema.parse(result)).toEqual(result);
  });

  it("passes a missing-import fix with risk low", async () => {
    const original = swap(calc, "from app.models import Account\n", "");
    const result = await validate(calc, "app/calc.py", original);
    expect(result).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
  });

  it("passes a multi-line guard with risk medium", async () => {
    const result = await validate(
      swap(calc, "    total = account.balance\n", "    if account.years < 0:\n        return 0.0\n    total = account.balance\n"),
    );
    expect(result).toMatchObject({ valid: true, reasons: [], risk: "medium" });
  });

  it("collects reasons from every failing check; valid is false iff there is a reason", async () => {
    const fixed = swap(
      swap(calc, "def add(a, b):", "def add(a, b)"),
      "RATE = 0.05\n",
      `RATE = 0.05\nKEY = "AKIA${"Z7Q3X9M2K4P8W1N6"}"\nimport nowhere_module\n`,
    );
    const result = await validate(fixed);
    expect(result.valid).toBe(false);
    expect(result.reasons.map((r) => r.split(":")[0])).toEqual(["syntax", "secrets"]);
    const imports = await validate(swap(calc, "RATE = 0.05\n", "RATE = 0.05\nimport nowhere_module\n"));
    expect(imports.reasons).toEqual([expect.stringMatching(/^imports: `import nowhere_module` \(line 5\) does not resolve/)]);
    const warned = await validate(
      swap(calc, "RATE = 0.05\n", "try:\n    import nowhere_module\nexcept ImportError:\n    nowhere_module = None\nRATE = 0.05\n"),
    );
    expect(warned.valid).toBe(true);
    expect(warned.warnings.length).toBeGreaterThan(0);
  });

  it("rejects a test edit by default and accepts it as high risk with allowTestEdits", async () => {
    const fixed = swap(tests, "assert interest(Account(100.0)) == 5.0", "assert interest(Account(100.0)) == 5.00");
    expect((await validate(fixed, "tests/test_calc.py", tests)).valid).toBe(false);
    const allowed = await validate(fixed, "tests/test_calc.py", tests, true);
    expect(allowed).toMatchObject({ valid: true, reasons: [], risk: "high" });
    expect(allowed.warnings.at(-1)).toMatch(/^risk: high \(edits a test file\)/);
    const weakened = await validate(swap(tests, "== 5.0", "!= 5.0"), "tests/test_calc.py", tests, true);
    expect(weakened).toMatchObject({ valid: false, risk: "high" });
  });

  it("accepts an absolute file path", async () => {
    const result = await validateFix({
      original: calc,
      fixed: swap(calc, "return a + b", "return b + a"),
      filePath: join(projectRoot, "app/calc.py"),
      projectRoot,
      helper,
    });
    expect(result.valid).toBe(true);
  });
});

describe("validateFix on a broken copy of the project", () => {
  it("accepts the fix that makes the real pytest suite pass again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redgreen-validate-"));
    const helper = await PythonHelper.start({ python: testPython, projectRoot: dir });
    try {
      cpSync(projectRoot, dir, { recursive: true });
      const broken = swap(calc, "return a + b", "return a - b");
      writeFileSync(join(dir, "app/calc.py"), broken);
      const red = await runProcess(testPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: dir, timeoutMs: 60_000 });
      expect(red.exitCode).toBe(1);
      const result = await validateFix({ original: broken, fixed: calc, filePath: "app/calc.py", projectRoot: dir, helper });
      expect(result).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
      writeFileSync(join(dir, "app/calc.py"), calc);
      const green = await runProcess(testPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: dir, timeoutMs: 60_000 });
      expect(green.exitCode, green.stdout).toBe(0);
    } finally {
      await helper.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
