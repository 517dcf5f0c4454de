// Fresh copies of the pytest fixture projects in a temp folder, so runs never write into the repository.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturePath } from "../../helpers/python-env.js";

/** Copies fixture projects from test/fixtures/pytest; `cleanup` removes every copy. */
export function fixtureCopies(): { copy: (name: string) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "redgreen-fixtures-"));
  let n = 0;
  return {
    copy(name: string): string {
      const dir = join(root, `${n++}-${name}`);
      cpSync(fixturePath("pytest", name), dir, { recursive: true });
      return dir;
    },
    cleanup(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
