// WatchedFiles: the project's source, test and config files with their content, re-read only when a file's stat changes.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { walkTree } from "../fs-tree.js";

/** Folders never watched: dependencies, version control, caches, build output and redgreen's own state. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".redgreen",
  "__pycache__",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
  ".hypothesis",
  ".tox",
  ".nox",
  ".venv",
  "venv",
  "site-packages",
  "dist",
  "build",
  "coverage",
  ".nyc_output",
  ".cache",
  ".next",
  ".turbo",
  ".demo",
  ".idea",
  ".vscode",
]);
const WATCHED = /\.(?:py|pyi|pth|ts|tsx|mts|cts|js|jsx|mjs|cjs|json|toml|ini|cfg|snap|ya?ml)$|^\.coveragerc$|^pytest\.ini$/;
/** Files above this size are hashed but their bytes are not kept (a change to one cannot be undone, only refused). */
const MAX_KEPT_BYTES = 4 * 1024 * 1024;

/** One watched file as a scan saw it. */
export interface FileState {
  hash: string;
  /** The stat fields that change on every write (ctime cannot be set back from user space). */
  statKey: string;
}

/** A scan: project-relative path → state. */
export type Scan = Map<string, FileState>;

/** How one file differs between two scans. */
export interface FileChange {
  file: string;
  change: "modified" | "created" | "deleted";
}

/** The stat fields of a file that change on every write, ctime included (it cannot be set back from user space). */
const statKey = (path: string): string | null => {
  try {
    const s = lstatSync(path, { bigint: true });
    return s.isFile() ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
  } catch {
    return null;
  }
};

/** The watched files of one project; contents are kept by hash so a file can be put back byte for byte. */
export class WatchedFiles {
  private readonly contents = new Map<string, Buffer | null>();
  private last: Scan = new Map();

  constructor(readonly projectRoot: string) {}

  /** Hashes every watched file, reading only those whose stat changed since the last scan. */
  scan(): Scan {
    const next: Scan = new Map();
    for (const rel of this.list()) {
      const key = statKey(join(this.projectRoot, rel));
      if (key === null) continue;
      const prev = this.last.get(rel);
      if (prev && prev.statKey === key) {
        next.set(rel, prev);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(this.projectRoot, rel));
      } catch {
        continue;
      }
      const hash = createHash("sha256").update(bytes).digest("hex");
      if (!this.contents.has(hash)) this.contents.set(hash, bytes.length <= MAX_KEPT_BYTES ? bytes : null);
      next.set(rel, { hash, statKey: key });
    }
    this.last = next;
    return next;
  }

  /** The bytes a scan saw for a file, or null when they were too large to keep. */
  bytes(state: FileState): Buffer | null {
    return this.contents.get(state.hash) ?? null;
  }

  /**
   * Whether `rel` (project-relative) lies in the project's own tree, the one scans walk: neither in nor itself a
   * skipped folder (dependencies, virtualenvs, caches, build output).
   */
  owns(rel: string): boolean {
    const parts = rel.split("/");
    if (parts.some((p) => p === "..")) return false;
    for (let i = 1; i <= parts.length; i++) {
      const name = parts[i - 1]!;
      if (SKIPPED_DIRS.has(name) || name.endsWith(".egg-info")) return false;
      if (existsSync(join(this.projectRoot, ...parts.slice(0, i), "pyvenv.cfg"))) return false;
    }
    return true;
  }

  /** Project-relative paths of the watched files (a folder holding pyvenv.cfg is a virtualenv and skipped). */
  private list(): string[] {
    const out: string[] = [];
    walkTree(this.projectRoot, {
      folder: (abs, _rel, name) => !SKIPPED_DIRS.has(name) && !name.endsWith(".egg-info") && !existsSync(join(abs, "pyvenv.cfg")),
      file: (_abs, rel, name) => {
        if (WATCHED.test(name)) out.push(rel);
      },
    });
    return out;
  }
}

/** The files that differ between two scans. */
export function diffScans(before: Scan, after: Scan): FileChange[] {
  const out: FileChange[] = [];
  for (const [file, state] of after) {
    const was = before.get(file);
    if (!was) out.push({ file, change: "created" });
    else if (was.hash !== state.hash) out.push({ file, change: "modified" });
  }
  for (const file of before.keys()) if (!after.has(file)) out.push({ file, change: "deleted" });
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
