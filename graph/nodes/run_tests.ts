// run_tests: runs the full suite (unless a validated fix already did), checks new failures for flakiness, decides.
import { loadImportCatalogs } from "../../src/analysis/imports.js";
import { recoverPending } from "../../src/fixers/journal.js";
import { timePhase } from "../../src/process/timings.js";
import type { RunProgress } from "../../src/runners/adapter.js";
import { findFlaky, type FlakyCheck } from "../../src/proof/index.js";
import { confirmIteration } from "../confirm-iteration.js";
import { fullRunCoverage } from "../coverage-plan.js";
import type { NodeRuntime, WorkflowDeps } from "../deps.js";
import { countingRuns } from "../run-counts.js";
import { decideAfterRun, failureSignature } from "../routes.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, digestRun, failingIds, progressTo, throwIfAborted, withoutTests } from "./shared.js";

/**
 * The progress listener, plus: at the run's first failing test, the language services get ready for the queries that
 * follow the run (analyze, pattern_fix, the checks) while the run goes on, instead of after it: the TypeScript service
 * builds its program (its lib files parsed a turn of the event loop at a time, so the run's end is heard when it comes),
 * the Python helper reads the project's modules (and the analyzer its import catalogs). Their faults surface at the
 * first query. At the first failure, not from the run's start: a suite that turns out green would pay the build's CPU
 * and memory for nothing (session 29: +0.35-0.7 s wall and 79 -> 162 MB on a green 1,000-test vitest suite), and
 * vitest runs the files the project's last run saw fail first (its results cache, read by the progress reporter), so a
 * known failure is reported early in the run.
 * The program is not built in a run past options.warmDuringRunMaxTests collected tests: there it would add to the big
 * report's memory. What the TypeScript service parses beyond the program (the test files' packages) stops when the run
 * ends (`ended`): after it, the CPU is the workflow's.
 */
function warmingOnFailure(
  deps: WorkflowDeps,
  onProgress: (p: RunProgress) => void,
): { onProgress: (p: RunProgress) => void; ended: () => void } {
  let warming = false;
  const run = new AbortController();
  const warm = (p: RunProgress): void => {
    onProgress(p);
    if (warming || p.failed === 0) return;
    warming = true;
    const at = `at ${p.collected ?? "?"} collected, ${p.done} done`;
    const { helper, typescript } = deps;
    if (helper?.warm) {
      timePhase(`python helper warmed during the run (${at})`, () => helper.warm!()).catch(() => undefined);
      // The analyzer's catalogs of Python imports, where a NameError's import is looked up (a fault surfaces there).
      setImmediate(() => {
        try {
          loadImportCatalogs();
        } catch {
          // analyze reads them again and reports it
        }
      });
    }
    if (typescript?.warm && (p.collected ?? p.done) <= deps.options.warmDuringRunMaxTests) {
      timePhase(`language service built during the run (${at})`, () => typescript.warm!(run.signal)).catch(() => undefined);
    }
  };
  return { onProgress: warm, ended: () => run.abort() };
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
      // The language service is not needed again before the next pattern_fix: its program is not held through the run.
      deps.typescript?.dispose?.();
      announce(deps, "run_tests", state.iteration, "running the full test suite");
      const { value, runCounts } = await countingRuns(deps, state.runCounts, async (adapter) => {
        const warming = warmingOnFailure(deps, progressTo(deps, "full"));
        // Coverage (opted in) on the first full run, with the per-test map, and on a later one only when it should be green.
        const measure = fullRunCoverage(deps.options, state.lastRun, state.lastRun?.failing.length === 0);
        const first = await adapter.runTests({ ...measure, onProgress: warming.onProgress, signal }).finally(warming.ended);
        throwIfAborted(signal);
        // Fixes kept this iteration on affected runs only are confirmed by this run (bisected and rolled back if not).
        const confirmation = await confirmIteration(deps, state, adapter, first, signal);
        const { result } = confirmation;
        // A test that fails and then passes on an unchanged re-run is flaky: reported, never "fixed". A bounded sample
        // is re-run (per root cause, none that cannot flake): every failing test counts as checked.
        const checked = [...state.flakyChecked, ...confirmation.newlyFlaky];
        const toCheck = withoutTests(failingIds(result), checked);
        let found: FlakyCheck = { flaky: [], rerun: 0 };
        if (toCheck.length > 0 && result.status === "failed") {
          announce(deps, "run_tests", state.iteration, `checking ${toCheck.length} failing test(s) for flakiness`);
          const onProgress = progressTo(deps, "flaky-check");
          found = await findFlaky(adapter, result.failures, toCheck, { signal, onProgress });
          throwIfAborted(signal);
          if (found.rerun > 0) announce(deps, "run_tests", state.iteration, `re-ran ${found.rerun} of them: ${found.flaky.length} flaky`);
        }
        return { confirmation, flakyChecked: [...checked, ...toCheck], newlyFlaky: [...confirmation.newlyFlaky, ...found.flaky] };
      });
      const { result, rolledBack } = value.confirmation;
      const retry = new Set(value.confirmation.retry);
      flaky = [...new Set([...flaky, ...value.newlyFlaky])];
      const runId = deps.store.saveResultsToWorkflow(state.workflowId, result);
      digest = digestRun(runId, result, flaky);
      update = {
        runCounts,
        unconfirmed: [],
        iterationStartRunId: runId,
        lastRun: digest,
        dirty: false,
        ...(value.flakyChecked.length > state.flakyChecked.length ? { flakyChecked: value.flakyChecked, flaky } : {}),
        // Fixes that went back with a culprit may be proposed again.
        ...(rolledBack > 0
          ? { keptTotal: state.keptTotal - rolledBack, triedSignatures: state.triedSignatures.filter((s) => !retry.has(s)) }
          : {}),
      };
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
