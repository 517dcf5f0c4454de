// The TS validation of a one-file edit loads that file, what it imports and (when what they see of it changed) its
// importers, not every test file.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { validateFix } from "../../src/validation/index.js";
import { isJsTestFile } from "../ts-project/ts-case.js";

const TEST_FILES = 40;
const money = "export function round2(n: number): number {\n  return Math.round(n * 100) / 100;\n}\n";
const cart = [
  'import { round2 } from "./money";',
  "",
  "export function total(prices: number[]): number {",
  "  return round2(prices.reduce((s, p) => s + p, 0));",
  "}",
  "",
].join("\n");
/** Test file 0 imports cart.ts; every other one money.ts. */
const testOf = (i: number): string =>
  'import { expect, it } from "vitest";\n' +
  (i === 0
    ? 'import { total } from "../src/cart";\n\nit("adds", () => {\n  expect(total([1, 2])).toBe(3);\n});\n'
    : `import { round2 } from "../src/money";\n\nit("rounds ${i}", () => {\n  expect(round2(${i}.005)).toBe(${i}.01);\n});\n`);

let root = "";
let project: TsProject;
/** Project files (node_modules left out) of the program each inspect of the validation saw. */
const seen: string[][] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "rg-ts-scope-"));
  mkdirSync(join(root, "src"));
  mkdirSync(join(root, "tests"));
  symlinkSync(join(packageRoot, "node_modules"), join(root, "node_modules"), "dir");
  const options = { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, types: [] };
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: options, include: ["src", "tests"] }));
  writeFileSync(join(root, "src/money.ts"), money);
  writeFileSync(join(root, "src/cart.ts"), cart);
  for (let i = 0; i < TEST_FILES; i++) writeFileSync(join(root, `tests/t${i}.test.ts`), testOf(i));
  const real = createTsProject({ projectRoot: root, isTestFile: isJsTestFile });
  // The real project, each inspect's program recorded on the way (the validation's one window on the program).
  project = {
    ...real,
    projectRoot: real.projectRoot,
    inspect: (rel, fn, text, options) =>
      real.inspect!(
        rel,
        (view) => {
          const own = view.program
            .getSourceFiles()
            .filter((sf) => sf.fileName.startsWith(`${root}/`) && !sf.fileName.includes("/node_modules/"));
          seen.push(own.map((sf) => sf.fileName.slice(root.length + 1)).sort());
          return fn(view);
        },
        text,
        options,
      ),
  };
});
afterAll(() => {
  closeTsProject(project);
  rmSync(root, { recursive: true, force: true });
});

describe("the TS validation's program for a one-file edit", () => {
  it("holds the edited file, its import and its one importer, not the other test files", async () => {
    seen.length = 0;
    // A new export: what the importers see of cart.ts changed, so they are checked.
    const fixed = `${cart}export const EMPTY = 0;\n`;
    const result = await validateFix({ original: cart, fixed, filePath: "src/cart.ts", projectRoot: root, typescript: project });
    expect(result).toMatchObject({ valid: true, reasons: [] });
    const withImporter = ["src/cart.ts", "src/money.ts", "tests/t0.test.ts"];
    expect(seen).toContainEqual(withImporter);
    for (const files of seen) expect([["src/cart.ts", "src/money.ts"], withImporter]).toContainEqual(files);
  });

  it("leaves the importers out when the edit keeps what they see of the file (its declarations)", async () => {
    seen.length = 0;
    const fixed = cart.replace("s + p, 0", "s + p, 0.0");
    const result = await validateFix({ original: cart, fixed, filePath: "src/cart.ts", projectRoot: root, typescript: project });
    expect(result).toMatchObject({ valid: true, reasons: [] });
    expect(seen.length).toBeGreaterThan(0);
    for (const files of seen) expect(files).toEqual(["src/cart.ts", "src/money.ts"]);
  });

  it("checks the importers of a file that declares into the global scope, though its declarations stay the same", async () => {
    seen.length = 0;
    const global = `${cart}declare global {\n  interface Window {\n    cart: number;\n  }\n}\n`;
    const fixed = global.replace("s + p, 0", "s + p, 0.0");
    const result = await validateFix({ original: global, fixed, filePath: "src/cart.ts", projectRoot: root, typescript: project });
    expect(result).toMatchObject({ valid: true, reasons: [] });
    expect(seen).toContainEqual(["src/cart.ts", "src/money.ts", "tests/t0.test.ts"]);
  });

  it("still type-checks the importers: a changed export that breaks a test file is refused", async () => {
    seen.length = 0;
    const fixed = cart.replace("total(prices: number[])", "total(prices: string[])").replace("s + p", "s + Number(p)");
    const result = await validateFix({ original: cart, fixed, filePath: "src/cart.ts", projectRoot: root, typescript: project });
    expect(result.valid).toBe(false);
    // Both numbers of `total([1, 2])` are now type errors in the one test file that imports cart.ts.
    const broken = /^types: new error TS2322 at line 5 of tests\/t0\.test\.ts \(which imports src\/cart\.ts\): Type 'number' is not/;
    expect(result.reasons).toEqual([expect.stringMatching(broken), expect.stringMatching(broken)]);
  });

  it("finds every importer of a widely imported module while leaving the program without the others between calls", async () => {
    seen.length = 0;
    const fixed = money.replace("round2(n: number)", "round2(n: number, digits = 2)").replace("100) / 100", "10 ** digits) / 10 ** digits");
    const result = await validateFix({ original: money, fixed, filePath: "src/money.ts", projectRoot: root, typescript: project });
    expect(result).toMatchObject({ valid: true, reasons: [] });
    const tests = seen.map((files) => files.filter((f) => f.startsWith("tests/"))).find((t) => t.length > 0) ?? [];
    expect(tests).toHaveLength(TEST_FILES - 1);
    seen.length = 0;
    await project.inspect!("src/cart.ts", () => null);
    expect(seen[0]).toEqual(["src/cart.ts", "src/money.ts"]);
  });
});
