// RunSummary: the result of one `redgreen run` (the CLI's --json contract, also returned to agents).
import { z } from "zod";
import { SuspiciousLineSchema } from "./analysis.js";
import { RunnerChoiceSchema } from "./runner-choice.js";
import { FixRecordSchema } from "./workflow.js";

export const RunCountsSchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
  coverage: z.number().nullable(),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

/** "cancelled": the caller stopped it (cancelled, timed out or disconnected); files are at the last kept fix, and it can be resumed. */
export const RunSummaryStatusSchema = z.enum(["passed", "failed", "max_iterations", "stuck", "no_tests", "error", "cancelled"]);
export type RunSummaryStatus = z.infer<typeof RunSummaryStatusSchema>;

export const RunSummarySchema = z.object({
  workflowId: z.string(),
  status: RunSummaryStatusSchema,
  /** Why the workflow ended with this status, in one sentence. */
  reason: z.string(),
  iterations: z.number().int(),
  initial: RunCountsSchema.nullable(),
  final: RunCountsSchema.nullable(),
  fixes: z.array(FixRecordSchema),
  remainingFailures: z.array(
    z.object({
      nodeId: z.string(),
      errorType: z.string(),
      message: z.string(),
      /** The last analysis's suspicious lines for this failure's root cause (on the first failure of each root cause only). */
      suspiciousLines: z.array(SuspiciousLineSchema).optional(),
    }),
  ),
  flaky: z.array(z.string()),
  /** Unified diff of every kept fix (empty when none). */
  patch: z.string(),
  /** Where the patch was written (.redgreen/WORKFLOW_ID.patch), or null when nothing was kept. */
  patchPath: z.string().nullable(),
  /**
   * The test runs the workflow made, by kind: the whole suite, only the tests affected by a fix's changed files, given
   * tests (a fix's targets, flakiness re-runs, bisection steps). Absent for workflows from before it was counted.
   */
  testRuns: z
    .object({ full: z.number().int().nonnegative(), affected: z.number().int().nonnegative(), targeted: z.number().int().nonnegative() })
    .optional(),
  /** Notes such as why the LLM step was skipped. */
  notes: z.array(z.string()),
  db: z.string(),
  /** The runner the command drove and why (set by the CLI command that ran the workflow). */
  runner: RunnerChoiceSchema.optional(),
  /** The runner args every run of the workflow used (`redgreen run -- -k smoke`); absent when none: a green covers only them. */
  runnerArgs: z.array(z.string()).optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
