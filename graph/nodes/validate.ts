// validate: proves one candidate with the proof service (src/proof) and records what it decided.
import { interrupt } from "@langchain/langgraph";
import type { TestRunResult } from "../../src/domain/index.js";
import { recoverPending } from "../../src/fixers/journal.js";
import { fixRecordOf, proveFix, ProofInterrupted } from "../../src/proof/index.js";
import type { ProofOutcome } from "../../src/proof/index.js";
import type { ApprovalAnswer, ApprovalRequest, NodeRuntime, WorkflowDeps } from "../deps.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
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
    if (settled.some((e) => e.state === "kept"))
      return { candidates: rest, triedSignatures: tried, keptThisIteration: state.keptThisIteration + 1, keptTotal: state.keptTotal + 1, dirty: true };
    if (settled.some((e) => e.state === "rolled_back")) return { candidates: rest, triedSignatures: tried };

    const baseline: TestRunResult | null = state.lastRun === null ? null : (deps.store.getTestRun(state.lastRun.runId)?.result ?? null);
    if (baseline === null) return { candidates: rest, triedSignatures: tried };
    const record = (o: ProofOutcome) => fixRecordOf(proposal, o, iteration);
    let outcome: ProofOutcome;
    try {
      outcome = await proveFix(
        { proposal, targets: candidate.nodeIds, baseline, knownFlaky: state.flaky },
        {
          projectRoot,
          adapter: deps.adapter,
          helper: deps.helper,
          typescript: deps.typescript,
          journal: deps.journal,
          journalKey: { workflowId, signature },
          allowTestEdits: deps.options.allowTestEdits,
          allowRisky: deps.options.allowRisky,
          coverage: deps.options.coverage,
          // A fix that moves a failure further on is kept as progress: the next round proposes from the new failure.
          keepProgress: true,
          ...(signal ? { signal } : {}),
          onProgress: (phase, p) => progressTo(deps, phase)(p),
          onApply: (changed) => announce(deps, "validate", iteration, `applying ${proposal.source} fix (${proposal.strategy}) to ${changed.join(", ")}`),
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
              deps.store.recordFixAttempt(workflowId, record(o));
            })(),
        },
      );
    } catch (e) {
      // Interrupted: the fix stays "pending" in the journal, so resume restores it and tries it again.
      if (e instanceof ProofInterrupted) throwIfAborted(signal);
      throw e;
    }
    const feedback = { groupKey: candidate.groupKey, source: proposal.source, strategy: proposal.strategy, edits: proposal.edits };
    const flaky = [...state.flaky, ...outcome.newlyFlaky];
    const flakyUpdate = outcome.newlyFlaky.length > 0 ? { flaky, flakyChecked: [...state.flakyChecked, ...outcome.newlyFlaky] } : {};
    if (outcome.status !== "kept") {
      if (outcome.fullRun && outcome.rule === "broke_tests") deps.store.saveTestRun(outcome.fullRun, { workflowId, projectPath: projectRoot });
      const verb = outcome.status === "rejected" ? "rejected" : "rolled back";
      announce(deps, "validate", iteration, `${verb} ${proposal.strategy} fix for ${files.join(", ")}: ${outcome.reason}`);
      return { candidates: rest, triedSignatures: tried, ...flakyUpdate, feedback: { ...feedback, outcome: `${verb}: ${outcome.reason}` } };
    }
    const runId = deps.store.saveResultsToWorkflow(workflowId, outcome.fullRun!);
    announce(deps, "validate", iteration, outcome.progress ? `kept as progress: ${outcome.evidence.join("; ")}` : `kept: fixed ${outcome.fixedNodeIds.join(", ")}`);
    return {
      candidates: rest,
      triedSignatures: tried,
      keptThisIteration: state.keptThisIteration + 1,
      keptTotal: state.keptTotal + 1,
      lastRun: digestRun(runId, outcome.fullRun!, flaky),
      ...flakyUpdate,
      dirty: false,
    };
  };
