// OwnedDir: a temp folder one adapter owns for the life of the process (created on first use, removed at exit).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const live = new Set<string>();
let exitHook = false;

/** A folder under the system temp dir, made on first `path()` and removed when the process exits. */
export class OwnedDir {
  private folder: string | null = null;

  constructor(private readonly prefix: string) {}

  /** The folder, created on first use. */
  path(): string {
    if (this.folder === null) {
      this.folder = mkdtempSync(join(tmpdir(), this.prefix));
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

  /** Whether the folder was created yet. */
  created(): boolean {
    return this.folder !== null;
  }
}
