// The tests redgreen's watchdog killed in a vitest/jest run: how often a run resumes past them, and each one's Timeout
// failure, added to the run's result.
import type { Failure } from "../../domain/failure.js";
import type { TestRunResult } from "../../domain/test-run.js";
import { jsNodeId } from "../../parsers/jest-json.js";
import { timeoutFailure } from "../timeout-failure.js";

/** Attempts after a stall: each resumes without the tests that had to be killed. */
export const MAX_RESUMES = 5;
/** Seconds past two per-test timeouts before a silent running test counts as stuck. */
export const STALL_GRACE_SECONDS = 5;

/** The Timeout failure of a test the watchdog killed (it kept running past its timeout: a synchronous loop blocks the runner's own). */
export function stallFailure(runner: string, relFile: string, titles: string[], testTimeout: number): Failure {
  const message =
    `test exceeded the per-test timeout of ${testTimeout} s and did not stop (a synchronous loop blocks ${runner}'s own timeout); ` +
    `redgreen killed the run and went on without it`;
  return timeoutFailure(jsNodeId(relFile, titles), message, { traceLines: [], frames: [], phase: "call", durationSeconds: testTimeout });
}

/** A result with the tests the watchdog killed added as Timeout failures. */
export function withKilledTests(result: TestRunResult, killed: Failure[]): TestRunResult {
  if (killed.length === 0) return result;
  const status = result.status === "passed" || result.status === "no_tests" ? "failed" : result.status;
  return {
    ...result,
    status,
    failed: result.failed + killed.length,
    total: result.total + killed.length,
    failures: [...killed, ...result.failures],
  };
}
