// Workflow rows (one per redgreen run on a project) and the per-fix history the run reports.
import { z } from "zod";
import { RiskSchema } from "./validation.js";
import { FixSourceSchema } from "./fix.js";

export const WorkflowStatusSchema = z.enum(["running", "passed", "failed", "max_iterations", "stuck", "no_tests", "error", "cancelled"]);
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

export const FixRecordSchema = z.object({
  iteration: z.number().int(),
  file: z.string(),
  source: FixSourceSchema,
  strategy: z.string(),
  status: z.enum(["kept", "rolled_back", "rejected"]),
  risk: RiskSchema,
  reason: z.string(),
  diff: z.string(),
  /**
   * The rule that decided a fix not kept: a ProofRule, or a static check's own id (policy.*, overfit.*, scope.*); on a
   * kept fix, "progress" when it fixed no test yet but moved a failure further on (reports show it as progress).
   */
  rule: z.string().optional(),
  /** What the rule saw: changed files, disagreeing counts, offending expressions. */
  evidence: z.array(z.string()).optional(),
});
export type FixRecord = z.infer<typeof FixRecordSchema>;

export const WorkflowSchema = z.object({
  id: z.string(),
  projectPath: z.string(),
  status: WorkflowStatusSchema,
  iterations: z.number().int().nonnegative(),
  maxIterations: z.number().int().positive(),
  /** The latest TestRunResult, as stored JSON (the workflows table's test_results column). */
  testResults: z.unknown().nullable(),
  initialCoverage: z.number().nullable(),
  finalCoverage: z.number().nullable(),
  fixHistory: z.array(FixRecordSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;
