// llm_fix: asks the configured model for a fix for each group no pattern could fix (skipped, with the reason, without one).
import { generateFixWithLlm } from "../../src/fixers/llm/generate-fix.js";
import type { PreviousAttempt } from "../../src/fixers/llm/prompt.js";
import type { WorkflowDeps } from "../deps.js";
import type { Candidate, WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { patchSignature } from "../../src/proof/index.js";
import { announce, lastFailures } from "./shared.js";

/** Why the LLM step does nothing in this workflow, or null when it can run. */
export function llmSkipReason(deps: WorkflowDeps): string | null {
  if (deps.options.noLlm) return "LLM step skipped: disabled with --no-llm";
  if (deps.llm.model.kind === "skipped") return `LLM step skipped: ${deps.llm.model.reason}`;
  return null;
}

/** Builds the llm_fix node. */
export const llmFixNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue): Promise<WorkflowStateUpdate> => {
    const skip = llmSkipReason(deps);
    if (skip !== null) {
      announce(deps, "llm_fix", state.iteration, skip);
      return { llmQueue: [], ...(state.notes.includes(skip) ? {} : { notes: skip }) };
    }
    const failures = lastFailures(deps, state);
    const candidates: Candidate[] = [...state.candidates];
    const notes: string[] = [];
    const room = deps.options.maxCandidatesPerIteration - candidates.length;
    let failed = false;
    let modelError: string | null = null;
    for (const groupKey of state.llmQueue.slice(0, Math.max(0, room))) {
      const group = state.groups.find((g) => g.groupKey === groupKey);
      const failure = group ? failures.get(group.nodeIds[0]!) : undefined;
      if (group === undefined || failure === undefined) continue;
      const previousAttempts: PreviousAttempt[] = state.feedback
        .filter((f) => f.groupKey === groupKey)
        .map((f) => ({ source: f.source, strategy: f.strategy, edits: f.edits, outcome: f.outcome }));
      announce(deps, "llm_fix", state.iteration, `asking the model about ${failure.nodeId}`);
      const outcome = await generateFixWithLlm(
        failure,
        group.analysis,
        {},
        {
          model: deps.llm.model,
          callLog: deps.llm.callLog,
          workflowId: state.workflowId,
          redactor: deps.llm.redactor,
          projectRoot: state.projectRoot,
          settings: { ...deps.llm.settings, allowTestEdits: deps.options.allowTestEdits },
          relatedFailures: group.nodeIds.slice(1).flatMap((id) => failures.get(id) ?? []),
          previousAttempts,
        },
      );
      if (outcome.kind === "proposal") {
        const signature = patchSignature(outcome.proposal.edits);
        if (state.triedSignatures.includes(signature) || candidates.some((c) => c.signature === signature)) {
          notes.push(`the model proposed a patch already tried for ${failure.nodeId}`);
        } else {
          candidates.push({ groupKey, nodeIds: group.nodeIds, proposal: outcome.proposal, signature });
        }
      } else {
        notes.push(`LLM fix for ${failure.nodeId} ${outcome.kind}: ${outcome.reason}`);
        if (outcome.kind === "failed") failed = true;
        if (outcome.kind === "failed" && outcome.cause === "model_unavailable") {
          modelError = outcome.reason;
          break;
        }
      }
    }
    if (modelError !== null) {
      // No later call can succeed: this round's pattern fixes are still validated (then run_tests ends the workflow
      // with status "error"); without any, it ends here. Fixes kept earlier stay kept and the report writes the patch.
      announce(deps, "llm_fix", state.iteration, `stopping: ${modelError}`);
      const end = candidates.length === 0 ? { status: "error" as const, statusReason: modelError } : {};
      return { candidates, llmQueue: [], llmFailedThisIteration: false, modelError, ...end, notes };
    }
    announce(deps, "llm_fix", state.iteration, `${candidates.length - state.candidates.length} LLM fix(es) proposed`);
    return { candidates, llmQueue: [], llmFailedThisIteration: failed, ...(notes.length ? { notes } : {}) };
  };
