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
  /** Which source the result was parsed from: the pytest plugin's JSONL stream, JUnit XML, a JS runner's JSON report, or terminal text. */
  source: z.enum(["jsonl", "junit", "json", "text"]).default("jsonl"),
  /** Human-readable note for status "error"/"timeout" (e.g. "pytest is not installed for /usr/bin/python3"). */
  message: z.string().optional(),
});
export type TestRunResult = z.infer<typeof TestRunResultSchema>;
