// find_pattern_fix: asks the deterministic CommonFixPatterns for a minimal fix to one stored failure; nothing is written.
import { z } from "zod";
import { createPatternContext, findPatternFix } from "../src/fixers/patterns/index.js";
import { compactDiff } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { nodeIdField, projectPathField, runIdField } from "./fields.js";
import { previewEdits } from "../src/fixers/check-fix.js";
import type { ToolSession } from "./session.js";

export const FindPatternFixInputSchema = z.strictObject({
  projectPath: projectPathField,
  nodeId: nodeIdField,
  runId: runIdField,
});

/** The find_pattern_fix tool. */
export function createFindPatternFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "find_pattern_fix",
    description:
      "Look for a cheap deterministic fix (missing import, missing await, missing commit, name typo, None guard, wrong assertion) " +
      "for one failing test of a stored run. Returns the edits, a diff preview and a proposalId for validate_fix / apply_fix, " +
      "or found=false. Nothing is written.",
    schema: FindPatternFixInputSchema,
    async run(input) {
      const ref = session.findFailure(input);
      const analysis = session.analyze(ref);
      const [helper, adapter] = await Promise.all([session.deps.projects.helper(ref.projectRoot), session.deps.projects.adapter(ref.projectRoot)]);
      const found = await findPatternFix(
        createPatternContext({
          failure: ref.failure,
          analysis,
          projectRoot: ref.projectRoot,
          helper,
          allowTestEdits: session.allowTestEdits,
          isTestFile: (rel) => adapter.isTestFile(rel),
        }),
      );
      const about = { runId: ref.runId, nodeId: ref.failure.nodeId, category: analysis.errorCategory, strategy: analysis.fixStrategy };
      if (found === null) {
        return JSON.stringify({
          found: false,
          ...about,
          reason: `no fix pattern is sure about this ${analysis.errorCategory} failure (${analysis.rootCause}); try generate_llm_fix`,
        });
      }
      const { proposal } = found;
      const proposalId = session.rememberProposal(ref.projectRoot, ref.failure.nodeId, proposal);
      const preview = await previewEdits(ref.projectRoot, proposal.edits);
      return JSON.stringify({
        found: true,
        ...about,
        proposalId,
        patternId: found.patternId,
        explanation: proposal.explanation,
        ...(proposal.confidence !== undefined ? { confidence: proposal.confidence } : {}),
        edits: proposal.edits,
        diff: preview.ok ? compactDiff(preview.diff) : "",
        ...(preview.ok ? {} : { warning: `the edits do not apply cleanly: ${preview.reason}` }),
      });
    },
  });
}
