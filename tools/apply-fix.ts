// apply_fix: proves a fix with the proof service (src/proof) and keeps it only when the tests show it works.
import { z } from "zod";
import { RedgreenError } from "../src/domain/errors.js";
import { proveFix } from "../src/proof/index.js";
import { FixRecordSchema, RiskSchema, TestRunStatusSchema } from "../src/domain/index.js";
import { compactDiff } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { editsField, projectPathField, proposalIdField } from "./fields.js";
import { projectLanguageDeps } from "./project-services.js";
import { withProjectLock } from "../src/fixers/project-lock.js";
import { newId } from "./session.js";
import type { ToolSession } from "./session.js";

export const ApplyFixInputSchema = z.strictObject({
  projectPath: projectPathField,
  proposalId: proposalIdField,
  edits: editsField,
  nodeIds: z
    .array(z.string().min(1))
    .min(1)
    .max(50)
    .optional()
    .describe(
      "The failing tests (node ids) the fix should make pass. Default: the test the proposal was made for; required with inline edits.",
    ),
});

/** The apply_fix tool. */
export function createApplyFixTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "apply_fix",
    description:
      "Apply a fix and prove it: the static checks must pass, then the failing tests are re-run and the whole suite after them; the fix " +
      "is kept only when a target test now passes, no passing test broke, and no test, result or runner was touched while the tests " +
      "ran. Otherwise every file is restored byte for byte and the result says which rule refused it, with the evidence. A kept fix " +
      "returns an applyId that rollback_fix takes.",
    schema: ApplyFixInputSchema,
    outputSchema: z.object({
      applied: z.boolean(),
      status: FixRecordSchema.shape.status,
      valid: z.boolean(),
      applyId: z.string().optional().describe("Give it to rollback_fix to undo a kept fix."),
      proposalId: z.string().optional(),
      nodeId: z.string().optional(),
      files: z.array(z.string()),
      reason: z.string(),
      rule: z.string().optional(),
      evidence: z.array(z.string()).optional(),
      fixedNodeIds: z.array(z.string()),
      after: z
        .object({
          status: TestRunStatusSchema,
          passed: z.number().int(),
          failed: z.number().int(),
          errors: z.number().int(),
          total: z.number().int(),
        })
        .optional(),
      risk: RiskSchema,
      warnings: z.array(z.string()),
      diff: z.string(),
    }),
    async run(input) {
      const { projectRoot, edits, proposal } = session.editsFor(input);
      const targets = input.nodeIds ?? (proposal !== null ? [proposal.nodeId] : null);
      if (targets === null) throw new RedgreenError("usage", "give nodeIds (the failing tests the fix should make pass) with inline edits");
      const { adapter, ...languages } = await projectLanguageDeps(session.deps.projects, projectRoot);
      const applyId = newId("apply");
      const fix = proposal?.proposal ?? { source: "llm" as const, strategy: "caller", edits, explanation: "edits given to apply_fix" };
      // Held from the baseline run to the verdict, so no other redgreen changes the files in between.
      const outcome = await withProjectLock(projectRoot, { workflowId: applyId, command: "apply_fix" }, async () => {
        const baseline = await adapter.runTests({ coverage: false });
        return proveFix(
          { proposal: fix, targets, baseline },
          {
            projectRoot,
            adapter,
            ...languages,
            journal: session.journal(),
            journalKey: { workflowId: applyId, signature: applyId },
            allowTestEdits: session.allowTestEdits,
            allowRisky: session.allowRisky,
            coverage: false,
          },
        );
      });
      const kept = outcome.status === "kept";
      if (kept) session.appliedRoots.set(applyId, projectRoot);
      const run = outcome.fullRun;
      return {
        applied: kept,
        status: outcome.status,
        valid: outcome.rule !== "validation",
        ...(kept ? { applyId } : {}),
        ...(proposal !== null ? { proposalId: proposal.id, nodeId: proposal.nodeId } : {}),
        files: outcome.changes.map((c) => c.file),
        reason: outcome.reason,
        ...(outcome.rule !== null ? { rule: outcome.rule, evidence: outcome.evidence.slice(0, 20) } : {}),
        fixedNodeIds: outcome.fixedNodeIds,
        ...(run ? { after: { status: run.status, passed: run.passed, failed: run.failed, errors: run.errors, total: run.total } } : {}),
        risk: outcome.risk,
        warnings: outcome.warnings,
        diff: compactDiff(outcome.diff),
      };
    },
  });
}
