// The fields find_pattern_fix and generate_llm_fix both return for a proposal: its id, edits and a diff preview.
import { z } from "zod";
import type { FixProposal } from "../src/domain/index.js";
import { previewEdits } from "../src/fixers/check-fix.js";
import { compactDiff } from "./compact.js";
import { nodeIdField, projectPathField, runIdField } from "./fields.js";
import type { FailureRef, ToolSession } from "./session.js";

/** Input of the tools that propose a fix for one stored failure. */
export const StoredFailureInputSchema = z.strictObject({
  projectPath: projectPathField,
  nodeId: nodeIdField,
  runId: runIdField,
});

/** Remembers the proposal for validate_fix / apply_fix and describes it, with a diff preview; nothing is written. */
export async function proposalResult(session: ToolSession, ref: FailureRef, proposal: FixProposal): Promise<Record<string, unknown>> {
  const proposalId = session.rememberProposal(ref.projectRoot, ref.failure.nodeId, proposal);
  const preview = await previewEdits(ref.projectRoot, proposal.edits);
  return {
    found: true,
    proposalId,
    explanation: proposal.explanation,
    ...(proposal.confidence !== undefined ? { confidence: proposal.confidence } : {}),
    edits: proposal.edits,
    diff: preview.ok ? compactDiff(preview.diff) : "",
    ...(preview.ok ? {} : { warning: `the edits do not apply cleanly: ${preview.reason}` }),
  };
}
