// Runs one command while polling /proc: its own peak RSS (children excluded) and the command lines of its direct children.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** A /proc/<pid>/status field in kB (VmHWM, VmRSS), or null once the process is gone. */
function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1]), or null when it is gone. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + sys) of a process and of its children it has waited for, or null when it is gone. */
function cpuSecondsOf(pid) {
  const f = statFields(pid);
  return f === null ? null : (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLOCK_TICKS;
}

/** A process's argv, or null when it is gone. */
function argvOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((a) => a !== "");
  } catch {
    return null;
  }
}

/**
 * Runs `file args` to completion, polling every `intervalMs`: the process's VmHWM (the kernel's own high-water mark of
 * its resident set, so a peak between polls is not lost) and each new direct child's argv. A child that starts and
 * ends between two polls is missed, so the interval must stay below the shortest child's life (a runner start-up).
 * A child's `seconds` is from the poll that first saw it to the last poll that still did (short by up to two intervals);
 * `cpuSeconds` is the process's user + sys time with the children it waited for, at the last poll.
 * Resolves { exitCode, seconds, cpuSeconds, stdout, stderr, peakRssMb, children: [{ pid, argv, seconds }] }.
 */
export function watchCommand(file, args, { cwd, env, timeoutMs = 3_600_000, intervalMs = 100 }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    const seen = new Map();
    const selfArgv = [file, ...args].join("\0");
    let peakKb = 0;
    let cpuSeconds = 0;
    const poll = () => {
      const hwm = statusKb(child.pid, "VmHWM");
      if (hwm !== null) peakKb = Math.max(peakKb, hwm);
      cpuSeconds = Math.max(cpuSeconds, cpuSecondsOf(child.pid) ?? 0);
      const now = performance.now();
      for (const name of readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        const pid = Number(name);
        const known = seen.get(pid);
        if (known) {
          known.lastMs = now;
          continue;
        }
        if (Number(statFields(pid)?.[1]) !== child.pid) continue;
        const argv = argvOf(pid);
        // Between fork and exec a child still shows its parent's argv: it is read again on the next poll.
        if (argv !== null && argv.join("\0") !== selfArgv) seen.set(pid, { argv, firstMs: now, lastMs: now });
      }
    };
    const timer = setInterval(poll, intervalMs);
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearInterval(timer);
      clearTimeout(killer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      clearTimeout(killer);
      if (signal === "SIGKILL") return reject(new Error(`${file} ${args.join(" ")} was killed after ${timeoutMs} ms`));
      resolve({
        exitCode: code ?? 1,
        seconds: (performance.now() - started) / 1000,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        peakRssMb: Math.round(peakKb / 102.4) / 10,
        cpuSeconds,
        children: [...seen].map(([pid, c]) => ({ pid, argv: c.argv, seconds: (c.lastMs - c.firstMs) / 1000 })),
      });
    });
  });
}

/**
 * The test runs in a REDGREEN_TIMINGS=1 timeline (stderr): each "test run: KIND[ with coverage], N tests" line (a
 * prestarted run's own line left out: the run_tests node's line for it follows), as { kind, coverage, seconds }; kind
 * "full", or "selected" for targeted and affected runs.
 */
export function timelineRuns(stderr) {
  return stderr.split("\n").flatMap((line) => {
    const m = /^redgreen timings: \S+ s \+(\S+) s \S+ MB test run: (full|targeted|affected)( with coverage)?, /.exec(line);
    return m === null ? [] : [{ kind: m[2] === "full" ? "full" : "selected", coverage: m[3] !== undefined, seconds: Number(m[1]) }];
  });
}
