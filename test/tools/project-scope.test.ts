// resolveProjectRoot: a projectPath anywhere inside an allowed root means that root, symlinks followed.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveProjectFile } from "../../src/fixers/paths.js";
import { isPytestTestModule as isPytestTestFile } from "../../src/analysis/language.js";
import { resolveProjectRoot } from "../../tools/project-scope.js";

let base: string;
let shop: string;
let notes: string;
let outside: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "redgreen-scope-"));
  shop = join(base, "shop");
  notes = join(base, "notes");
  outside = join(base, "outside");
  for (const d of [join(shop, "tests"), join(shop, "shop"), join(notes, "notes", "deep"), outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(shop, "tests", "helpers.py"), "def make_cart():\n    return []\n");
  writeFileSync(join(shop, "shop", "cart.py"), "TOTAL = 0\n");
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe("resolveProjectRoot", () => {
  it("maps a subdirectory projectPath to the project root, so a test helper still classifies as a test file", async () => {
    const scope = { projectRoot: shop };
    expect(resolveProjectRoot(scope)).toBe(shop);
    expect(resolveProjectRoot(scope, "tests")).toBe(shop);
    expect(resolveProjectRoot(scope, join(shop, "shop"))).toBe(shop);
    // What the tools then classify: the helper relative to the project root is a test file, relative to tests/ it was not.
    const root = resolveProjectRoot(scope, "tests");
    const file = await resolveProjectFile(root, "tests/helpers.py");
    expect(file.rel).toBe("tests/helpers.py");
    expect(isPytestTestFile(file.rel)).toBe(true);
    expect(isPytestTestFile("helpers.py")).toBe(false);
  });

  it("picks the allowed root holding the path, the innermost when roots nest", () => {
    const scope = { projectRoot: shop, allowedRoots: [base, shop, notes] };
    expect(resolveProjectRoot(scope, join(notes, "notes", "deep"))).toBe(notes);
    expect(resolveProjectRoot(scope, "tests")).toBe(shop);
    expect(resolveProjectRoot(scope, outside)).toBe(base);
    expect(() => resolveProjectRoot({ projectRoot: shop, allowedRoots: [shop, notes] }, outside)).toThrowError(
      /outside the projects these tools may work on/,
    );
    expect(() => resolveProjectRoot({ projectRoot: shop }, "nope")).toThrowError(/no such project directory/);
  });

  it("follows symlinks: a link inside the project that leads out is refused, one into an allowed root maps to it", () => {
    symlinkSync(outside, join(shop, "escape"));
    symlinkSync(join(notes, "notes"), join(shop, "notes-link"));
    expect(() => resolveProjectRoot({ projectRoot: shop }, "escape")).toThrowError(/outside the projects/);
    expect(resolveProjectRoot({ projectRoot: shop, allowedRoots: [shop, notes] }, "notes-link")).toBe(notes);
  });

  it("classifies an edited file by its real path: a link in shop/ to a test helper is a test file", async () => {
    symlinkSync(join(shop, "tests", "helpers.py"), join(shop, "shop", "helpers.py"));
    const file = await resolveProjectFile(resolveProjectRoot({ projectRoot: shop }, "shop"), "shop/helpers.py");
    expect(file).toEqual({ rel: "tests/helpers.py", real: join(shop, "tests", "helpers.py") });
    expect(isPytestTestFile(file.rel)).toBe(true);
  });
});
