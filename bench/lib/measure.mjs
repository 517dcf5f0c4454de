// Timing helpers for benchmarks: run a command (through redgreen's runProcess) under measure-cmd.py, take medians.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess } from "../../dist/src/process/run.js";
import { venvPython } from "./env.mjs";

const measureScript = fileURLToPath(new URL("./measure-cmd.py", import.meta.url));

/** Median of a non-empty list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Runs one command to completion; returns the ProcessResult with `seconds` (wall) and `cpuSeconds`
 * (user + sys of the command and every descendant it waited for). Throws on timeout.
 */
export async function timeCommand(file, args, { cwd, env, timeoutMs = 600_000 }) {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-measure-"));
  try {
    const out = join(dir, "m.json");
    const r = await runProcess(venvPython, [measureScript, out, file, ...args], { cwd, ...(env ? { env } : {}), timeoutMs });
    if (r.timedOut) throw new Error(`${[file, ...args].join(" ")} timed out after ${timeoutMs} ms`);
    const m = JSON.parse(readFileSync(out, "utf8"));
    return { ...r, exitCode: m.exitCode, seconds: m.wall, cpuSeconds: m.cpu };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs each variant `runs` times, alternating (a, b, a, b, ...) so slow drifts of the machine hit all
 * variants alike; `check` validates every result. Returns { wall, cpu } seconds per variant.
 */
export async function alternate(variants, runs, check) {
  const wall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(variants)) {
      const r = await run();
      check(name, r);
      wall[name].push(r.seconds);
      cpu[name].push(r.cpuSeconds);
    }
  }
  return { wall, cpu };
}

/** Rounds to milliseconds (seconds) or to 3 decimals (ratios). */
export const round3 = (x) => Math.round(x * 1000) / 1000;
