// The supervising shell every spawned command runs under: it keeps redgreen out of the command's reach and kills it when redgreen dies.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { constants } from "node:os";

/** Environment variable that tags every process a command starts, so children that left its process group can still be found. */
export const PROCESS_TAG_VAR = "REDGREEN_PROCESS_TAG";

/** The first words the supervisor writes to stderr when the command cannot be started. */
export const CANNOT_START = "redgreen-supervisor: cannot start";

/**
 * `sh -c SUPERVISOR_SCRIPT redgreen-supervisor TAG FILE ARGS...`. The shell is the group leader and the command's
 * parent (a test that kills its parent kills the shell, not redgreen). A background watcher reads fd 3, a pipe
 * whose writing end only redgreen holds: when redgreen closes it (end of the run) or dies by any means (even
 * SIGKILL), the read returns and the watcher kills every process carrying the tag, then the whole group.
 * The command runs in the foreground with the tag in its environment and without fd 3; the shell exits with its
 * status (128 + N when signal N killed it).
 */
export const SUPERVISOR_SCRIPT = [
  "tag=$1; shift",
  `case $1 in */*) [ -f "$1" ] && [ -x "$1" ];; *) command -v "$1" >/dev/null 2>&1;; esac || { echo "${CANNOT_START} $1: not ` +
    `found or not executable" >&2; exit 127; }`,
  "{ cat <&3",
  `  for f in $(grep -lzx "${PROCESS_TAG_VAR}=$tag" /proc/[0-9]*/environ 2>/dev/null); do p=\${f#/proc/}; kill -9 "\${p%/environ}"; done`,
  "  kill -9 0",
  "} </dev/null >/dev/null 2>&1 &",
  `${PROCESS_TAG_VAR}=$tag "$@" 3<&-`,
].join("\n");

/** The signal name for a supervisor exit status of 128 + N, else null (an ordinary exit code). */
export function signalOfStatus(status: number | null): NodeJS.Signals | null {
  if (status === null || status <= 128 || status > 128 + 64) return null;
  const n = status - 128;
  const name = Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
  return (name as NodeJS.Signals | undefined) ?? null;
}

/** Kills a process group (the supervisor's pid is its id), or the process alone when the group is gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

/** The process group of a pid from /proc/PID/stat (Linux), or null when it cannot be read. */
function groupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[2]);
  } catch {
    return null;
  }
}

/**
 * Kills the command a supervisor runs and everything else in its group, but not the supervisor: it reaps the command
 * and exits with its status, so no killed command is left a zombie for init to collect. Without /proc the whole group goes.
 */
export function killCommand(supervisorPid: number | undefined): void {
  if (supervisorPid === undefined) return;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n) && n !== String(supervisorPid));
  } catch {
    killGroup(supervisorPid);
    return;
  }
  for (const pid of pids) {
    if (groupOf(pid) !== supervisorPid) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      /* gone meanwhile */
    }
  }
}

/** Whether a process's initial environment (Linux /proc) holds `needle`; false when it cannot be read. */
function environHas(pid: string, needle: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, "r");
  } catch {
    return false;
  }
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).includes(needle);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * SIGKILLs every process whose environment carries `tag` (Linux; elsewhere a no-op): the children of a command that
 * left its process group (start_new_session, setsid daemons) but kept the environment they inherited.
 */
export function killTagged(tag: string): void {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n) && n !== String(process.pid));
  } catch {
    return;
  }
  const needle = Buffer.from(`${PROCESS_TAG_VAR}=${tag}\0`);
  for (const pid of pids) {
    if (!environHas(pid, needle)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      /* gone meanwhile */
    }
  }
}
