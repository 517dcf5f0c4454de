// Runtime files: what test runs load from outside the project's watched files (the runner, installed packages,
// redgreen's own plugins), stamped before each run: a run that changes one changes what every later run measures with.
import { readdirSync, statSync } from "node:fs";

/** Path → its stamp (null: it did not exist). */
export type RuntimeStamps = Map<string, string | null>;

/** How one stamped path differs after a run. */
export interface RuntimeChange {
  path: string;
  change: "created" | "modified" | "deleted";
}

/** Folder entries that runs write by themselves: bytecode and tool caches, never what a later run loads. */
const SELF_WRITTEN = new Set(["__pycache__", ".cache", ".vite", ".pytest_cache"]);

/**
 * A path's stamp (links followed): a file's stat fields that change on every write (ctime cannot be set back from user
 * space); a folder's entry names (an entry added, removed or renamed can shadow what a later run loads: a new `.pth` in
 * site-packages runs at every start-up, a package folder beside a module replaces it), its own bytecode and caches
 * left out. Null when the path does not exist.
 */
function stampOf(path: string): string | null {
  let s;
  try {
    s = statSync(path, { bigint: true });
  } catch {
    return null;
  }
  if (!s.isDirectory()) return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  try {
    const names = readdirSync(path).filter((n) => !SELF_WRITTEN.has(n));
    return `folder:${names.sort().join("\0")}`;
  } catch {
    return null;
  }
}

/** Stamps each path (a file or a folder). */
export function stampRuntime(paths: Iterable<string>): RuntimeStamps {
  const out: RuntimeStamps = new Map();
  for (const path of paths) if (!out.has(path)) out.set(path, stampOf(path));
  return out;
}

/** The stamped paths a run changed. */
export function runtimeChanges(before: RuntimeStamps): RuntimeChange[] {
  const out: RuntimeChange[] = [];
  for (const [path, was] of before) {
    const now = stampOf(path);
    if (now === was) continue;
    out.push({ path, change: was === null ? "created" : now === null ? "deleted" : "modified" });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
