// TestRunResult and its parts: what one run of a project's test suite produced.
import { z } from "zod";
import { FailureSchema } from "./failure.js";

export const TestRunStatusSchema = z.enum(["passed", "failed", "error", "timeout", "no_tests"]);
export type TestRunStatus = z.infer<typeof TestRunStatusSchema>;

export const FileCoverageSchema = z.object({
  file: z.string(),
  coveredLines: z.number().int().nonnegative(),
  totalLines: z.number().int().nonnegative(),
  percent: z.number(),
  missingLines: z.array(z.number().int()),
});
export type FileCoverage = z.infer<typeof FileCoverageSchema>;

export const CoverageSchema = z.object({
  percent: z.number(),
  coveredLines: z.number().int().nonnegative(),
  totalLines: z.number().int().nonnegative(),
  files: z.array(FileCoverageSchema),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export const SlowTestSchema = z.object({
  nodeId: z.string(),
  durationSeconds: z.number(),
  /** "test" when one test exceeded the per-test target, "file" when a file's total exceeded its target. */
  kind: z.enum(["test", "file"]),
});
export type SlowTest = z.infer<typeof SlowTestSchema>;

/** Why a run's result cannot be taken at its word: its channels disagree, or a test did not really run as reported. */
export const RunAnomalyKindSchema = z.enum([
  /** The plugin's stream and the runner's own outcome (exit status, summary, report) tell different stories. */
  "channels_disagree",
  /** The runner's own machinery (pytest's runtest, pyfunc_call, report classes) was replaced while tests ran. */
  "runner_patched",
  /** A test was reported passed although its test function never ran. */
  "call_not_executed",
  /** A test raised, yet its report says it passed. */
  "outcome_rewritten",
  /** The function run as a test is not defined in a test file (code elsewhere replaced it). */
  "foreign_test_function",
]);
export type RunAnomalyKind = z.infer<typeof RunAnomalyKindSchema>;

export const RunAnomalySchema = z.object({
  kind: RunAnomalyKindSchema,
  /** The test concerned, or null when the whole run is concerned. */
  nodeId: z.string().nullable(),
  detail: z.string(),
});
export type RunAnomaly = z.infer<typeof RunAnomalySchema>;

/** A project file that changed while the tests ran (tests, their configuration, or source): restored byte for byte afterwards. */
export const TamperedFileSchema = z.object({
  file: z.string(),
  change: z.enum(["modified", "created", "deleted"]),
});
export type TamperedFile = z.infer<typeof TamperedFileSchema>;

/** Which tests a run selected: the whole suite, the files or ids it was given, or the tests affected by changed files. */
export const RunSelectionSchema = z.object({
  kind: z.enum(["all", "given", "affected"]),
  /** For "affected": the project-relative files whose tests were selected. */
  changedFiles: z.array(z.string()).optional(),
  /** An affected-tests run that ran the whole suite instead, and why (no impact map yet, a file the map does not know). */
  fallback: z.string().optional(),
});
export type RunSelection = z.infer<typeof RunSelectionSchema>;

export const TestRunResultSchema = z.object({
  status: TestRunStatusSchema,
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Expected failures (xfail) and unexpected passes (xpass) are counted apart from passed/failed. */
  xfailed: z.number().int().nonnegative().default(0),
  xpassed: z.number().int().nonnegative().default(0),
  total: z.number().int().nonnegative(),
  durationSeconds: z.number().nonnegative(),
  failures: z.array(FailureSchema),
  coverage: CoverageSchema.nullable(),
  coverageError: z.string().optional(),
  command: z.array(z.string()),
  slowTests: z.array(SlowTestSchema),
  /** Node ids of tests that passed: lets the workflow tell "broke a passing test" from "still failing". */
  passedNodeIds: z.array(z.string()).default([]),
  /**
   * Node ids of skipped tests (a module skipped at collection is its file), each once; present when the runner names
   * them (pytest). A skip inside a subtest counts in `skipped` but names no test of its own.
   */
  skippedNodeIds: z.array(z.string()).optional(),
  /** Which source the result was parsed from: the pytest plugin's JSONL stream, JUnit XML, a JS runner's JSON report, or terminal text. */
  source: z.enum(["jsonl", "junit", "json", "text"]).default("jsonl"),
  /**
   * Project-relative files the runner itself used to define the tests of this run: collected test modules, conftest
   * and setup files, the runner's config file. They are test files whatever their names (the protected set).
   */
  testFiles: z.array(z.string()).default([]),
  /** Reasons not to trust parts of this result; a run with a whole-run anomaly is never "passed". */
  anomalies: z.array(RunAnomalySchema).default([]),
  /** Files the run changed under redgreen's watch (restored afterwards); only present when the run was guarded. */
  tampered: z.array(TamperedFileSchema).optional(),
  /**
   * The uncaught error the runner died of before writing its report, in one line: the run's failures are the tests it
   * was running, and the tests after them did not run (a proof against this run counts every new failure as broken).
   */
  crash: z.string().optional(),
  /** What the run selected; absent on results from before selections were recorded (read them as "all" or "given"). */
  selection: RunSelectionSchema.optional(),
  /** Human-readable note for status "error"/"timeout" (e.g. "pytest is not installed for /usr/bin/python3"). */
  message: z.string().optional(),
});
export type TestRunResult = z.infer<typeof TestRunResultSchema>;

/**
 * How many tests of a run ended which way; total is passed + failed + errors + skipped + xfailed + xpassed,
 * as pytest's summary line adds them up.
 */
export type TestRunCounts = Pick<TestRunResult, "passed" | "failed" | "errors" | "skipped" | "xfailed" | "xpassed" | "total">;

/** The counts of a run before anything is counted: what every parser starts from. */
export const zeroCounts = (): TestRunCounts => ({ passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0 });

/** A run's counts alone, in result order, from anything that carries them; a runner that knows no xfail (JS) counts none. */
export const countsOf = (c: Omit<TestRunCounts, "xfailed" | "xpassed"> & Partial<TestRunCounts>): TestRunCounts => ({
  passed: c.passed,
  failed: c.failed,
  errors: c.errors,
  skipped: c.skipped,
  xfailed: c.xfailed ?? 0,
  xpassed: c.xpassed ?? 0,
  total: c.total,
});
