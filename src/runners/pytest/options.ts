// What the pytest adapter can be told: interpreter, timeouts, environment, extra arguments, xdist, the plugin.
/** Options of the pytest adapter. */
export interface PytestAdapterOptions {
  projectRoot: string;
  /** Interpreter to use (`--python`); default: the project's .venv/venv, else python3 on PATH. */
  python?: string;
  /**
   * Per-test timeout in seconds, honoured exactly (0 turns it off). Default: max(60, 5x the slowest test an earlier run
   * of this adapter finished), so a default never fails a healthy slow test; slow tests are reported in slowTests.
   */
  testTimeoutSeconds?: number;
  /** Hard limit for a whole run in seconds (default 900); the process group is killed past it. */
  runTimeoutSeconds?: number;
  /** Extra environment variables for pytest. */
  env?: Record<string, string>;
  /** Model credentials the test process gets anyway (`--pass-env`); every other one is withheld (see test-env.ts). */
  passEnv?: readonly string[] | undefined;
  /** Extra pytest arguments placed before the test paths, e.g. ["-n", "2"]. */
  pytestArgs?: string[];
  /**
   * Runs the whole suite and large selections on pytest-xdist (`-n auto`) when the interpreter can import it and an
   * earlier whole-suite run took xdistMinSuiteSeconds or more, unless the runner args or the project's addopts choose
   * workers themselves. Default false (createRunnerAdapter turns it on).
   */
  parallel?: boolean;
  /** Seconds a whole-suite run must have taken before xdist is used (default XDIST_MIN_SUITE_SECONDS; 0: from the first run). */
  xdistMinSuiteSeconds?: number;
  /** false runs pytest without the bundled plugin (results from JUnit XML, then terminal text). */
  usePlugin?: boolean;
  /** Seconds past the per-test timeout before a test stuck in C code is dumped and the run resumed without it (default 5). */
  hangGraceSeconds?: number;
  /**
   * Starts the next run's Python process when each plugin run ends, so it has pytest loaded when that run comes
   * (redgreen_standby.py; it refuses whatever a fresh process could run differently). Default false
   * (createRunnerAdapter turns it on unless told the adapter runs once); close() stops the one waiting.
   */
  standby?: boolean;
  /** Bytes of stdout/stderr kept from pytest (each; default 2 MiB). */
  maxOutputBytes?: number;
}
