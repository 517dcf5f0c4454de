// The pytest adapter's standby: the next run's Python process, started when a run ends, has pytest loaded before it is needed.
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import type { RunnerName } from "../../domain/runner-choice.js";
import { reportPhase } from "../../process/timings.js";
import { type ProcessResult, runProcess, type RunProcessOptions, type Standby, startStandby } from "../../process/run.js";
import { uncheckedInterpreter } from "../../python/interpreter.js";
import { detectRunner } from "../detect.js";
import { testProcessEnv } from "../test-env.js";
import { pytestStartEnv } from "./command.js";

/** The standby's module (src/runners/pytest/redgreen_standby.py), on the PYTHONPATH every plugin run has. */
const STANDBY_MODULE = "redgreen_standby";
/** redgreen_standby.py's REFUSED_EXIT and REFUSED_MARKER: the order was not run, a fresh process must run it. */
const REFUSED_EXIT = 86;
const REFUSED_MARKER = "redgreen-standby: refused:";

/** How the runs so far were started. */
export interface StandbyCounts {
  /** Runs a standby took. */
  standby: number;
  /** Runs a standby refused (then started afresh, also counted in `fresh`). */
  refused: number;
  /** Runs started as a fresh `python -m pytest`. */
  fresh: number;
}

type PytestRunOptions = RunProcessOptions & { env: Record<string, string | undefined> };

/**
 * Starts pytest runs, each through the standby the previous run left when there is one. A standby is the same
 * interpreter, folder and environment as a fresh `python -m pytest` (redgreen_standby.py refuses an order it cannot run
 * as one would: a loaded file changed, a name appeared that could shadow one, the environment differs): its answer
 * is the run's, or it refuses and the run starts afresh.
 */
export class PytestStandbys {
  private waiting: Standby | null = null;
  readonly counts: StandbyCounts = { standby: 0, refused: 0, fresh: 0 };
  /** The last refusal's reason (redgreen_standby.py's words), or null. */
  lastRefusal: string | null = null;

  /**
   * The runs of `python` in `projectRoot`; with `adopt`, the first takes the standby startStandbyAhead left for them,
   * if any.
   */
  constructor(
    projectRoot: string,
    private readonly python: string,
    adopt: boolean,
  ) {
    if (adopt && ahead !== null && ahead.projectRoot === resolve(projectRoot) && ahead.python === python) {
      this.waiting = ahead.standby;
      ahead = null;
    }
  }

  /**
   * Runs the interpreter with `args` (they start with `-m pytest`); with `next` true, then starts the next run's standby
   * with the same interpreter, folder and environment.
   */
  async run(args: string[], options: PytestRunOptions, next: boolean): Promise<ProcessResult> {
    const result = await this.start(args, options);
    // Started when this run ended, not beside it: a first run shares the machine with redgreen's own start already.
    if (next && !options.signal?.aborted && !shadowsStandby(options.cwd)) {
      const { cwd, env, maxOutputBytes } = options;
      this.waiting = startPytestStandby(this.python, { cwd, env, ...(maxOutputBytes ? { maxOutputBytes } : {}) });
    }
    return result;
  }

  private async start(args: string[], options: PytestRunOptions): Promise<ProcessResult> {
    const { python } = this;
    const ready = this.waiting;
    this.waiting = null;
    if (ready !== null && !ready.exited && args[0] === "-m" && args[1] === "pytest") {
      const started = performance.now();
      const order = JSON.stringify({ args: args.slice(2), env: definedOnly(options.env) }) + "\n";
      const result = await ready.go(order, { timeoutMs: options.timeoutMs, signal: options.signal });
      const refusal = refusalOf(result);
      reportPhase(`pytest standby: ${refusal === null ? "ran the run" : `refused (${refusal})`}`, started);
      if (refusal === null) {
        this.counts.standby++;
        return { ...result, command: [python, ...args] };
      }
      this.counts.refused++;
      this.lastRefusal = refusal;
    } else {
      ready?.cancel();
    }
    this.counts.fresh++;
    return runProcess(python, args, options);
  }

  /** Stops the waiting standby, if any. */
  close(): void {
    this.waiting?.cancel();
    this.waiting = null;
  }
}

/** The standby startStandbyAhead started, until an adapter of its project and interpreter takes it. */
let ahead: { projectRoot: string; python: string; standby: Standby } | null = null;

/** What `redgreen run` knows of its project at start-up (its flags). */
export interface StandbyAheadOptions {
  projectRoot: string;
  runner?: RunnerName | undefined;
  python?: string | undefined;
  passEnv?: readonly string[] | undefined;
}

/**
 * Starts the standby of a project's first run before its adapter exists: `redgreen run` calls it at start-up, so Python
 * loads pytest while the rest of redgreen loads. Only when the runner is pytest (named, or detected) and the interpreter
 * is known without starting it; the environment is the one the adapter's runs get (the --pass-env choice included). The
 * first PytestStandbys of that root and interpreter takes it, and it refuses a run it could run differently.
 */
export async function startStandbyAhead(options: StandbyAheadOptions): Promise<void> {
  const projectRoot = resolve(options.projectRoot);
  const python = uncheckedInterpreter(projectRoot, options.python);
  if (python === null) return;
  const runner = options.runner ?? (await detectRunner(projectRoot).catch(() => null))?.runner;
  if (runner !== "pytest" || shadowsStandby(projectRoot)) return;
  ahead?.standby.cancel();
  const env = pytestStartEnv(testProcessEnv(process.env, options.passEnv));
  ahead = { projectRoot, python, standby: startPytestStandby(python, { cwd: projectRoot, env }) };
}

/** `python -m redgreen_standby` in `options.cwd`, waiting for its order. */
const startPytestStandby = (python: string, options: { cwd: string; env: Record<string, string | undefined>; maxOutputBytes?: number }) =>
  startStandby(python, ["-m", STANDBY_MODULE], options);

/**
 * True when `python -m redgreen_standby` in `root` could import the project's own module of that name: the root comes
 * first on sys.path, before redgreen's folder, so that module would be handed the run's order. No standby starts there.
 * (A name that appears later is new to a started standby, which refuses its order.)
 */
function shadowsStandby(root: string): boolean {
  try {
    return readdirSync(root).some((name) => name === STANDBY_MODULE || name.startsWith(`${STANDBY_MODULE}.`));
  } catch {
    return true;
  }
}

/** The refusal's reason when the standby refused the order (and ran nothing), else null. */
function refusalOf(result: ProcessResult): string | null {
  if (result.exitCode !== REFUSED_EXIT || !result.stderr.startsWith(REFUSED_MARKER)) return null;
  return result.stderr.slice(REFUSED_MARKER.length).trim().split("\n")[0] ?? "";
}

/** The environment as a child gets it: unset variables left out. */
const definedOnly = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
