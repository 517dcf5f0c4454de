// pytest-xdist for big runs: `-n auto` when the project's interpreter can import xdist and nobody chose workers already.
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { runProcess } from "../../process/run.js";
import { setsWorkers } from "../runner-args.js";

/** Below this many requested node ids / files a run stays serial: xdist's worker start-up costs more than it saves. */
export const XDIST_MIN_TARGETS = 200;
/**
 * A suite whose whole run took less than this many seconds stays serial: xdist's start-up (measured at 3-4 s for a
 * four-test suite with coverage on a loaded 2-core machine) would cost more than the workers save.
 */
export const XDIST_MIN_SUITE_SECONDS = 10;
/**
 * Cores that must be idle (count minus the 1-minute load average) before a slow suite goes on workers: each worker
 * collects the whole suite again, so on a busy machine `-n auto` costs more than it saves (a 5,000-test suite at load 9
 * on 2 cores: 18 s on workers against 10 s serial).
 */
export const XDIST_MIN_IDLE_CORES = 2;

/** Cores this machine has that its 1-minute load average leaves idle. */
export const idleCores = (): number => cpus().length - loadavg()[0]!;

/** Whether `python` (with the test process's environment) can import pytest-xdist. */
export async function probeXdist(python: string, cwd: string, env: Record<string, string | undefined>): Promise<boolean> {
  try {
    const r = await runProcess(python, ["-c", "import xdist"], { cwd, env, timeoutMs: 30_000 });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** The addopts text of the project's pytest config files and of PYTEST_ADDOPTS (raw, concatenated). */
function projectAddopts(projectRoot: string, env: Record<string, string | undefined>): string {
  const parts: string[] = [env.PYTEST_ADDOPTS ?? ""];
  for (const name of ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"]) {
    const path = join(projectRoot, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    // ini: `addopts = ...` plus indented continuation lines; toml: a string or an array of strings.
    for (const m of text.matchAll(/^\s*addopts\s*=\s*(\[[^\]]*\]|.*(?:\n[ \t]+\S.*)*)/gm)) parts.push(m[1]!);
  }
  return parts.join(" ");
}

/** Whether the project's own options choose xdist's workers or switch xdist off (-n, --numprocesses, -p no:xdist). */
export function projectSetsWorkers(projectRoot: string, env: Record<string, string | undefined>): boolean {
  const words = projectAddopts(projectRoot, env)
    .split(/[\s,"'[\]]+/)
    .filter((w) => w !== "");
  return setsWorkers(words) || words.some((w, i) => w === "no:xdist" || w === "-pno:xdist" || (w === "-p" && words[i + 1] === "no:xdist"));
}

/** What decides whether a run goes on xdist. */
export interface XdistChoice {
  /** The interpreter imports xdist. */
  available: boolean;
  /** The project's addopts (or PYTEST_ADDOPTS) choose workers or switch xdist off. */
  projectSets: boolean;
  runnerArgs: readonly string[];
  /** Node ids / files the run asks for (0: the whole suite). */
  targets: number;
  /** The longest whole-suite run this adapter made, in seconds (null before the first one). */
  suiteSeconds: number | null;
  /** Seconds a whole-suite run must have taken for xdist to pay off (0: always, whatever the load). */
  minSuiteSeconds: number;
  /** Idle cores now (see idleCores): fewer than XDIST_MIN_IDLE_CORES keep a run serial. */
  idleCores: number;
}

/** Whether a run is big enough, of a suite slow enough, on a machine idle enough, for workers to pay off (and no runner arg chose them). */
export function xdistWorthIt(c: Omit<XdistChoice, "available" | "projectSets">): boolean {
  if (setsWorkers(c.runnerArgs)) return false;
  if (c.targets > 0 && c.targets < XDIST_MIN_TARGETS) return false;
  if (c.minSuiteSeconds === 0) return true;
  return c.suiteSeconds !== null && c.suiteSeconds >= c.minSuiteSeconds && c.idleCores >= XDIST_MIN_IDLE_CORES;
}

/** `-n auto` for a big run of a suite slow enough to gain from workers, or nothing. */
export function xdistArgs(c: XdistChoice): string[] {
  return c.available && !c.projectSets && xdistWorthIt(c) ? ["-n", "auto"] : [];
}
