// The fields find_pattern_fix and generate_llm_fix both return for a proposal: its id, edits and a diff preview.
import { z } from "zod";
import { ErrorCategorySchema, FileEditSchema, FixStrategySchema } from "../src/domain/index.js";
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

/** The output of find_pattern_fix and generate_llm_fix: a proposal (found) or why there is none. */
export const ProposalOutputSchema = z.object({
  found: z.boolean(),
  runId: z.number().int(),
  nodeId: z.string(),
  category: ErrorCategorySchema,
  strategy: FixStrategySchema.optional(),
  patternId: z.string().optional(),
  proposalId: z.string().optional().describe("Give it to validate_fix or apply_fix."),
  explanation: z.string().optional(),
  confidence: z.number().optional(),
  edits: z.array(FileEditSchema).optional(),
  diff: z.string().optional(),
  warning: z.string().optional(),
  /** Why there is no proposal (found: false); for the model, its outcome kind too. */
  reason: z.string().optional(),
  outcome: z.string().optional(),
  tokens: z.object({ prompt: z.number().int(), completion: z.number().int(), calls: z.number().int() }).optional(),
});

/** Remembers the proposal for validate_fix / apply_fix and describes it, with a diff preview; nothing is written. */
export async function proposalResult(
  session: ToolSession,
  ref: FailureRef,
  proposal: FixProposal,
): Promise<
  Pick<z.input<typeof ProposalOutputSchema>, "found" | "proposalId" | "explanation" | "confidence" | "edits" | "diff" | "warning">
> {
  const proposalId = session.rememberProposal(ref.projectRoot, ref.failure.nodeId, proposal);
  const preview = await previewEdits(ref.projectRoot, proposal.edits);
  return {
    found: true as const,
    proposalId,
    explanation: proposal.explanation,
    ...(proposal.confidence !== undefined ? { confidence: proposal.confidence } : {}),
    edits: proposal.edits,
    diff: preview.ok ? compactDiff(preview.diff) : "",
    ...(preview.ok ? {} : { warning: `the edits do not apply cleanly: ${preview.reason}` }),
  };
}
