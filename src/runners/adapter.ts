// TestRunnerAdapter: what every test-runner integration (pytest, vitest, jest) provides.
import type { TestRunResult } from "../domain/index.js";
import type { RunnerName } from "../domain/runner-choice.js";

export interface RunProgress {
  /** Tests collected so far (null until collection finishes). */
  collected: number | null;
  done: number;
  failed: number;
  /** The test that just finished, when there is one. */
  lastNodeId?: string;
}

export interface RunTestsOptions {
  /** Test files or node ids to run; all tests when empty or absent. */
  files?: string[];
  coverage?: boolean;
  /**
   * Which test ran which lines, with `coverage`. A full run records the suite's per-test map (impact selection and fault
   * localisation read it) unless this is false: then it measures the totals only and leaves the last map as it is. A
   * run of given `files` records it only when this is true, kept apart from the suite's map (`testCoverage("probe")`,
   * fault localisation's extra run).
   */
  perTestCoverage?: boolean;
  verbose?: boolean;
  /** Per-test timeout in seconds, honoured exactly (default: pytest max(60, 5x the slowest test seen), JS runners 10). */
  testTimeoutSeconds?: number;
  /** Hard timeout for the whole run in seconds; the process group is killed past it. */
  runTimeoutSeconds?: number;
  /**
   * Project-relative source files a fix changed: the run selects only the tests the runner's own impact machinery links
   * to them (vitest related, jest --findRelatedTests, pytest's per-test coverage contexts). An adapter that cannot tell
   * runs the whole suite and says why; either way `result.selection` records what was selected. Ignored with `files`.
   */
  affectedBy?: readonly string[];
  /**
   * The user's runner arguments (`redgreen run -- -k smoke`), checked by src/runners/runner-args.ts: placed on the run,
   * less the file filters when the run names its own files or affected tests (they would widen it).
   */
  runnerArgs?: readonly string[];
  onProgress?: (p: RunProgress) => void;
  signal?: AbortSignal;
}

// The runner names are the domain's (a RunnerChoice names one); re-exported for the adapters' users.
export { RUNNER_NAMES, type RunnerName } from "../domain/runner-choice.js";

/** Which per-test coverage: the last full run's ("suite"), or the last run of given files that asked for it ("probe"). */
export type CoverageScope = "suite" | "probe";

/** Per-test line coverage of one run: which tests executed which project lines. */
export interface PerTestCoverage {
  /** Node ids of every test the run measured. */
  tests(): readonly string[];
  /** Tests that executed at least one line of a project-relative file; null when the file was not measured at all. */
  testsCovering(file: string): readonly string[] | null;
  /** The lines one test executed, by project-relative file (empty when the test was not measured). */
  linesOf(nodeId: string): ReadonlyMap<string, readonly number[]>;
}

export interface TestRunnerAdapter {
  readonly name: RunnerName;
  /** Absolute project root the adapter runs in. */
  readonly projectRoot: string;
  runTests(options?: RunTestsOptions): Promise<TestRunResult>;
  runSpecificTest(file: string, testName: string, options?: Omit<RunTestsOptions, "files">): Promise<TestRunResult>;
  /** Parses pasted terminal output of the runner into a result (the last-resort parser). */
  parseOutput(text: string): TestRunResult;
  /** True when a test duration exceeds the per-test target (reported slow, not failed). */
  isTestTimeout(durationSeconds: number): boolean;
  /** Whether a project-relative path is a test file for this runner (test integrity uses this). */
  isTestFile(relPath: string): boolean;
  /**
   * Which lines each test executed, as recorded by the last full run that measured per-test coverage (pytest: coverage.py
   * dynamic contexts), or null when no run recorded it. Fault localisation and impact selection read it.
   */
  testCoverage?(of?: CoverageScope): PerTestCoverage | null;
  /** Drops what the runner cached of these absolute files (pytest: their bytecode), after they were written or restored. */
  invalidateCaches?(absFiles: readonly string[]): void;
  /** Stops what the adapter keeps running between runs (pytest: its standby process); runs after it start afresh. */
  close?(): void;
  /**
   * Absolute paths of what the runs load from outside the project's own files, as far as the adapter knows them now:
   * the runner and the packages the tests import (their files, and the folders they are found in) and redgreen's own
   * plugins. The guard (src/proof/guard.ts) checks them after each run: what a run changes there, every later run
   * would measure with.
   */
  runtimeFiles?(): readonly string[];
}
