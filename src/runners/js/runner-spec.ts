// What the shared JS adapter is told: its options, and the runner-specific part (JsRunnerSpec) vitest and jest each provide.
import type { StandbyLauncher } from "../standby.js";

/** Options shared by the vitest and jest adapters. */
export interface JsAdapterOptions {
  projectRoot: string;
  /**
   * Per-test timeout in seconds, passed to the runner as given (0 turns it off). Without one the project's own setting
   * (or the runner's default) applies, as in a bare run, and redgreen's stall watchdog uses a generous default.
   */
  testTimeoutSeconds?: number;
  /** Hard limit for a whole run in seconds (default 900); the process group is killed past it. */
  runTimeoutSeconds?: number;
  /** Extra environment variables for the runner. */
  env?: Record<string, string>;
  /** Model credentials the test process gets anyway (`--pass-env`); every other one is withheld (see test-env.ts). */
  passEnv?: readonly string[] | undefined;
  /** Bytes of stdout/stderr kept from the runner (each; default 2 MiB). */
  maxOutputBytes?: number;
  /**
   * Whether each run, when it ends, starts the next run's standby (the runner's standby launcher; it refuses whatever a
   * fresh process could run differently); the first run takes the one startStandbyAhead started. Default false (an
   * adapter that runs once).
   */
  standby?: boolean;
}

/** What one run asks of the runner's command line. */
export interface JsRunArgs {
  /** Absolute test file (or folder) paths; all tests when empty. */
  files: string[];
  /** The entries of `files` that are folders (every test under them runs). */
  folders: string[];
  /** Absolute changed files whose related tests run (vitest related, jest --findRelatedTests); empty otherwise. */
  related: string[];
  /** A regular expression over "describe titles + test title" joined by spaces, or null. */
  namePattern: string | null;
  reportFile: string;
  /** Absolute path of the bundled progress reporter. */
  reporter: string;
  /** The runner's per-test timeout, or null to leave the project's own setting (or the runner's default) in force. */
  testTimeoutMs: number | null;
  /** Folder for json-summary and json coverage reports, or null without coverage. */
  coverageDir: string | null;
}

/** What differs between vitest and jest. */
export interface JsRunnerSpec {
  readonly name: "vitest" | "jest";
  /** Absolute path of the runner's executable. */
  readonly bin: string;
  /** The version of the runner's CLI package, or null when it cannot be read (named in errors). */
  readonly version: string | null;
  /** Absolute path of the bundled progress reporter. */
  readonly reporter: string;
  /** How the runner's standby starts (null: none can stand in for its bin). */
  readonly standby: StandbyLauncher | null;
  /** Whether a file name is one of the runner's config files (they count as test files; their setup files too). */
  isConfigName(base: string): boolean;
  args(p: JsRunArgs): string[];
  /** null when coverage can be measured, else the reason it cannot. */
  coverageProblem(): string | null;
  /** Whether the live reporter's errors are better than the JSON report's (vitest's JSON drops some messages). */
  readonly preferReporterErrors: boolean;
  /**
   * Milliseconds the runner may keep running once its JSON report is complete before it is stopped and the run
   * reported from that report (jest waits forever for a handle a test left open); null: wait for it to exit.
   */
  readonly exitGraceMs: number | null;
  /**
   * A note when a test left a handle (timer, socket) open, else null: the runner's output says so, or the runner
   * was stopped `lingered` seconds after its report was complete (null when it exited by itself).
   */
  openHandleNote(output: string, lingered: number | null): string | null;
}
