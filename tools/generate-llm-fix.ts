// generate_llm_fix: asks the configured chat model for a fix to one stored failure; nothing is written.
import { generateFixWithLlm } from "../src/fixers/llm/generate-fix.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { ProposalOutputSchema, StoredFailureInputSchema, proposalResult } from "./proposal-result.js";
import type { ToolSession } from "./session.js";

export const GenerateLlmFixInputSchema = StoredFailureInputSchema;

/** The generate_llm_fix tool. */
export function createGenerateLlmFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "generate_llm_fix",
    description:
      "Ask redgreen's configured LLM for a minimal fix to one failing test of a stored run (only that failure, the relevant source " +
      "and the analysis are sent; secrets are redacted). Returns the edits, a diff preview and a proposalId for validate_fix / " +
      "apply_fix, or found=false with the reason (no model configured, token budget spent, unusable answer). Nothing is written.",
    schema: GenerateLlmFixInputSchema,
    outputSchema: ProposalOutputSchema,
    async run(input) {
      const ref = session.findFailure(input);
      const analysis = await session.analyze(ref);
      const related = ref.result.failures.filter((f) => f.nodeId !== ref.failure.nodeId);
      const outcome = await generateFixWithLlm(
        ref.failure,
        analysis,
        {},
        {
          model: await session.model(),
          callLog: session.callLog(),
          workflowId: session.sessionId,
          redactor: session.redactor(),
          projectRoot: ref.projectRoot,
          settings: { ...session.deps.llmSettings, allowTestEdits: session.allowTestEdits },
          relatedFailures: related.slice(0, 5),
        },
      );
      const about = { runId: ref.runId, nodeId: ref.failure.nodeId, category: analysis.errorCategory };
      if (outcome.kind !== "proposal") return { found: false, ...about, outcome: outcome.kind, reason: outcome.reason };
      return {
        ...about,
        ...(await proposalResult(session, ref, outcome.proposal)),
        tokens: { prompt: outcome.promptTokens, completion: outcome.completionTokens, calls: outcome.calls },
      };
    },
  });
}
