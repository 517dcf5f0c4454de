// openDatabase: a better-sqlite3 connection configured for several processes sharing one file.
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { RedgreenError } from "../domain/errors.js";

/** How long a writer waits for another process's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

const describeFsError = (e: unknown): string => {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOTDIR":
      return "a parent of it is a file, not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOENT":
      return "directories cannot be created there";
    default:
      return e instanceof Error ? e.message : String(e);
  }
};

/** mkdir -p, one level at a time: Node's recursive mkdirSync never returns for some paths (e.g. under /proc/self). */
function ensureDir(dir: string): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    const parent = dirname(dir);
    if (parent !== dir) ensureDir(parent);
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
    }
    return;
  }
  if (!stat.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: "ENOTDIR" });
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Turns a SQLite or file-system fault on `path` into one clear sentence. */
export function toDbError(path: string, e: unknown): RedgreenError {
  if (e instanceof RedgreenError) return e;
  const code = (e as { code?: string }).code ?? "";
  const detail = e instanceof Error ? e.message : String(e);
  let message: string;
  if ((code.startsWith("SQLITE_CANTOPEN") || code === "EISDIR") && isDirectory(path))
    message = `the database path ${path} is a directory, not a database file`;
  else if (code === "SQLITE_NOTADB") message = `${path} is not a SQLite database (the file is corrupt or of another kind)`;
  else if (code.startsWith("SQLITE_CORRUPT"))
    message = `the database ${path} is corrupt (${detail.split("\n")[0]}); move it away to start a new one`;
  else if (code.startsWith("SQLITE_CANTOPEN")) message = `cannot open the database ${path} (is its directory writable?)`;
  else if (code.startsWith("SQLITE_READONLY")) message = `the database ${path} is read-only`;
  else if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    message = `the database ${path} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000}s`;
  else if (code === "SQLITE_FULL") message = `the disk holding the database ${path} is full`;
  else if (code.startsWith("SQLITE_IOERR")) message = `cannot write the database ${path} (${detail})`;
  else if (code.startsWith("E")) message = `cannot use the database ${path}: ${describeFsError(e)}`;
  else message = `database error on ${path}: ${detail}`;
  return new RedgreenError("db_error", message, { cause: e });
}

/**
 * Opens an existing database for reading only, creating no file: without a write-ahead log beside it the file holds
 * every committed row and is read into memory (so a read-only file, directory or file system works, where SQLite
 * would need to create the -shm file of a WAL database); with one, a read-only connection that sees the log.
 */
function openReadOnly(path: string): Db {
  let db: Db | undefined;
  try {
    if (existsSync(`${path}-wal`)) db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    else {
      const bytes = readFileSync(path);
      // Header bytes 18-19 are 2 in a WAL database; an in-memory copy can only be opened as a rollback-journal one (1).
      if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
      db = new Database(bytes, { readonly: true });
    }
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    checkIntegrity(db, path);
    return db;
  } catch (e) {
    db?.close();
    throw toDbError(path, e);
  }
}

/** Whether `path` is an existing, non-empty file (a database worth checking). */
function existingFile(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** Throws db_error when SQLite's quick_check finds the open database damaged. */
function checkIntegrity(db: Db, path: string): void {
  const problem = db.pragma("quick_check(1)", { simple: true });
  if (problem !== "ok") {
    const lines = String(problem).split("\n");
    const first = (lines.find((l) => !l.startsWith("***")) ?? lines[0]!).slice(0, 200);
    throw new RedgreenError("db_error", `the database ${path} is corrupt (quick_check: ${first}); move it away to start a new one`);
  }
}

/**
 * Opens (creating directory and file when missing) with WAL, busy_timeout and foreign keys on; an existing file is
 * checked first. `readOnly` opens an existing file as is.
 * @internal the raw connection stays out of the published types
 */
export function openDatabase(path: string, opts: { readOnly?: boolean } = {}): Db {
  if (opts.readOnly && path !== ":memory:") return openReadOnly(path);
  if (path !== ":memory:") {
    try {
      ensureDir(dirname(path));
    } catch (e) {
      throw new RedgreenError("db_error", `cannot create the directory for the database ${path}: ${describeFsError(e)}`, {
        cause: e,
      });
    }
  }
  const existed = path !== ":memory:" && existingFile(path);
  let db: Db | undefined;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    // The first statement reads the header, so a corrupt or foreign file fails here rather than later.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    if (existed) checkIntegrity(db, path);
    return db;
  } catch (e) {
    db?.close();
    throw toDbError(path, e);
  }
}
