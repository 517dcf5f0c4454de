// The project lock: one redgreen at a time changes a project's files (PROJECT/.redgreen/lock, created with O_EXCL).
import { randomUUID } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";
import { ignoreStateDir } from "../store/db-path.js";

/** Who holds a project: written into the lock file as JSON. */
export const LockOwnerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  workflowId: z.string(),
  /** What holds it: "run", "resume", "chat /fix", "undo", "apply_fix", ... */
  command: z.string(),
  startedAt: z.string(),
  /** Tells this holder's lock apart from another holder in the same process. */
  token: z.string(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/** A held lock; release() is idempotent. */
export interface ProjectLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** The owner of a lock left by a process that is gone, which this one took over. */
  readonly tookOverFrom: LockOwner | null;
  release(): void;
}

export interface LockRequest {
  workflowId: string;
  command: string;
  /** Where a one-line note goes when a stale lock is taken over, e.g. stderr (default: nowhere). */
  note?: { write(text: string): unknown } | undefined;
}

/** PROJECT/.redgreen/lock. */
export const lockPath = (projectRoot: string): string => join(projectRoot, ".redgreen", "lock");

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const readOwner = (path: string): LockOwner | null => {
  try {
    return LockOwnerSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return null;
  }
};

/** Whether the holder is certainly gone: a dead pid on this host (a lock from another host is never presumed stale). */
const isStale = (owner: LockOwner): boolean => owner.host === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid);

/** Creates the lock file atomically; false when it exists. */
function create(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new RedgreenError("io_error", `cannot create the project lock ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Moves a stale lock aside, but only the one seen stale: a lock created meanwhile is put back. */
function removeStale(path: string, stale: LockOwner): void {
  const aside = `${path}.${process.pid}.${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else removed it first
  }
  const moved = readOwner(aside);
  if (moved !== null && moved.token !== stale.token) {
    try {
      linkSync(aside, path); // no clobber: if yet another lock appeared, that one stands
    } catch {
      // the newer lock wins either way
    }
  }
  unlinkSync(aside);
}

const describe = (o: LockOwner, root: string): string =>
  `another redgreen (${o.command}, pid ${o.pid}${o.host === hostname() ? "" : ` on ${o.host}`}, workflow ${o.workflowId}, ` +
  `started ${o.startedAt}) is changing ${root}; wait for it to finish, or remove ${lockPath(root)} if that process is gone`;

/** Takes the project's lock, or throws conflict naming the holder; a lock whose process is dead is taken over. */
export function acquireProjectLock(projectRoot: string, request: LockRequest): ProjectLock {
  const path = lockPath(projectRoot);
  mkdirSync(join(projectRoot, ".redgreen"), { recursive: true });
  ignoreStateDir(path);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    workflowId: request.workflowId,
    command: request.command,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  let tookOverFrom: LockOwner | null = null;
  for (let attempt = 0; !create(path, owner); attempt++) {
    const holder = readOwner(path);
    if (holder !== null && !isStale(holder)) throw new RedgreenError("conflict", describe(holder, projectRoot));
    if (attempt >= 3) throw new RedgreenError("conflict", `the project lock ${path} is unreadable; remove it if no redgreen is running`);
    // An unreadable lock may be one being written right now: only a readable stale one is removed.
    if (holder !== null) {
      removeStale(path, holder);
      tookOverFrom = holder;
    }
  }
  if (tookOverFrom !== null) {
    request.note?.write(
      `redgreen: took over the project lock of pid ${tookOverFrom.pid} (workflow ${tookOverFrom.workflowId}), which is no longer running\n`,
    );
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    if (readOwner(path)?.token === owner.token) unlinkSync(path);
  };
  // Ctrl-C and errors end through process.exit: the lock goes with the process (a SIGKILL leaves a stale one).
  process.on("exit", release);
  return { path, owner, tookOverFrom, release };
}

/** Runs fn holding the project lock. */
export async function withProjectLock<T>(projectRoot: string, request: LockRequest, fn: () => Promise<T>): Promise<T> {
  const lock = acquireProjectLock(projectRoot, request);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
