import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyTestPath } from "../../src/validation/test-paths.js";
import { validateFix } from "../../src/validation/index.js";
import { fixturePath } from "../helpers/python-env.js";

const projectRoot = fixturePath("validation-ts", "project");
const testFile = readFileSync(join(projectRoot, "tests/cart.test.ts"), "utf8");
const vitestConfig = readFileSync(join(projectRoot, "vitest.config.ts"), "utf8");
const packageJson = readFileSync(join(projectRoot, "package.json"), "utf8");

const edit = (find: string, replace: string, text = testFile): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

// No Python helper: TS/JS validation needs none.
const validate = (fixed: string, allowTestEdits = false, filePath = "tests/cart.test.ts", original = testFile) =>
  validateFix({ original, fixed, filePath, projectRoot, allowTestEdits });

describe("classifyTestPath for JS projects", () => {
  it("knows vitest/jest test files and config files", () => {
    expect(classifyTestPath("src/cart.test.ts")).toBe("test");
    expect(classifyTestPath("src/cart.spec.tsx")).toBe("test");
    expect(classifyTestPath("lib/__tests__/cart.js")).toBe("test");
    expect(classifyTestPath("src/cart.ts")).toBeNull();
    expect(classifyTestPath("src/contest.ts")).toBeNull();
    expect(classifyTestPath("vitest.config.ts")).toBe("config");
    expect(classifyTestPath("vite.config.mjs")).toBe("config");
    expect(classifyTestPath("jest.config.js")).toBe("config");
    expect(classifyTestPath("package.json")).toBe("config");
    expect(classifyTestPath("src/cart.check.ts", (p) => p.endsWith(".check.ts"))).toBe("test");
  });
});

describe("TS test edits", () => {
  it("allows an edit that only adds a module-level import", async () => {
    const fixed = edit(
      'import { Cart, discount } from "../src/cart.js";\n',
      'import { Cart, discount } from "../src/cart.js";\nimport { round2 } from "../src/money.js";\n',
    );
    expect(await validate(fixed)).toEqual({ valid: true, reasons: [], warnings: [], risk: "low" });
  });

  it("does not count an import that rebinds a name, or a replaced test global, as import-only", async () => {
    const rebinds = await validate(
      edit(
        'import { describe, expect, it } from "vitest";\n',
        'import { describe, expect, it } from "vitest";\nimport { Cart as cart } from "../src/cart.js";\n',
      ),
    );
    expect(rebinds.reasons).toEqual([
      expect.stringMatching(/^test-integrity: edits test file tests\/cart\.test\.ts; .*allowTestEdits is off/),
    ]);
    const noGlobals = testFile.replace('import { describe, expect, it } from "vitest";\n', "");
    const fake = await validate(`import { expect } from "../src/money.js";\n${noGlobals}`, false, "tests/cart.test.ts", noGlobals);
    expect(fake.valid).toBe(false);
    const real = await validate(`import { describe, expect, it } from "vitest";\n${noGlobals}`, false, "tests/cart.test.ts", noGlobals);
    expect(real).toMatchObject({ valid: true, risk: "low" });
  });

  it("does not count an added import that binds no name as import-only", async () => {
    const anchor = 'import { Cart, discount } from "../src/cart.js";\n';
    for (const added of ['import "../src/money.js";\n', 'import {} from "../src/money.js";\n']) {
      const result = await validate(edit(anchor, `${anchor}${added}`));
      expect([added, result.valid]).toEqual([added, false]);
      expect(result.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test file tests\/cart\.test\.ts; /)]);
    }
    // A side-effect import the file already had may move; a bound import next to it still passes.
    const withEffect = edit(anchor, `${anchor}import "../src/money.js";\n`);
    const moved = `import "../src/money.js";\n${withEffect.replace('import "../src/money.js";\n', "")}`;
    expect(
      await validate(edit(anchor, `${anchor}import { round2 } from "../src/money.js";\n`, moved), false, "tests/cart.test.ts", withEffect),
    ).toMatchObject({ valid: true, risk: "low" });
  });

  it("rejects any other test edit without allowTestEdits, and accepts it as high risk with it", async () => {
    const fixed = edit("expect(discount(100, 0.1)).toEqual(90);", "expect(discount(100, 0.1)).toEqual(90.0);");
    const denied = await validate(fixed);
    expect(denied.valid).toBe(false);
    expect(denied.reasons).toEqual([
      expect.stringMatching(/^test-integrity: edits test file tests\/cart\.test\.ts; a fix must change the code under test/),
    ]);
    const allowed = await validate(fixed, true);
    expect(allowed).toMatchObject({ valid: true, reasons: [], risk: "high" });
    expect(allowed.warnings.at(-1)).toMatch(/^risk: high \(edits a test file\)/);
  });

  it("accepts tightening a matcher as an allowed test edit", async () => {
    const result = await validate(edit("expect(discount(100, 0.1)).toEqual(90);", "expect(discount(100, 0.1)).toStrictEqual(90);"), true);
    expect(result).toMatchObject({ valid: true, risk: "high" });
  });
});

// Every weakening is rejected even with allowTestEdits.
const WEAKENINGS: Array<[string, string, string, string]> = [
  ["removes an expect()", "    expect(cart.subtotal()).toBe(3);\n", "", "deleted_assert"],
  ["turns a test into .skip", 'it("sums the items"', 'it.skip("sums the items"', "skip_marker"],
  ["turns a describe into .skip", 'describe("cart"', 'describe.skip("cart"', "skip_marker"],
  ["turns a test into .todo", 'it("applies a discount"', 'it.todo("applies a discount"', "skip_marker"],
  ["turns a test into xit", 'it("applies a discount"', 'xit("applies a discount"', "skip_marker"],
  ["turns a describe into xdescribe", 'describe("cart"', 'xdescribe("cart"', "skip_marker"],
  ["adds .only elsewhere", 'it("applies a discount"', 'it.only("applies a discount"', "focused_test"],
  [
    "removes a test case",
    'it("applies a discount", () => {\n    expect(discount(100, 0.1)).toEqual(90);\n    expect(discount(50, 0)).not.toBe(0);\n  });\n',
    "",
    "removed_test",
  ],
  ["removes a row of an each table", "    [80, 0.25, 60],\n", "", "removed_test"],
  ["removes expect.assertions", "    expect.assertions(1);\n", "", "fewer_assertions"],
  ["lowers expect.assertions", "expect.assertions(1);", "expect.assertions(0);", "fewer_assertions"],
  ["makes toBe toBeDefined", "expect(cart.subtotal()).toBe(3);", "expect(cart.subtotal()).toBeDefined();", "weakened_comparison"],
  [
    "makes toEqual toBeTruthy",
    "expect(discount(100, 0.1)).toEqual(90);",
    "expect(discount(100, 0.1)).toBeTruthy();",
    "weakened_comparison",
  ],
  [
    "makes toStrictEqual toMatchObject",
    "expect(cart).toStrictEqual(expect.any(Cart));",
    "expect(cart).toMatchObject({});",
    "weakened_comparison",
  ],
  [
    "makes toBe toBeFalsy",
    "expect(discount(total, percent)).toBe(expected);",
    "expect(discount(total, percent)).toBeFalsy();",
    "weakened_comparison",
  ],
  [
    "replaces a value with expect.anything()",
    "expect(discount(100, 0.1)).toEqual(90);",
    "expect(discount(100, 0.1)).toEqual(expect.anything());",
    "trivial_assert",
  ],
  ["adds .not", "expect(discount(100, 0.1)).toEqual(90);", "expect(discount(100, 0.1)).not.toEqual(90);", "negated_assertion"],
  ["removes .not", "expect(discount(50, 0)).not.toBe(0);", "expect(discount(50, 0)).toBe(0);", "negated_assertion"],
  ["removes toThrow", ").toThrow(RangeError);", ").not.toBeNull();", "removed_raises"],
  ["drops the expected error of toThrow", ").toThrow(RangeError);", ").toThrow();", "broadened_raises"],
  ["lowers toBeCloseTo precision", "toBeCloseTo(3.6, 5)", "toBeCloseTo(3.6, 1)", "loosened_tolerance"],
  ["compares a value with itself", "expect(cart.subtotal()).toBe(3);", "expect(cart.subtotal()).toBe(cart.subtotal());", "trivial_assert"],
  [
    "swallows failures with try/catch",
    "    expect(discount(100, 0.1)).toEqual(90);\n",
    "    try {\n      expect(discount(100, 0.1)).toEqual(90);\n    } catch {}\n",
    "swallowed_assertion",
  ],
  [
    "returns before the expects",
    '    const cart = new Cart();\n    cart.add({ name: "pen"',
    '    const cart = new Cart();\n    return;\n    cart.add({ name: "pen"',
    "early_return",
  ],
  [
    "wraps an expect in a conditional",
    "    expect(discount(50, 0)).not.toBe(0);\n",
    "    if (Math.random() > 2) expect(discount(50, 0)).not.toBe(0);\n",
    "conditional_assertion",
  ],
  [
    "raises a test's timeout",
    "    expect(discount(50, 0)).not.toBe(0);\n  });",
    "    expect(discount(50, 0)).not.toBe(0);\n  }, 60_000);",
    "raised_timeout",
  ],
  ["adds retries", 'it("sums the items", () => {', 'it("sums the items", { retry: 3 }, () => {', "raised_timeout"],
];

describe("weakening a TS test is rejected even with allowTestEdits", () => {
  it.each(WEAKENINGS)("%s", async (_label, find, replace, kind) => {
    const result = await validate(edit(find, replace), true);
    expect(result.valid).toBe(false);
    expect(
      result.reasons.some((r) => r.startsWith("test-integrity: weakens tests/cart.test.ts") && r.endsWith(`[${kind}]`)),
      result.reasons.join("\n"),
    ).toBe(true);
  });

  it("names the line and the test", async () => {
    const result = await validate(edit("    expect(cart.subtotal()).toBe(3);\n", ""), true);
    expect(result.reasons).toContain(
      "test-integrity: weakens tests/cart.test.ts at line 8: removes an expect() in 'cart > sums the items' [deleted_assert]",
    );
  });

  it("falls back to a text comparison when the new version does not parse", async () => {
    const result = await validate(edit("    expect(cart.subtotal()).toBe(3);\n", "    (\n"), true);
    expect(result.reasons).toContain("test-integrity: weakens tests/cart.test.ts: removes assertions [deleted_assert]");
  });
});

describe("JS test configuration edits", () => {
  const config = (fixed: string, allowTestEdits = false, filePath = "vitest.config.ts", original = vitestConfig) =>
    validateFix({ original, fixed, filePath, projectRoot, allowTestEdits });

  it("treats any vitest.config edit as a test-settings edit", async () => {
    const fixed = edit("testTimeout: 5000,", "testTimeout: 5000,\n    clearMocks: true,", vitestConfig);
    expect((await config(fixed)).reasons).toEqual([
      expect.stringMatching(/^test-integrity: edits test settings in vitest\.config\.ts \[test\]/),
    ]);
    expect(await config(fixed, true)).toMatchObject({ valid: true, risk: "high" });
  });

  it.each([
    ["raises testTimeout", "testTimeout: 5000", "testTimeout: 60000", /raises test\.testTimeout to 60000/],
    ["lowers a coverage threshold", "lines: 80", "lines: 50", /lowers the coverage threshold test\.coverage\.thresholds\.lines/],
    ["narrows collection", '["tests/**/*.test.ts"]', '["tests/none/*.test.ts"]', /changes test collection: test\.include/],
    ["adds retries", "testTimeout: 5000,", "testTimeout: 5000,\n    retry: 2,", /raises test\.retry to 2/],
  ])("rejects a config that %s, even with allowTestEdits", async (_label, find, replace, why) => {
    const result = await config(edit(find, replace, vitestConfig), true);
    expect(result.valid).toBe(false);
    expect(result.reasons.join("\n")).toMatch(why);
  });

  it("protects only the test section of vite.config", async () => {
    const vite = vitestConfig.replace("export default defineConfig({\n", "export default defineConfig({\n  server: { port: 3000 },\n");
    const server = await config(edit("port: 3000", "port: 3001", vite), false, "vite.config.ts", vite);
    expect(server.reasons.filter((r) => r.startsWith("test-integrity"))).toEqual([]);
    const test = await config(edit("testTimeout: 5000", "testTimeout: 9000", vite), true, "vite.config.ts", vite);
    expect(test.reasons).toEqual([expect.stringMatching(/raises test\.testTimeout to 9000/)]);
  });

  it("protects package.json's jest key and test script, not the rest", async () => {
    const json = (fixed: string, allow = false) => config(fixed, allow, "package.json", packageJson);
    const deps = await json(edit('"vitest": "^4.1.0"', '"vitest": "^4.1.0",\n    "zod": "^3.0.0"', packageJson));
    expect(deps.reasons).toEqual([]);
    const script = await json(edit('"test": "vitest run"', '"test": "vitest run --passWithNoTests tests/none"', packageJson));
    expect(script.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test settings in package\.json \[scripts\.test\]/)]);
    const jest = await json(edit('"private": true,', '"private": true,\n  "jest": { "testTimeout": 90000 },', packageJson), true);
    expect(jest.reasons.join("\n")).toMatch(/raises jest\.testTimeout to 90000/);
  });
});
