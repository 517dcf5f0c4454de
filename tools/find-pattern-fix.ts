// find_pattern_fix: asks the deterministic CommonFixPatterns for a minimal fix to one stored failure; nothing is written.
import { createPatternContext, findPatternFix } from "../src/fixers/patterns/index.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectLanguageDeps } from "./project-services.js";
import { ProposalOutputSchema, StoredFailureInputSchema, proposalResult } from "./proposal-result.js";
import type { ToolSession } from "./session.js";

export const FindPatternFixInputSchema = StoredFailureInputSchema;

/** The find_pattern_fix tool. */
export function createFindPatternFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "find_pattern_fix",
    description:
      "Look for a cheap deterministic fix (missing import, missing await, missing commit, name typo, None guard, wrong assertion) " +
      "for one failing test of a stored run. Returns the edits, a diff preview and a proposalId for validate_fix / apply_fix, " +
      "or found=false. Nothing is written.",
    schema: FindPatternFixInputSchema,
    outputSchema: ProposalOutputSchema,
    async run(input) {
      const ref = session.findFailure(input);
      const analysis = await session.analyze(ref);
      const { adapter, ...languages } = await projectLanguageDeps(session.deps.projects, ref.projectRoot);
      const found = await findPatternFix(
        createPatternContext({
          failure: ref.failure,
          analysis,
          projectRoot: ref.projectRoot,
          ...languages,
          allowTestEdits: session.allowTestEdits,
          isTestFile: (rel) => adapter.isTestFile(rel),
        }),
      );
      const about = { runId: ref.runId, nodeId: ref.failure.nodeId, category: analysis.errorCategory, strategy: analysis.fixStrategy };
      if (found === null) {
        return {
          found: false,
          ...about,
          reason: `no fix pattern is sure about this ${analysis.errorCategory} failure (${analysis.rootCause}); try generate_llm_fix`,
        };
      }
      return { ...about, patternId: found.patternId, ...(await proposalResult(session, ref, found.proposal)) };
    },
  });
}
