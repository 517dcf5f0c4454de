// BytecodeCache: the per-adapter PYTHONPYCACHEPREFIX folder, and dropping the bytecode of files that changed.
import { readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { OwnedDir } from "../owned-dir.js";

/**
 * Python validates cached bytecode by the source's mtime (whole seconds) and size: a file restored within the second
 * its edited version was compiled, at the same size, would run the edited bytecode. Each adapter therefore compiles
 * into a folder of its own (never the project's __pycache__), and every file written or restored between runs has
 * its bytecode removed before the next run.
 */
export class BytecodeCache {
  private readonly folder = new OwnedDir("redgreen-pycache-");

  /** The PYTHONPYCACHEPREFIX folder, created on first use and removed when the process exits. */
  dir(): string {
    return this.folder.path();
  }

  /**
   * Epoch seconds this process started in: the project's own bytecode written before then may seed the folder (the
   * plugin copies it in), since every file redgreen writes gets a later mtime, which that bytecode cannot match.
   */
  seedBefore(): number {
    return Math.floor(performance.timeOrigin / 1000);
  }

  /** Removes the cached bytecode of these absolute source files (pytest's rewritten test modules included). */
  invalidate(absFiles: readonly string[]): void {
    if (!this.folder.created()) return;
    for (const file of absFiles) {
      if (!file.endsWith(".py")) continue;
      const mirror = join(this.folder.path(), dirname(file));
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
