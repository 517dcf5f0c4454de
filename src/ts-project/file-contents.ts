// createFileContents: project files' texts with content-based versions, re-read only when a file may have changed.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/** One file's text and the hash of its bytes (equal hashes: equal texts). */
export interface FileContent {
  hash: string;
  text: string;
}

/** The hash a content is versioned by: of a file's bytes, or of a text (as UTF-8). */
export const contentHash = (data: string | Buffer): string => createHash("sha1").update(data).digest("base64url");

/** What createFileContents reads the disk with (the real fs by default; tests pass a fake with a coarse clock). */
export interface FileContentsDeps {
  /** The file's stat, or undefined when it does not exist. */
  stat?: (abs: string) => FileStamp | undefined;
  readBytes?: (abs: string) => Buffer;
  /** Wall-clock milliseconds, in the file system's time base. */
  now?: () => number;
  /**
   * How long after its mtime a read can still miss a same-size write with the same timestamp (the file system's
   * timestamp granularity plus clock skew); default 2000 ms, FAT's granularity.
   */
  racyMs?: number;
}

/** The stat fields that change when a file is written. */
export interface FileStamp {
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  ino: number;
}

/** Current file contents with a cache that never serves text older than the file. */
export interface FileContents {
  /** The file's content, or undefined when it does not exist or cannot be read. */
  get(abs: string): FileContent | undefined;
  /** Drops every cached content: the next get() reads the file again. */
  forget(): void;
}

interface Entry extends FileContent {
  stamp: FileStamp;
  /** When the read that produced `text` started. */
  readAt: number;
}

const realStat = (abs: string): FileStamp | undefined => {
  try {
    const st = statSync(abs);
    return st.isFile() ? { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, size: st.size, ino: st.ino } : undefined;
  } catch {
    return undefined;
  }
};

const sameStamp = (a: FileStamp, b: FileStamp): boolean =>
  a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.size === b.size && a.ino === b.ino;

/**
 * Creates a FileContents. A cached text is served while the file's stat is unchanged and the read started clearly
 * after the last write (git's "racy clean" rule): a write within the same timestamp tick as the read, of the same
 * size, leaves the stat as it was, so a file whose mtime is that close to its read is hashed again on every get()
 * until a read starts more than `racyMs` after its mtime.
 */
export function createFileContents(deps: FileContentsDeps = {}): FileContents {
  const stat = deps.stat ?? realStat;
  const readBytes = deps.readBytes ?? ((abs: string) => readFileSync(abs));
  const now = deps.now ?? Date.now;
  const racyMs = deps.racyMs ?? 2000;
  const entries = new Map<string, Entry>();

  return {
    get(abs) {
      const readAt = now();
      const stamp = stat(abs);
      if (!stamp) {
        entries.delete(abs);
        return undefined;
      }
      const cached = entries.get(abs);
      if (cached && sameStamp(cached.stamp, stamp) && cached.readAt - stamp.mtimeMs > racyMs) return cached;
      let bytes: Buffer;
      try {
        bytes = readBytes(abs);
      } catch {
        entries.delete(abs);
        return undefined;
      }
      const hash = contentHash(bytes);
      if (cached && cached.hash === hash) {
        // Unchanged: the newer read time is what lets a recently written file leave the racy window.
        const entry = { ...cached, stamp, readAt };
        entries.set(abs, entry);
        return entry;
      }
      const entry: Entry = { hash, text: bytes.toString("utf8").replace(/^\uFEFF/, ""), stamp, readAt };
      entries.set(abs, entry);
      return entry;
    },
    forget() {
      entries.clear();
    },
  };
}
