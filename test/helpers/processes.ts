// Checks on real processes for the supervision tests: is a pid still running, wait until it dies, find pids, read recorded pids.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Whether a pid is a live process (a zombie counts as dead: it no longer runs). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Polls until `pid` is dead or `ms` passed; returns whether it died. */
export async function diesWithin(pid: number, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** Polls `read` until it returns a value (not undefined) or `ms` passed. */
export async function waitFor<T>(read: () => T | undefined, ms: number): Promise<T | undefined> {
  const until = performance.now() + ms;
  for (;;) {
    try {
      const v = read();
      if (v !== undefined) return v;
    } catch {
      /* not there yet */
    }
    if (performance.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The "name pid" lines a runaway fixture recorded, as a map. */
export function recordedPids(file: string): Map<string, number> {
  return new Map(
    readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ") as [string, string])
      .map(([name, pid]) => [name, Number(pid)]),
  );
}

/** Pids of the processes whose argv (and cwd) `match` accepts, from /proc; processes that go away meanwhile are left out. */
export function pidsWhere(match: (argv: string[], cwd: () => string) => boolean): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return match(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"), () => readlinkSync(`/proc/${pid}/cwd`));
      } catch {
        return false;
      }
    })
    .map(Number);
}
