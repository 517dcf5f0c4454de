// run_tests: runs the full suite (unless a validated fix already did), checks new failures for flakiness, decides.
import { recoverPending } from "../../src/fixers/journal.js";
import type { TestRunResult } from "../../src/domain/index.js";
import type { NodeRuntime, WorkflowDeps } from "../deps.js";
import { decideAfterRun, failureSignature } from "../routes.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, digestRun, failingIds, progressTo, throwIfAborted } from "./shared.js";

/**
 * Which of `candidates` are flaky: they fail in `result` and pass when the unchanged suite runs again. Tests that
 * pass alone are confirmed with a second full run, so a failure that depends on test order is not called flaky.
 */
export async function confirmFlaky(deps: WorkflowDeps, candidates: string[], signal: AbortSignal | undefined): Promise<string[]> {
  if (candidates.length === 0) return [];
  const opts = { coverage: false, ...(signal ? { signal } : {}) };
  const alone = await deps.adapter.runTests({ files: candidates, onProgress: progressTo(deps, "flaky-check"), ...opts });
  throwIfAborted(signal);
  const passAlone = candidates.filter((id) => alone.passedNodeIds.includes(id));
  if (passAlone.length === 0) return [];
  const again: TestRunResult = await deps.adapter.runTests({ onProgress: progressTo(deps, "flaky-check"), ...opts });
  throwIfAborted(signal);
  return passAlone.filter((id) => again.passedNodeIds.includes(id));
}

/** Builds the run_tests node. */
export const runTestsNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue, runtime?: NodeRuntime): Promise<WorkflowStateUpdate> => {
    const signal = runtime?.signal;
    // A crash may have left a fix half-applied: put its files back before measuring anything.
    const recovered = await recoverPending(deps.journal, state.workflowId, state.projectRoot);
    const dirty = state.dirty || recovered.length > 0 || state.lastRun === null;
    let update: WorkflowStateUpdate = {};
    let digest = state.lastRun;
    let flaky = state.flaky;
    if (dirty) {
      announce(deps, "run_tests", state.iteration, "running the full test suite");
      const result = await deps.adapter.runTests({
        coverage: deps.options.coverage,
        onProgress: progressTo(deps, "full"),
        ...(signal ? { signal } : {}),
      });
      throwIfAborted(signal);
      const runId = deps.store.saveResultsToWorkflow(state.workflowId, result);
      // A test that fails and then passes on an unchanged re-run is flaky: reported, never "fixed".
      const toCheck = failingIds(result).filter((id) => !state.flakyChecked.includes(id));
      if (toCheck.length > 0 && result.status === "failed") {
        announce(deps, "run_tests", state.iteration, `re-running ${toCheck.length} failing test(s) to detect flakiness`);
        flaky = [...new Set([...flaky, ...(await confirmFlaky(deps, toCheck, signal))])];
        update = { flakyChecked: [...state.flakyChecked, ...toCheck], flaky };
      }
      digest = digestRun(runId, result, flaky);
      update = { ...update, lastRun: digest, dirty: false };
      if (state.initialRun === null) update.initialRun = digest;
    }
    const run = digest!;
    const decision = decideAfterRun(state, run);
    deps.store.updateWorkflow(state.workflowId, { iterations: state.iteration });
    announce(
      deps,
      "run_tests",
      state.iteration,
      `${run.passed} passed, ${run.failing.length} failing${flaky.length ? `, ${flaky.length} flaky` : ""}` +
        (decision.status === "running" ? "" : ` → ${decision.status}`),
    );
    return {
      ...update,
      status: decision.status,
      statusReason: decision.reason,
      failureSignatures: [...state.failureSignatures, failureSignature(run.failing)],
    };
  };
