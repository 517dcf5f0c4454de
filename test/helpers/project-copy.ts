// Copies a fixture project into a fresh temp dir, so tests can let redgreen edit it.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A temp copy of `source` (without caches); `cleanup()` removes it. */
export function copyProject(source: string): { root: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-test-"));
  const root = join(dir, basename(source));
  cpSync(source, root, {
    recursive: true,
    filter: (src) => !/(__pycache__|\.pytest_cache|\.redgreen)$/.test(src),
  });
  return { root, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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
