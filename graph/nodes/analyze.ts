// analyze: starts a fix round — analyses every failing test and groups failures sharing a root cause.
import { faultLocaliserFor, groupFailures, runAnalyzer } from "../../src/analysis/index.js";
import type { NodeRuntime, WorkflowDeps } from "../deps.js";
import { faultProbe } from "../fault-probe.js";
import { countingRuns } from "../run-counts.js";
import type { FailureGroup, WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, lastFailures, throwIfAborted } from "./shared.js";

/** Builds the analyze node. */
export const analyzeNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue, runtime?: NodeRuntime): Promise<WorkflowStateUpdate> => {
    const iteration = state.iteration + 1;
    const failures = lastFailures(deps, state);
    const failing = state.lastRun?.failing ?? [];
    // Suspicious lines from the per-test coverage the last full run recorded (pytest with coverage); without it, from
    // one capped probe run of the failures whose stack misses project code (pytest; JS runners have neither).
    let localiser = faultLocaliserFor(deps.adapter, failing);
    let runCounts = state.runCounts;
    if (localiser === null && state.lastRun !== null) {
      const passed = deps.store.getTestRun(state.lastRun.runId)?.result.passedNodeIds ?? [];
      const probe = { failures, failing, passed, iteration, signal: runtime?.signal };
      const counted = await countingRuns(deps, state.runCounts, (adapter) => faultProbe(deps, adapter, probe));
      throwIfAborted(runtime?.signal);
      localiser = counted.value;
      runCounts = counted.runCounts;
    }
    const analyze = runAnalyzer(deps.adapter, failing, localiser);
    const analyses = failing
      .map((nodeId) => failures.get(nodeId))
      .filter((f) => f !== undefined)
      .map((failure) => ({ nodeId: failure.nodeId, ...analyze(failure) }));
    const groups: FailureGroup[] = groupFailures(analyses).map((g) => {
      const { nodeId, ...analysis } = g.representative;
      // The representative's test comes first: the fix nodes propose from its failure.
      const nodeIds = [nodeId, ...g.members.map((m) => m.nodeId).filter((id) => id !== nodeId)];
      return { groupKey: g.groupKey, nodeIds, analysis };
    });
    announce(deps, "analyze", iteration, `${analyses.length} failure(s) in ${groups.length} root cause group(s)`);
    deps.store.updateWorkflow(state.workflowId, { iterations: iteration });
    return {
      iteration,
      groups,
      candidates: [],
      llmQueue: [],
      keptThisIteration: 0,
      llmFailedThisIteration: false,
      ...(runCounts !== state.runCounts ? { runCounts } : {}),
      ...(groups.length === 0 ? { status: "stuck" as const, statusReason: "no analysable failure is left" } : {}),
    };
  };
