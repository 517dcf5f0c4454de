// ValidationResult: the FixValidator's verdict on one proposed change, with the rule-named violations behind it.
import { z } from "zod";

export const RiskSchema = z.enum(["low", "medium", "high"]);
export type Risk = z.infer<typeof RiskSchema>;

/**
 * The closed set of rules a fix can break before anything runs: content policy (policy.*), overfitting to the
 * failing tests (overfit.*) and edit scope (scope.*: files a fix may never change).
 */
export const ViolationRuleSchema = z.enum([
  "policy.test_infrastructure",
  "policy.code_execution",
  "policy.network",
  "policy.secret_env",
  "policy.file_write",
  "overfit.test_literals",
  "overfit.test_inputs",
  "overfit.test_name_branch",
  "scope.vcs",
  "scope.dependencies",
  "scope.virtualenv",
  "scope.tool_state",
  "scope.build_output",
  "scope.git_ignored",
]);
export type ViolationRule = z.infer<typeof ViolationRuleSchema>;

/** One broken rule: where (project-relative file, 1-based line; 0 for a whole-file rule) and the offending expression. */
export const ViolationSchema = z.object({
  rule: ViolationRuleSchema,
  file: z.string(),
  line: z.number().int().nonnegative(),
  evidence: z.string(),
});
export type Violation = z.infer<typeof ViolationSchema>;

export const ValidationResultSchema = z.object({
  valid: z.boolean(),
  reasons: z.array(z.string()),
  warnings: z.array(z.string()),
  risk: RiskSchema,
  /** The policy, overfit and scope violations (as reasons, or as warnings when risky fixes are allowed). */
  violations: z.array(ViolationSchema).optional(),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/** The reason/warning text of a violation: "<rule>: <evidence> (line N)". */
export const violationText = (v: Pick<Violation, "rule" | "evidence" | "line">): string => `${v.rule}: ${v.evidence} (line ${v.line})`;
