import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import { validateFix } from "../../src/validation/index.js";
import { fixturePath } from "../helpers/python-env.js";

const projectRoot = fixturePath("validation-ts", "project");
const cart = readFileSync(join(projectRoot, "src/cart.ts"), "utf8");

const swap = (text: string, find: string, replace: string): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

const typescript = createTsProject({ projectRoot });
afterAll(() => closeTsProject(typescript));

describe.each([
  ["with the project's language service", true],
  ["parse-only (no TsProject)", false],
])("validateFix on a TS file %s", (_label, typed) => {
  const validate = (fixed: string, filePath = "src/cart.ts", original = cart) =>
    validateFix({ original, fixed, filePath, projectRoot, ...(typed ? { typescript } : {}) });

  it("passes a one-line fix with risk low", async () => {
    expect(await validate(swap(cart, "total - total * percent", "total * (1 - percent)"))).toEqual({
      valid: true,
      reasons: [],
      warnings: [],
      risk: "low",
    });
  });

  it("rejects a syntax error", async () => {
    const result = await validate(swap(cart, "let sum = 0;", "let sum = (0;"));
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual(["syntax: TS1005 at line 22 of src/cart.ts: ')' expected."]);
  });

  it("rejects a new import of a missing relative module and of a package that is not installed", async () => {
    const result = await validate(
      swap(
        cart,
        'import { round2 } from "./money.js";\n',
        'import { round2 } from "./money.js";\nimport { floor2 } from "./rounding.js";\nconst pad = require("left-pad-not-installed");\n',
      ),
    );
    expect(result.valid).toBe(false);
    expect(result.reasons.filter((r) => r.startsWith("imports"))).toEqual([
      'imports: `import "./rounding.js"` (line 2) does not resolve to a file of the project',
      expect.stringMatching(
        /^imports: `require\("left-pad-not-installed"\)` \(line 3\) names package left-pad-not-installed, which is not installed/,
      ),
    ]);
  });

  it("accepts project modules, Node builtins and declared packages as imports", async () => {
    const fixed = swap(
      cart,
      'import { round2 } from "./money.js";\n',
      'import { round2 } from "./money.js";\nimport { round2 as r } from "./money";\nimport { join } from "node:path";\nimport { ' +
        'readFileSync } from "fs";\nimport type { Mock } from "vitest";\n',
    );
    const result = await validate(fixed);
    expect(result.reasons.filter((r) => r.startsWith("imports"))).toEqual([]);
    expect(result.warnings.filter((w) => w.startsWith("imports"))).toEqual([]);
  });

  it("makes a new installed package that package.json does not declare a high-risk dependency", async () => {
    const result = await validate(
      swap(cart, 'import { round2 } from "./money.js";\n', 'import { round2 } from "./money.js";\nimport { z } from "zod";\n'),
    );
    expect(result).toMatchObject({ valid: true, reasons: [], risk: "high" });
    expect(result.warnings).toEqual([
      "imports: adds a dependency on package zod, which package.json does not declare",
      "risk: high (new dependency zod)",
    ]);
  });

  it("rates a signature change, an added definition and removed control flow high", async () => {
    const signature = await validate(swap(cart, "discount(total: number, percent: number)", "discount(total: number, percent = 0)"));
    expect(signature.risk).toBe("high");
    expect(signature.warnings.at(-1)).toBe("risk: high (changes the signature of discount)");
    const method = await validate(
      swap(cart, "  total(): number {", "  count(): number {\n    return this.items.length;\n  }\n\n  total(): number {"),
    );
    expect(method.warnings.at(-1)).toBe("risk: high (adds Cart.count)");
    const guard = await validate(
      swap(cart, '    if (item.quantity <= 0) {\n      throw new RangeError("quantity must be positive");\n    }\n', ""),
    );
    expect(guard.warnings.at(-1)).toBe("risk: high (removes If from Cart.add; removes Throw from Cart.add)");
  });

  it("does not count import lines as meaningful, and rates a multi-line body change medium", async () => {
    const withoutImport = swap(cart, 'import { round2 } from "./money.js";\n', "");
    expect(await validate(cart, "src/cart.ts", withoutImport)).toMatchObject({ valid: true, risk: "low" });
    const medium = await validate(swap(cart, "    let sum = 0;\n", "    let sum = 0;\n    sum += 0;\n    sum -= 0;\n"));
    expect(medium).toMatchObject({ valid: true, risk: "medium" });
  });

  it("runs the size and secrets checks on TS text", async () => {
    const secret = await validate(
      swap(cart, "export const TAX_RATE = 0.2;", `export const TAX_RATE = 0.2;\nconst KEY = "AKIA${"Z7Q3X9M2K4P8W1N6"}";`),
    );
    expect(secret.reasons).toEqual([expect.stringMatching(/^secrets: adds an? .*\(aws_access_key_id\) at line 10 of src\/cart\.ts$/i)]);
    const rewrite = await validate(cart.replace(/return /g, "return 0 + "));
    expect(rewrite.reasons.some((r) => r.startsWith("size:"))).toBe(false);
    const emptied = await validate('import { round2 } from "./money.js";\n');
    expect(emptied.reasons.some((r) => r.startsWith("size: src/cart.ts loses"))).toBe(true);
    expect((await validate(cart)).reasons).toEqual(["size: the fix does not change src/cart.ts"]);
  });
});

describe("validateFix with the project's language service", () => {
  const validate = (fixed: string, original = cart, filePath = "src/cart.ts") =>
    validateFix({ original, fixed, filePath, projectRoot, typescript });

  it("rejects a fix that introduces a type error, naming code, line and message", async () => {
    const assign = await validate(swap(cart, "let sum = 0;", 'let sum: number = "0";'));
    expect(assign.reasons).toEqual([
      "types: new error TS2322 at line 22 of src/cart.ts: Type 'string' is not assignable to type 'number'.",
    ]);
    const missing = await validate(swap(cart, "return round2(sum);", "return roundTwo(sum);"));
    expect(missing.reasons).toEqual(["types: new error TS2304 at line 24 of src/cart.ts: Cannot find name 'roundTwo'."]);
  });

  it("accepts a fix that removes a pre-existing error, and ignores errors that only move", async () => {
    const broken = swap(cart, "return round2(sum);", "return roundTwo(sum);");
    expect(await validate(cart, broken)).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
    const moved = swap(broken, "export const TAX_RATE = 0.2;\n", "export const TAX_RATE = 0.2;\nexport const LABEL = 'cart';\n");
    expect((await validate(moved, broken)).reasons).toEqual([]);
  });

  it("rejects a change that breaks a file importing the edited one", async () => {
    const result = await validate(
      swap(cart, "discount(total: number, percent: number)", "discount(total: number, percent: number, floor: number)"),
    );
    expect(result.valid).toBe(false);
    expect(result.reasons[0]).toBe(
      "types: new error TS2554 at line 19 of tests/cart.test.ts (which imports src/cart.ts): Expected 3 arguments, but got 2.",
    );
  });

  it("type-checks a test file edit too", async () => {
    const tests = readFileSync(join(projectRoot, "tests/cart.test.ts"), "utf8");
    const result = await validateFix({
      original: tests,
      fixed: swap(tests, "expect(cart.subtotal()).toBe(3);", "expect(cart.subtotl()).toBe(3);"),
      filePath: "tests/cart.test.ts",
      projectRoot,
      typescript,
      allowTestEdits: true,
    });
    expect(result.reasons).toEqual([
      expect.stringMatching(/^types: new error TS2551 at line 8 of tests\/cart\.test\.ts: Property 'subtotl' does not exist/),
    ]);
  });
});

describe("validateFix on JavaScript", () => {
  it("rejects TypeScript-only syntax in a .js file and accepts plain JS", async () => {
    const original = "export function double(n) {\n  return n * 2;\n}\n";
    const typed = await validateFix({ original, fixed: original.replace("(n)", "(n: number)"), filePath: "src/double.js", projectRoot });
    expect(typed.reasons).toEqual([
      expect.stringMatching(/^syntax: TS8010 at line 1 of src\/double\.js: Type annotations can only be used in TypeScript files/),
    ]);
    const plain = await validateFix({ original, fixed: original.replace("n * 2", "n + n"), filePath: "src/double.js", projectRoot });
    expect(plain).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
  });
});
