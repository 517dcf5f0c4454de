// Copies a fixture project into a fresh temp dir, so tests can let redgreen edit it.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../../src/paths.js";

/** A temp copy of `source` (without caches and node_modules); `cleanup()` removes it. */
export function copyProject(source: string): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-test-"));
  const root = join(dir, basename(source));
  cpSync(source, root, {
    recursive: true,
    filter: (src) => !/(__pycache__|\.pytest_cache|\.redgreen|node_modules)$/.test(src),
  });
  return { root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * examples/ts-shop: four TypeScript bugs (missing import, missing await, undefined access; a logic bug only a model fixes), tested by
 * vitest or jest.
 */
export const exampleTsShop = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "ts-shop");

/** A temp copy of a vitest/jest project whose node_modules links to redgreen's own (vitest, jest, babel, coverage). */
export function copyJsProject(source: string): { root: string; cleanup: () => void } {
  const copy = copyProject(source);
  symlinkSync(join(packageRoot, "node_modules"), join(copy.root, "node_modules"), "dir");
  return copy;
}

/** examples/shop: five bugs, four of them pattern-fixable and one (shop/shipping.py) only a model can fix. */
export const exampleShop = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "shop");

/** A temp copy of examples/shop, optionally without the shipping bug, so a run without a model ends green. */
export function copyExampleShop({ withoutShipping = false } = {}): { root: string; cleanup: () => void } {
  const copy = copyProject(exampleShop);
  if (withoutShipping) {
    rmSync(join(copy.root, "shop", "shipping.py"));
    rmSync(join(copy.root, "tests", "test_shipping.py"));
  }
  return copy;
}
