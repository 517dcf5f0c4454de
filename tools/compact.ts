// Compact views of big results: what a tool returns to a model must stay small (failures only, trimmed text).
import { z } from "zod";
import { FailurePhaseSchema, SlowTestSchema } from "../src/domain/index.js";
import type { TestRunResult } from "../src/domain/index.js";
import { buildTestReport, TestRunSummarySchema } from "../src/store/index.js";

/** Failures listed in full per result; the rest are counted. */
export const MAX_FAILURES = 20;
/** Failures that also carry the tail of their stack trace. */
export const MAX_STACKS = 3;
const MESSAGE_CHARS = 300;
const STACK_CHARS = 1500;
const DIFF_CHARS = 6000;

/** The first `max` characters, marked when cut. */
export function cutHead(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

/** The last `max` characters, marked when cut (stack traces end at the interesting part). */
export function cutTail(text: string, max: number): string {
  return text.length <= max ? text : `[${text.length - max} chars omitted] …${text.slice(-max)}`;
}

/** A diff trimmed for a tool result. */
export const compactDiff = (diff: string): string => cutHead(diff, DIFF_CHARS);

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A failure's identity and place, as tool results show it (compact runs and test reports). */
export const FailureShownSchema = z.object({
  nodeId: z.string(),
  errorType: z.string(),
  phase: FailurePhaseSchema,
  location: z.string(),
  hint: z.string().optional(),
});

/** The output schema of run_tests and run_specific_test (parse_test_output adds `source`). */
export const CompactRunSchema = TestRunSummarySchema.pick({
  status: true,
  passed: true,
  failed: true,
  errors: true,
  skipped: true,
  total: true,
  durationSeconds: true,
}).extend({
  runId: z.number().int().optional().describe("The stored run's id (absent when the run was not stored)."),
  coverage: z.number().nullable().describe("Line coverage percent, or null when not measured."),
  coverageError: z.string().optional(),
  message: z.string().optional().describe("Why the run itself failed (runner error, timeout), when it did."),
  failures: z.array(FailureShownSchema.extend({ message: z.string(), raisedAt: z.string().optional(), stackTrace: z.string().optional() })),
  moreFailures: z.number().int().optional().describe("Failures left out of the list."),
  slowTests: z.array(SlowTestSchema).optional(),
});
export type CompactRun = z.infer<typeof CompactRunSchema>;

/** One test run as a model should see it: counts, coverage, and each failure's type, message and location. */
export function compactRun(result: TestRunResult, runId: number | null): CompactRun {
  const report = buildTestReport(result);
  const failures = report.failureDetails.slice(0, MAX_FAILURES).map((d, i) => {
    const stack = result.failures[i]?.stackTrace ?? "";
    return {
      nodeId: d.nodeId,
      errorType: d.errorType,
      message: cutHead(d.errorMessage, MESSAGE_CHARS),
      phase: d.phase,
      location: d.location,
      ...(d.raisedAt !== null ? { raisedAt: d.raisedAt } : {}),
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
      ...(i < MAX_STACKS && stack.trim() !== "" ? { stackTrace: cutTail(stack.trim(), STACK_CHARS) } : {}),
    };
  });
  return {
    ...(runId !== null ? { runId } : {}),
    status: result.status,
    passed: result.passed,
    failed: result.failed,
    errors: result.errors,
    skipped: result.skipped,
    total: result.total,
    durationSeconds: round2(result.durationSeconds),
    coverage: result.coverage === null ? null : round2(result.coverage.percent),
    ...(result.coverageError !== undefined ? { coverageError: result.coverageError } : {}),
    ...(result.message !== undefined ? { message: cutTail(result.message, MESSAGE_CHARS * 3) } : {}),
    failures,
    ...(report.failureDetails.length > MAX_FAILURES ? { moreFailures: report.failureDetails.length - MAX_FAILURES } : {}),
    ...(result.slowTests.length > 0 ? { slowTests: result.slowTests.slice(0, 5) } : {}),
  };
}
