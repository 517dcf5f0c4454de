// Pure routing: which node runs next, and the terminal status decided after each test run.
import { createHash } from "node:crypto";
import { stableNodeId } from "../src/domain/node-id.js";
import type { RunDigest, WorkflowStateValue } from "./state.js";

export type NodeId = "run_tests" | "analyze" | "pattern_fix" | "llm_fix" | "validate" | "report";

/** Iterations in a row with the same failing set and no kept fix before the run counts as stuck. */
export const REPEAT_LIMIT = 3;

/** The hard ceiling on iterations, whatever the caller asks for. */
export const MAX_ITERATIONS_CEILING = 20;

export interface TerminalDecision {
  status: WorkflowStateValue["status"];
  reason: string;
}

/** What a fresh test run means for the workflow: keep going (status running) or stop with a status. */
export function decideAfterRun(
  state: Pick<WorkflowStateValue, "iteration" | "maxIterations" | "keptThisIteration" | "failureSignatures"> & {
    modelError?: string | null;
  },
  run: RunDigest,
): TerminalDecision {
  if (run.status === "no_tests") return { status: "no_tests", reason: "no tests were collected" };
  if (run.failing.length === 0) {
    if (run.status === "error" || run.status === "timeout")
      return { status: "error", reason: run.message ?? `the test run ended with status ${run.status}` };
    // Only known-flaky tests failed: nothing to fix, but the suite is not green either.
    if (run.failed + run.errors > 0) return { status: "failed", reason: "only tests known to be flaky fail; they are reported, not fixed" };
    return { status: "passed", reason: "all tests pass" };
  }
  // The model became unusable while this round's pattern fixes were being validated: end now, naming the cause.
  if (state.modelError != null) return { status: "error", reason: state.modelError };
  if (state.iteration >= state.maxIterations)
    return { status: "max_iterations", reason: `still failing after ${state.maxIterations} iteration(s)` };
  // "Nothing new to try" is found by the next round itself: no untried pattern fix and no model → report as stuck.
  const signature = failureSignature(run.failing);
  const recent = state.failureSignatures.slice(-(REPEAT_LIMIT - 1));
  if (state.keptThisIteration === 0 && recent.length === REPEAT_LIMIT - 1 && recent.every((s) => s === signature))
    return { status: "stuck", reason: `the same failures came back ${REPEAT_LIMIT} times in a row` };
  return { status: "running", reason: "" };
}

/** A short, stable signature of a failing set (sorted stable node ids, hashed to keep state small). */
export const failureSignature = (failing: readonly string[]): string =>
  createHash("sha256")
    .update([...new Set(failing.map(stableNodeId))].sort().join("\n"))
    .digest("hex")
    .slice(0, 16);

export const routeAfterRunTests = (s: WorkflowStateValue): NodeId => (s.status === "running" ? "analyze" : "report");

export const routeAfterAnalyze = (s: WorkflowStateValue): NodeId => (s.status === "running" ? "pattern_fix" : "report");

export const routeAfterPatternFix = (s: WorkflowStateValue): NodeId => {
  if (s.status !== "running") return "report";
  if (s.llmQueue.length > 0) return "llm_fix";
  return s.candidates.length > 0 ? "validate" : "report";
};

export const routeAfterLlmFix = (s: WorkflowStateValue): NodeId => {
  if (s.status !== "running") return "report";
  if (s.candidates.length > 0) return "validate";
  // A failed model answer is not the end: the next round asks again (bounded by the cap and the repeat limit).
  return s.llmFailedThisIteration ? "run_tests" : "report";
};

export const routeAfterValidate = (s: WorkflowStateValue): NodeId =>
  s.status !== "running" ? "report" : s.candidates.length > 0 ? "validate" : "run_tests";

/** LangGraph's recursion limit for an iteration cap: each round is ~5 steps plus one per candidate. */
export const recursionLimitFor = (maxIterations: number, maxCandidatesPerIteration: number): number =>
  maxIterations * (6 + maxCandidatesPerIteration) + 12;
