// Standbys: each run of a runner, when it ends, leaves the next run's process started and waiting for its order.
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { reportPhase } from "../process/timings.js";
import { type ProcessResult, runProcess, type RunProcessOptions, type Standby, startStandby } from "../process/run.js";

/**
 * redgreen_standby.py's and standby.mjs's REFUSED_EXIT and REFUSED_MARKER: the order was not run, a fresh process must
 * run it. The marker is followed by the order's nonce, which only the standby read: a run that prints the line and
 * exits 86 (the project's code runs in the same process) is the run's result, not a refusal.
 */
const REFUSED_EXIT = 86;
const REFUSED_MARKER = "redgreen-standby: refused:";

/** How the runs so far were started. */
export interface StandbyCounts {
  /** Runs a standby took. */
  standby: number;
  /** Runs a standby refused (then started afresh, also counted in `fresh`). */
  refused: number;
  /** Runs started as a fresh process. */
  fresh: number;
}

/** How one runner's standby starts and which runs it takes. */
export interface StandbyLauncher {
  /** The runner, as the timeline names it ("pytest standby: ran the run"). */
  readonly runner: string;
  /** The standby's command; it starts in the run's folder with the run's environment. */
  readonly file: string;
  readonly args: readonly string[];
  /** The fd the standby reads its order from (default 0, stdin); past 3, its stdin is /dev/null as a fresh run's is. */
  readonly orderFd?: number;
  /** The arguments a standby is ordered to run for the fresh command `file args`, or null when it cannot run it. */
  orderArgs(file: string, args: readonly string[]): string[] | null;
  /** Whether a standby may start in `cwd` with `env` (one that could only refuse is not started). */
  startable(cwd: string, env: Record<string, string | undefined>): boolean;
}

export type StandbyRunOptions = RunProcessOptions & { env: Record<string, string | undefined> };

/**
 * Starts a runner's runs, each through the standby the previous run left when there is one. A standby is the same
 * command, folder and environment as a fresh run, with the runner loaded ahead; it refuses an order it cannot run as a
 * fresh process would (a loaded file changed, a name appeared that could shadow one, the environment differs): its
 * answer is the run's, or it refuses and the run starts afresh. Without a launcher every run is fresh.
 */
export class Standbys {
  private waiting: Standby | null = null;
  readonly counts: StandbyCounts = { standby: 0, refused: 0, fresh: 0 };
  /** The last refusal's reason (the standby's words), or null. */
  lastRefusal: string | null = null;

  /** The runs in `projectRoot`; with `adopt`, the first takes the standby startStandbyAhead left for them, if any. */
  constructor(
    private readonly launcher: StandbyLauncher | null,
    projectRoot: string,
    adopt: boolean,
  ) {
    const key = launcher === null ? null : aheadKey(launcher, projectRoot);
    if (adopt && ahead !== null && ahead.key === key) {
      this.waiting = ahead.standby;
      ahead = null;
    }
  }

  /**
   * Runs `file args`; when `next` says so of the ended run, then starts the next run's standby in the same folder with
   * the same environment.
   */
  async run(file: string, args: string[], options: StandbyRunOptions, next: (ended: ProcessResult) => boolean): Promise<ProcessResult> {
    const result = await this.start(file, args, options);
    // Started when this run ended, not beside it: a first run shares the machine with redgreen's own start already.
    const { launcher } = this;
    if (next(result) && launcher !== null && !options.signal?.aborted && launcher.startable(options.cwd, options.env)) {
      const { cwd, env, maxOutputBytes } = options;
      const size = maxOutputBytes ? { maxOutputBytes } : {};
      this.waiting = startStandby(launcher.file, [...launcher.args], { cwd, env, ...size, inputFd: launcher.orderFd ?? 0 });
    }
    return result;
  }

  private async start(file: string, args: string[], options: StandbyRunOptions): Promise<ProcessResult> {
    const ready = this.waiting;
    this.waiting = null;
    const orderArgs = this.launcher?.orderArgs(file, args) ?? null;
    if (ready !== null && !ready.exited && orderArgs !== null) {
      const started = performance.now();
      const nonce = randomUUID();
      const order = JSON.stringify({ args: orderArgs, env: definedOnly(options.env), nonce }) + "\n";
      const result = await ready.go(order, { timeoutMs: options.timeoutMs, signal: options.signal });
      const refusal = refusalOf(result, nonce);
      reportPhase(`${this.launcher!.runner} standby: ${refusal === null ? "ran the run" : `refused (${refusal})`}`, started);
      if (refusal === null) {
        this.counts.standby++;
        return { ...result, command: [file, ...args] };
      }
      this.counts.refused++;
      this.lastRefusal = refusal;
    } else {
      ready?.cancel();
    }
    this.counts.fresh++;
    return runProcess(file, args, options);
  }

  /** Stops the waiting standby, if any. */
  close(): void {
    this.waiting?.cancel();
    this.waiting = null;
  }
}

/**
 * The adapters' rule for a next run's standby: after every run but a full run that passed. A workflow ends green
 * there (or finds the suite green at its start), and a standby nobody takes only costs the machine its start-up.
 */
export const unlessFullAndGreen =
  (full: boolean) =>
  (ended: ProcessResult): boolean =>
    !full || ended.exitCode !== 0;

/** The standby startStandbyAhead started, until the Standbys of its launcher and project takes it. */
let ahead: { key: string; standby: Standby } | null = null;

const aheadKey = (launcher: StandbyLauncher, projectRoot: string): string =>
  JSON.stringify([resolve(projectRoot), launcher.file, ...launcher.args]);

/**
 * Starts the standby of a project's first run before its adapter exists (`redgreen run` calls it at start-up, so the
 * runner loads while the rest of redgreen does), in `projectRoot` with the environment its runs get. The first
 * Standbys of that launcher and root takes it; one started before and not taken is stopped.
 */
export function startStandbyAheadWith(launcher: StandbyLauncher, projectRoot: string, env: Record<string, string | undefined>): void {
  ahead?.standby.cancel();
  ahead = null;
  const cwd = resolve(projectRoot);
  if (!launcher.startable(cwd, env)) return;
  const standby = startStandby(launcher.file, [...launcher.args], { cwd, env, inputFd: launcher.orderFd ?? 0 });
  ahead = { key: aheadKey(launcher, cwd), standby };
}

/** The refusal's reason when the standby refused the order with `nonce` (and ran nothing), else null. */
function refusalOf(result: ProcessResult, nonce: string): string | null {
  const marker = `${REFUSED_MARKER} ${nonce} `;
  if (result.exitCode !== REFUSED_EXIT || !result.stderr.startsWith(marker)) return null;
  return result.stderr.slice(marker.length).trim().split("\n")[0] ?? "";
}

/** The environment as a child gets it: unset variables left out. */
const definedOnly = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
