// validate_fix: runs the FixValidator's static checks on a fix without writing anything.
import { z } from "zod";
import { RiskSchema } from "../src/domain/index.js";
import { compactDiff } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { editsField, projectPathField, proposalIdField } from "./fields.js";
import { checkFix } from "../src/fixers/check-fix.js";
import type { ToolSession } from "./session.js";

export const ValidateFixInputSchema = z.strictObject({
  projectPath: projectPathField,
  proposalId: proposalIdField,
  edits: editsField,
});

/** The validate_fix tool. */
export function createValidateFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "validate_fix",
    description:
      "Check a fix before applying it: the edits are applied in memory and every changed file is checked for syntax, size of the " +
      "change, resolvable imports, secrets, indentation and test integrity (tests may not be weakened). Returns valid, risk " +
      "(low/medium/high), reasons, warnings and the diff. Nothing is written.",
    schema: ValidateFixInputSchema,
    outputSchema: z.object({
      valid: z.boolean(),
      risk: RiskSchema,
      reasons: z.array(z.string()),
      warnings: z.array(z.string()),
      files: z.array(z.string()),
      diff: z.string(),
    }),
    async run(input) {
      const { projectRoot, edits } = session.editsFor(input);
      const check = await checkFix(edits, await session.checkDeps(projectRoot));
      return {
        valid: check.valid,
        risk: check.risk,
        reasons: check.reasons,
        warnings: check.warnings,
        files: check.changes.map((c) => c.file),
        diff: compactDiff(check.diff),
      };
    },
  });
}
