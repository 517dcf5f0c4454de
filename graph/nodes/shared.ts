// Helpers the nodes share: run digests, failure lookup, signatures and progress events.
import { RedgreenError } from "../../src/domain/errors.js";
import type { Failure, TestRunResult } from "../../src/domain/index.js";
import { stableIdSet, stableNodeId } from "../../src/domain/node-id.js";
import type { RunProgress } from "../../src/runners/adapter.js";
import type { TestPhase, WorkflowDeps } from "../deps.js";
import type { RunDigest, WorkflowStateValue } from "../state.js";

/** Node ids failing in a run (failed, errored or not collected), in order, without duplicates. */
export const failingIds = (result: TestRunResult): string[] => [...new Set(result.failures.map((f) => f.nodeId))];

/** `ids` without the tests named in `others`, compared by stable id (the same test whatever seed its name carries). */
export function withoutTests(ids: readonly string[], others: readonly string[]): string[] {
  const drop = stableIdSet(others);
  return ids.filter((id) => !drop.has(stableNodeId(id)));
}

/** The `ids` that name a test in `others`, compared by stable id. */
export function testsIn(ids: readonly string[], others: readonly string[]): string[] {
  const keep = stableIdSet(others);
  return ids.filter((id) => keep.has(stableNodeId(id)));
}

/** The small digest of a stored run that lives in graph state. */
export function digestRun(runId: number, result: TestRunResult, flaky: readonly string[]): RunDigest {
  return {
    runId,
    status: result.status,
    passed: result.passed,
    failed: result.failed,
    errors: result.errors,
    skipped: result.skipped,
    total: result.total,
    coverage: result.coverage?.percent ?? null,
    failing: withoutTests(failingIds(result), flaky),
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
}

/** The failures of the last full run, by node id (the first failure of each test). */
export function lastFailures(deps: WorkflowDeps, state: WorkflowStateValue): Map<string, Failure> {
  const out = new Map<string, Failure>();
  if (state.lastRun === null) return out;
  const run = deps.store.getTestRun(state.lastRun.runId);
  for (const f of run?.result.failures ?? []) if (!out.has(f.nodeId)) out.set(f.nodeId, f);
  return out;
}

/** Forwards runner progress to the workflow's listener. */
export const progressTo =
  (deps: WorkflowDeps, phase: TestPhase) =>
  (p: RunProgress): void =>
    deps.onEvent?.({ kind: "tests", phase, done: p.done, failed: p.failed, collected: p.collected });

/** Announces a node's work to the workflow's listener. */
export const announce = (deps: WorkflowDeps, node: string, iteration: number, message: string): void =>
  deps.onEvent?.({ kind: "node", node, iteration, message });

/** Whether another LLM attempt could bring something new. */
export const llmAvailable = (deps: WorkflowDeps): boolean => !deps.options.noLlm && deps.llm.model.kind === "ready";

/** Stops a node right after an aborted test run, before it records anything: resume redoes the step. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RedgreenError("internal", "the workflow was interrupted", { cause: signal.reason });
}
