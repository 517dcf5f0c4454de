// Fresh copies of the vitest/jest fixture projects in a temp folder, each with node_modules linked to redgreen's own.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../../src/paths.js";
import { fixturePath } from "../../helpers/python-env.js";

/**
 * Copies fixture projects from test/fixtures/<runner> (a name with a slash is a path from the repository root); `cleanup` removes every
 * copy.
 */
export function jsFixtureCopies(runner: "vitest" | "jest"): { copy: (name: string) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), `redgreen-${runner}-fixtures-`));
  let n = 0;
  return {
    copy(name: string): string {
      const dir = join(root, `${n++}-${name.replaceAll("/", "-")}`);
      cpSync(name.includes("/") ? join(packageRoot, name) : fixturePath(runner, name), dir, {
        recursive: true,
        filter: (src) => !src.endsWith("/node_modules"),
      });
      symlinkSync(join(packageRoot, "node_modules"), join(dir, "node_modules"), "dir");
      return dir;
    },
    cleanup(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The node ids of the failing fixture (the same tests in both runners' copies). */
export const FAILING_NODE_IDS = [
  "tests/cart.test.ts::cart > adds up the total",
  "tests/cart.test.ts::cart > formats a receipt line",
  "tests/cart.test.ts::cart > inventory > reserve > refuses an item out of stock",
  "tests/cart.test.ts::mistakes in tests > uses an undefined name",
  "tests/cart.test.ts::mistakes in tests > reads a property of undefined",
  "tests/cart.test.ts::with a broken setup > never runs its body",
  "tests/broken.test.ts",
];

/** The node ids of the passing fixture. */
export const PASSING_NODE_IDS = [
  "tests/calc.test.ts::adds",
  "tests/calc.test.ts::calc > multiplies",
  "tests/calc.test.ts::calc > mixed > adds then multiplies",
];
