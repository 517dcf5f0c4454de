// BytecodeCache: the per-adapter PYTHONPYCACHEPREFIX folder, and dropping the bytecode of files that changed.
import { mkdtempSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

const live = new Set<string>();
let exitHook = false;

/**
 * Python validates cached bytecode by the source's mtime (whole seconds) and size: a file restored within the second
 * its edited version was compiled, at the same size, would run the edited bytecode. Each adapter therefore compiles
 * into a folder of its own (never the project's __pycache__), and every file written or restored between runs has
 * its bytecode removed before the next run.
 */
export class BytecodeCache {
  private folder: string | null = null;

  /** The PYTHONPYCACHEPREFIX folder, created on first use and removed when the process exits. */
  dir(): string {
    if (this.folder === null) {
      this.folder = mkdtempSync(join(tmpdir(), "redgreen-pycache-"));
      live.add(this.folder);
      if (!exitHook) {
        exitHook = true;
        process.once("exit", () => {
          for (const d of live) rmSync(d, { recursive: true, force: true });
        });
      }
    }
    return this.folder;
  }

  /** Removes the cached bytecode of these absolute source files (pytest's rewritten test modules included). */
  invalidate(absFiles: readonly string[]): void {
    if (this.folder === null) return;
    for (const file of absFiles) {
      if (!file.endsWith(".py")) continue;
      const mirror = join(this.folder, dirname(file));
      const stem = `${basename(file, ".py")}.`;
      let names: string[];
      try {
        names = readdirSync(mirror);
      } catch {
        continue;
      }
      for (const name of names) if (name.startsWith(stem) && name.endsWith(".pyc")) unlinkSync(join(mirror, name));
    }
  }
}
