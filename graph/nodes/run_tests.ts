// run_tests: runs the full suite (unless a validated fix already did), checks new failures for flakiness, decides.
import { recoverPending } from "../../src/fixers/journal.js";
import { findFlaky } from "../../src/proof/index.js";
import type { NodeRuntime, WorkflowDeps } from "../deps.js";
import { decideAfterRun, failureSignature } from "../routes.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, digestRun, failingIds, progressTo, throwIfAborted, withoutTests } from "./shared.js";

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
      // A test that fails and then passes on an unchanged re-run is flaky: reported, never "fixed". A bounded sample is
      // re-run (per root cause, none that cannot flake): every failing test counts as checked.
      const toCheck = withoutTests(failingIds(result), state.flakyChecked);
      if (toCheck.length > 0 && result.status === "failed") {
        announce(deps, "run_tests", state.iteration, `checking ${toCheck.length} failing test(s) for flakiness`);
        const onProgress = progressTo(deps, "flaky-check");
        const found = await findFlaky(deps.adapter, result.failures, toCheck, { ...(signal ? { signal } : {}), onProgress });
        throwIfAborted(signal);
        if (found.rerun > 0) announce(deps, "run_tests", state.iteration, `re-ran ${found.rerun} of them: ${found.flaky.length} flaky`);
        flaky = [...new Set([...flaky, ...found.flaky])];
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
