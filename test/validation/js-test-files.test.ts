// validateFix on the JS files that belong to the tests without a test name: snapshots, setup files, files only the runner's config
// collects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createVitestAdapter } from "../../src/runners/vitest/adapter.js";
import { validateFix } from "../../src/validation/index.js";
import { classifyTestPath } from "../../src/validation/test-paths.js";
import { fixturePath } from "../helpers/python-env.js";
import { jsFixtureCopies } from "../runners/js/fixtures.js";

// tests/__snapshots__/price.test.ts.snap, support/env.ts (the config's setupFiles), checks/*.check.ts (the config's include).
const projectRoot = fixturePath("vitest", "custom-tests");
const read = (rel: string): string => readFileSync(join(projectRoot, rel), "utf8");
const copies = jsFixtureCopies("vitest");
afterAll(() => copies.cleanup());

const swap = (text: string, find: string, replace: string): string => {
  expect(text).toContain(find);
  return text.replace(find, replace);
};

describe("classifyTestPath for snapshots and setup files", () => {
  it("counts them as test files", () => {
    for (const rel of [
      "tests/__snapshots__/price.test.ts.snap",
      "src/__snapshots__/receipt.html",
      "src/cart.snap",
      "jest.setup.js",
      "vitest.setup.ts",
      "src/setupTests.tsx",
      "test/setup.mjs",
    ]) {
      expect([rel, classifyTestPath(rel)]).toEqual([rel, "test"]);
    }
    expect(classifyTestPath("support/env.ts")).toBeNull();
    expect(classifyTestPath("support/env.ts", (rel) => rel === "support/env.ts")).toBe("test");
  });
});

describe("validateFix on snapshot and setup-file edits", () => {
  it("rejects updating a snapshot without allowTestEdits, and allows it as high risk with it", async () => {
    const original = read("tests/__snapshots__/price.test.ts.snap");
    const fixed = swap(original, "  12,\n", "  13,\n");
    // Snapshots live beside their test file: under src/ when the tests do, where no tests/ folder marks them.
    for (const filePath of ["tests/__snapshots__/price.test.ts.snap", "src/__snapshots__/price.test.ts.snap", "src/price.snap"]) {
      const denied = await validateFix({ original, fixed, filePath, projectRoot });
      expect([filePath, denied.valid]).toEqual([filePath, false]);
      expect(denied.reasons).toEqual([
        `test-integrity: edits ${filePath}, which belongs to the tests; a fix must change the code under test, not the tests ` +
          `(allowTestEdits is off)`,
      ]);
    }
    const allowed = await validateFix({
      original,
      fixed,
      filePath: "src/__snapshots__/price.test.ts.snap",
      projectRoot,
      allowTestEdits: true,
    });
    expect(allowed).toMatchObject({ valid: true, risk: "high" });
  });

  it("rejects editing a setup file named by convention", async () => {
    const original =
      'import { afterEach } from "vitest";\n\nafterEach(() => {\n  (globalThis as { TAX_RATE?: number }).TAX_RATE = 0.2;\n});\n';
    const fixed = swap(original, "= 0.2;", "= 0.25;");
    for (const filePath of ["vitest.setup.ts", "src/setupTests.ts", "test/setup.ts"]) {
      const result = await validateFix({ original, fixed, filePath, projectRoot });
      expect([filePath, result.valid]).toEqual([filePath, false]);
      expect(result.reasons).toEqual([
        expect.stringMatching(
          new RegExp(`^test-integrity: edits test file ${filePath.replace(/\./g, "\\.")}; a fix must change the code under test`),
        ),
      ]);
    }
  });

  it("rejects editing a setup file the runner's config names, by the adapter's rule", async () => {
    const adapter = await createVitestAdapter({ projectRoot });
    const original = read("support/env.ts");
    const fixed = swap(original, "TAX_RATE = 0.2;", "TAX_RATE = 0.25;");
    // Nothing in its name says it belongs to the tests: only the config does.
    expect((await validateFix({ original, fixed, filePath: "support/env.ts", projectRoot })).valid).toBe(true);
    const result = await validateFix({
      original,
      fixed,
      filePath: "support/env.ts",
      projectRoot,
      isTestFile: (rel) => adapter.isTestFile(rel),
    });
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test file support\/env\.ts; /)]);
  });

  it("rejects editing a file the runner reported as a test in an earlier run", async () => {
    const dir = copies.copy("custom-tests");
    const adapter = await createVitestAdapter({ projectRoot: dir });
    const original = read("checks/price.check.ts");
    const fixed = swap(original, "toBe(0.13)", "toBe(0.12)");
    const validate = () =>
      validateFix({ original, fixed, filePath: "checks/price.check.ts", projectRoot: dir, isTestFile: (rel) => adapter.isTestFile(rel) });
    expect((await validate()).valid).toBe(true);
    expect((await adapter.runTests()).failures.map((f) => f.nodeId)).toEqual(["checks/price.check.ts::rounds to cents"]);
    const result = await validate();
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual([expect.stringMatching(/^test-integrity: edits test file checks\/price\.check\.ts; /)]);
  });
});
