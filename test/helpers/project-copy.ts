// Copies a fixture project into a fresh temp dir, so tests can let redgreen edit it.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

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
