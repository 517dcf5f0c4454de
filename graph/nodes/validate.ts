// validate: checks one candidate statically, applies it, re-runs its failing tests then the suite; keeps or restores it.
import { interrupt } from "@langchain/langgraph";
import type { FixRecord, Risk, TestRunResult } from "../../src/domain/index.js";
import { restoreEdits } from "../../src/fixers/apply.js";
import { checkFix } from "../../src/fixers/check-fix.js";
import { applyJournaled, recoverPending } from "../../src/fixers/journal.js";
import type { ApprovalAnswer, ApprovalRequest, NodeRuntime, WorkflowDeps } from "../deps.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce, digestRun, isFixedIn, progressTo, throwIfAborted } from "./shared.js";
import { confirmFlaky } from "./run_tests.js";

const describeFailure = (result: TestRunResult, nodeId: string): string => {
  const f = result.failures.find((x) => x.nodeId === nodeId);
  return f ? `${f.errorType}: ${f.errorMessage.split("\n")[0]}` : "did not pass";
};

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
    if (state.lastRun !== null && candidate.nodeIds.every((id) => !state.lastRun!.failing.includes(id))) return { candidates: rest };
    const tried = [...state.triedSignatures, signature];
    const files = [...new Set(proposal.edits.map((e) => e.file))];

    // Crash safety: this node may be re-running after a kill. Half-applied fixes are put back; a fix the journal
    // already settled is not applied a second time.
    await recoverPending(deps.journal, workflowId, projectRoot);
    const settled = deps.journal.list(workflowId).filter((e) => e.signature === signature);
    if (settled.some((e) => e.state === "kept"))
      return { candidates: rest, triedSignatures: tried, keptThisIteration: state.keptThisIteration + 1, keptTotal: state.keptTotal + 1, dirty: true };
    if (settled.some((e) => e.state === "rolled_back")) return { candidates: rest, triedSignatures: tried };

    const record = (status: FixRecord["status"], risk: Risk, reason: string, diff: string): FixRecord => ({
      iteration,
      file: files.join(", "),
      source: proposal.source,
      strategy: proposal.strategy,
      status,
      risk,
      reason,
      diff,
    });
    const rejectWith = (risk: Risk, reason: string, diff: string): WorkflowStateUpdate => {
      deps.store.recordFixAttempt(workflowId, record("rejected", risk, reason, diff));
      announce(deps, "validate", iteration, `rejected ${proposal.strategy} fix for ${files.join(", ")}: ${reason}`);
      return {
        candidates: rest,
        triedSignatures: tried,
        feedback: { groupKey: candidate.groupKey, source: proposal.source, strategy: proposal.strategy, edits: proposal.edits, outcome: `rejected: ${reason}` },
      };
    };

    const verdict = await checkFix(proposal.edits, {
      projectRoot,
      helper: deps.helper,
      typescript: deps.typescript,
      allowTestEdits: deps.options.allowTestEdits,
      isTestFile: (rel) => deps.adapter.isTestFile(rel),
    });
    if (!verdict.valid) return rejectWith(verdict.risk, verdict.reasons.join("; "), verdict.diff);

    if (deps.options.approve) {
      // Nothing above has side effects: on resume the node re-runs to here and gets the answer.
      const answer = interrupt<ApprovalRequest, ApprovalAnswer>({
        kind: "approve_fix",
        file: files.join(", "),
        source: proposal.source,
        strategy: proposal.strategy,
        explanation: proposal.explanation,
        risk: verdict.risk,
        diff: verdict.diff,
      });
      if (!answer.approve) return rejectWith(verdict.risk, "declined by the user", verdict.diff);
    }

    announce(deps, "validate", iteration, `applying ${proposal.source} fix (${proposal.strategy}) to ${files.join(", ")}`);
    const applied = await applyJournaled(deps.journal, workflowId, signature, projectRoot, proposal.edits);
    const settle = (status: "kept" | "rolled_back", reason: string): void =>
      deps.store.db.transaction(() => {
        deps.journal.settle(workflowId, signature, status);
        deps.store.recordFixAttempt(workflowId, record(status, verdict.risk, reason, verdict.diff));
      })();
    const rollBack = async (reason: string): Promise<WorkflowStateUpdate> => {
      await restoreEdits(projectRoot, applied);
      settle("rolled_back", reason);
      announce(deps, "validate", iteration, `rolled back: ${reason}`);
      return {
        candidates: rest,
        triedSignatures: tried,
        feedback: { groupKey: candidate.groupKey, source: proposal.source, strategy: proposal.strategy, edits: proposal.edits, outcome: `rolled back: ${reason}` },
      };
    };

    const targeted = await deps.adapter.runTests({
      files: candidate.nodeIds,
      coverage: false,
      onProgress: progressTo(deps, "targeted"),
      ...(signal ? { signal } : {}),
    });
    // Interrupted: the fix stays "pending" in the journal, so resume restores it and tries it again.
    throwIfAborted(signal);
    const fixed = candidate.nodeIds.filter((id) => isFixedIn(targeted, id));
    if (fixed.length === 0) {
      const id = candidate.nodeIds[0]!;
      return rollBack(`${id} still fails: ${describeFailure(targeted, id)}`);
    }

    const full = await deps.adapter.runTests({ coverage: deps.options.coverage, onProgress: progressTo(deps, "full"), ...(signal ? { signal } : {}) });
    throwIfAborted(signal);
    const baseline = state.lastRun === null ? [] : (deps.store.getTestRun(state.lastRun.runId)?.result.passedNodeIds ?? []);
    const suspects = baseline.filter((id) => !state.flaky.includes(id) && !full.passedNodeIds.includes(id));
    // A test that broke only once may be flaky: it counts as broken when it also fails on an unchanged re-run.
    const newlyFlaky = await confirmFlaky(deps, suspects, signal);
    const flaky = [...state.flaky, ...newlyFlaky];
    const broken = suspects.filter((id) => !newlyFlaky.includes(id));
    if (broken.length > 0) {
      deps.store.saveTestRun(full, { workflowId, projectPath: projectRoot });
      return rollBack(`broke ${broken.length} passing test(s): ${broken.slice(0, 3).map((id) => `${id} (${describeFailure(full, id)})`).join(", ")}`);
    }
    settle("kept", `fixed ${fixed.length} of ${candidate.nodeIds.length} failing test(s): ${fixed.slice(0, 3).join(", ")}`);
    const runId = deps.store.saveResultsToWorkflow(workflowId, full);
    announce(deps, "validate", iteration, `kept: fixed ${fixed.join(", ")}`);
    return {
      candidates: rest,
      triedSignatures: tried,
      keptThisIteration: state.keptThisIteration + 1,
      keptTotal: state.keptTotal + 1,
      lastRun: digestRun(runId, full, flaky),
      ...(newlyFlaky.length > 0 ? { flaky, flakyChecked: [...state.flakyChecked, ...newlyFlaky] } : {}),
      dirty: false,
    };
  };
