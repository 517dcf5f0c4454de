// The project lock file: atomic creation, a one-line conflict naming the holder, takeover only of a dead local process.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireProjectLock, lockPath, withProjectLock } from "../../src/fixers/project-lock.js";
import type { LockOwner } from "../../src/fixers/project-lock.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "redgreen-lock-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);

const plant = (owner: Partial<LockOwner>): LockOwner => {
  const full: LockOwner = {
    pid: 1,
    host: hostname(),
    workflowId: "wf-old",
    command: "run",
    startedAt: "2030-01-01T00:00:00.000Z",
    token: "t-old",
    ...owner,
  };
  mkdirSync(join(root, ".redgreen"), { recursive: true });
  writeFileSync(lockPath(root), JSON.stringify(full));
  return full;
};

describe("acquireProjectLock", () => {
  it("writes the owner, refuses a second holder (even in this process) with one line, and removes the file on release", () => {
    const lock = acquireProjectLock(root, { workflowId: "wf-1", command: "run" });
    expect(JSON.parse(readFileSync(lockPath(root), "utf8"))).toEqual(lock.owner);
    expect(lock.owner).toMatchObject({ pid: process.pid, host: hostname(), workflowId: "wf-1", command: "run" });
    expect(readFileSync(join(root, ".redgreen", ".gitignore"), "utf8")).toContain("*");
    expect(() => acquireProjectLock(root, { workflowId: "wf-2", command: "apply_fix" })).toThrow(
      expect.objectContaining({
        code: "conflict",
        message: expect.stringMatching(new RegExp(`^another redgreen \\(run, pid ${process.pid}, workflow wf-1, `)),
      }),
    );
    lock.release();
    lock.release();
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it("takes over the lock of a dead process on this host, with a note", async () => {
    const old = plant({ pid: deadPid() });
    const notes: string[] = [];
    const result = await withProjectLock(
      root,
      { workflowId: "wf-new", command: "undo", note: { write: (t: string) => notes.push(t) } },
      async () => JSON.parse(readFileSync(lockPath(root), "utf8")) as LockOwner,
    );
    expect(result).toMatchObject({ pid: process.pid, workflowId: "wf-new" });
    expect(notes).toEqual([`redgreen: took over the project lock of pid ${old.pid} (workflow wf-old), which is no longer running\n`]);
    expect(existsSync(lockPath(root))).toBe(false);
  });

  it("never presumes a lock from another host stale, and leaves a lock it does not own in place", () => {
    plant({ pid: deadPid(), host: "build-box-7" });
    expect(() => acquireProjectLock(root, { workflowId: "wf", command: "run" })).toThrow(
      /\(run, pid \d+ on build-box-7, workflow wf-old, /,
    );
    rmSync(lockPath(root));
    const lock = acquireProjectLock(root, { workflowId: "wf", command: "run" });
    plant({ pid: process.pid, token: "someone-else" });
    lock.release();
    expect(JSON.parse(readFileSync(lockPath(root), "utf8"))).toMatchObject({ token: "someone-else" });
  });
});
