// validate: proves one candidate with the proof service (src/proof) and records what it decided.
import { interrupt } from "@langchain/langgraph";
import type { TestRunResult } from "../../src/domain/index.js";
import { recoverPending } from "../../src/fixers/journal.js";
import { languageServicesOf } from "../../src/languages/services.js";
import { fixRecordOf, overlayRun, proveFix, ProofInterrupted } from "../../src/proof/index.js";
import type { ProofOutcome } from "../../src/proof/index.js";
import type { ApprovalAnswer, ApprovalRequest, NodeRuntime, WorkflowDeps } from "../deps.js";
import { fixesEverything, fullRunCoverage, NO_COVERAGE } from "../coverage-plan.js";
import { countingRuns } from "../run-counts.js";
import type { UnconfirmedFix, WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, digestRun, progressTo, testsIn, throwIfAborted } from "./shared.js";

/** Builds the validate node (one candidate per visit; the route loops back while candidates remain). */
export const validateNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue, runtime?: NodeRuntime): Promise<WorkflowStateUpdate> => {
    const signal = runtime?.signal;
    const [candidate, ...rest] = state.candidates;
    if (candidate === undefined) return {};
    const { workflowId, projectRoot, iteration } = state;
    const { proposal, signature } = candidate;
    // An earlier fix this round may already have fixed these tests (one import behind two groups).
    if (state.lastRun !== null && testsIn(candidate.nodeIds, state.lastRun.failing).length === 0) return { candidates: rest };
    const tried = [...state.triedSignatures, signature];
    const files = [...new Set(proposal.edits.map((e) => e.file))];

    // Crash safety: this node may be re-running after a kill. Half-applied fixes are put back; a fix the journal
    // already settled is not applied a second time.
    await recoverPending(deps.journal, workflowId, projectRoot);
    const settled = deps.journal.list(workflowId).filter((e) => e.signature === signature);
    if (settled.some((e) => e.state === "kept")) {
      // Kept before the crash, perhaps on an affected run only: the iteration's full run confirms it like the others.
      const attempt = deps.store
        .listFixAttempts(workflowId)
        .filter((a) => a.status === "kept" && a.iteration === iteration && a.strategy === proposal.strategy && a.file === files.join(", "))
        .pop();
      const unconfirmed = attempt ? [...state.unconfirmed, { signature, fixAttemptId: attempt.id }] : state.unconfirmed;
      const counts = { keptThisIteration: state.keptThisIteration + 1, keptTotal: state.keptTotal + 1 };
      return { candidates: rest, triedSignatures: tried, ...counts, unconfirmed, dirty: true };
    }
    if (settled.some((e) => e.state === "rolled_back")) return { candidates: rest, triedSignatures: tried };

    const baseline: TestRunResult | null = state.lastRun === null ? null : (deps.store.getTestRun(state.lastRun.runId)?.result ?? null);
    if (baseline === null) return { candidates: rest, triedSignatures: tried };
    const record = (o: ProofOutcome) => fixRecordOf(proposal, o, iteration);
    let outcome: ProofOutcome;
    let attemptId: number | null = null;
    let runCounts = state.runCounts;
    // Only the tests the changed files affect run after the targeted run; run_tests confirms with the full suite.
    // The round's last candidate, with no fix of the round waiting for confirmation, runs the full suite at once:
    // that run proves it and is the round's confirmation, so no second full run follows.
    const scope = rest.length === 0 && state.unconfirmed.length === 0 ? "full" : "affected";
    // On a quick suite that full run comes first and replaces the targeted run (src/proof/prove-fix.ts, fullFirst).
    const fullFirst = scope === "full" && baseline.durationSeconds <= deps.options.fullFirstMaxSeconds;
    try {
      ({ value: outcome, runCounts } = await countingRuns(deps, state.runCounts, (adapter) =>
        proveFix(
          { proposal, targets: candidate.nodeIds, baseline, knownFlaky: state.flaky },
          {
            projectRoot,
            adapter,
            ...languageServicesOf(deps),
            journal: deps.journal,
            journalKey: { workflowId, signature },
            allowTestEdits: deps.options.allowTestEdits,
            allowRisky: deps.options.allowRisky,
            // Coverage (opted in) only on a full proof that should end green: it gives the report's final coverage.
            ...(scope === "full"
              ? fullRunCoverage(deps.options, state.lastRun, fixesEverything(state.lastRun, candidate.nodeIds))
              : NO_COVERAGE),
            // A fix that moves a failure further on is kept as progress: the next round proposes from the new failure.
            keepProgress: true,
            scope,
            fullFirst,
            // The round's last candidate is its last use of the language service: freed before the runs (see run_tests).
            releaseTypescript: rest.length === 0,
            signal,
            onProgress: (phase, p) => progressTo(deps, phase)(p),
            onApply: (changed) =>
              announce(deps, "validate", iteration, `applying ${proposal.source} fix (${proposal.strategy}) to ${changed.join(", ")}`),
            // Nothing before the approval has side effects: on resume the node re-runs to here and gets the answer.
            ...(deps.options.approve
              ? {
                  approve: (a) =>
                    interrupt<ApprovalRequest, ApprovalAnswer>({
                      kind: "approve_fix",
                      file: files.join(", "),
                      source: proposal.source,
                      strategy: proposal.strategy,
                      explanation: proposal.explanation,
                      risk: a.risk,
                      diff: a.diff,
                    }).approve,
                }
              : {}),
            settle: (o, settleJournal) =>
              deps.store.db.transaction(() => {
                settleJournal();
                attemptId = deps.store.recordFixAttempt(workflowId, record(o)).id;
              })(),
          },
        ),
      ));
    } catch (e) {
      // Interrupted: the fix stays "pending" in the journal, so resume restores it and tries it again.
      if (e instanceof ProofInterrupted) throwIfAborted(signal);
      throw e;
    }
    const feedback = { groupKey: candidate.groupKey, source: proposal.source, strategy: proposal.strategy, edits: proposal.edits };
    const flaky = [...state.flaky, ...outcome.newlyFlaky];
    const flakyUpdate = outcome.newlyFlaky.length > 0 ? { flaky, flakyChecked: [...state.flakyChecked, ...outcome.newlyFlaky] } : {};
    const secondRun = outcome.fullRun ?? outcome.affectedRun;
    if (outcome.status !== "kept") {
      if (secondRun && outcome.rule === "broke_tests") deps.store.saveTestRun(secondRun, { workflowId, projectPath: projectRoot });
      const verb = outcome.status === "rejected" ? "rejected" : "rolled back";
      announce(deps, "validate", iteration, `${verb} ${proposal.strategy} fix for ${files.join(", ")}: ${outcome.reason}`);
      const told = { ...feedback, outcome: `${verb}: ${outcome.reason}` };
      return { candidates: rest, triedSignatures: tried, runCounts, ...flakyUpdate, feedback: told };
    }
    const what = outcome.progress ? `kept as progress: ${outcome.evidence.join("; ")}` : `kept: fixed ${outcome.fixedNodeIds.join(", ")}`;
    // Kept on an affected run: the new baseline is the last one with that run's tests on top, and the fix waits for the
    // iteration's full run. Kept on a full run (the runner could not select): that run is the baseline, as before, and
    // it confirms the fixes kept before it too (nothing that passed fails in it), so the iteration starts over from it.
    const unconfirmed: UnconfirmedFix[] = outcome.confirmed || attemptId === null ? [] : [{ signature, fixAttemptId: attemptId }];
    const next = outcome.confirmed ? outcome.fullRun! : overlayRun(baseline, outcome.affectedRun!);
    const runId = outcome.confirmed
      ? deps.store.saveResultsToWorkflow(workflowId, next)
      : deps.store.saveTestRun(next, { workflowId, projectPath: projectRoot });
    const unconfirmedNote = " (on the affected tests only; the full run at the end of the iteration confirms it)";
    announce(deps, "validate", iteration, outcome.confirmed ? what : `${what}${unconfirmedNote}`);
    return {
      candidates: rest,
      triedSignatures: tried,
      keptThisIteration: state.keptThisIteration + 1,
      keptTotal: state.keptTotal + 1,
      lastRun: digestRun(runId, next, flaky),
      unconfirmed: outcome.confirmed ? [] : [...state.unconfirmed, ...unconfirmed],
      ...(outcome.confirmed ? { iterationStartRunId: runId } : {}),
      runCounts,
      ...flakyUpdate,
      dirty: !outcome.confirmed,
    };
  };
