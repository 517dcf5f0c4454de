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

/**
 * The ways an edit can make a test check less, one vocabulary for every language (Python's compare_tests and the TS
 * comparison report the same kinds; some kinds exist in one language only, such as focused_test for `.only`).
 */
export const TestWeakeningKindSchema = z.enum([
  "deleted_assert",
  "removed_test",
  /** A skip added as a marker or modifier (`@pytest.mark.skip`, `it.skip`, `xit`, `.todo`). */
  "skip_marker",
  /** A skip called at runtime (`pytest.skip()`, `ctx.skip()`). */
  "skip_call",
  /** `.only` added: every other test stops running. */
  "focused_test",
  /** `expect.assertions(n)` lowered or removed. */
  "fewer_assertions",
  "weakened_comparison",
  "negated_assertion",
  "trivial_assert",
  "loosened_tolerance",
  "removed_raises",
  "broadened_raises",
  "swallowed_assertion",
  "early_return",
  /** An assertion moved under a condition that may skip it. */
  "conditional_assertion",
  "raised_timeout",
]);
export type TestWeakeningKind = z.infer<typeof TestWeakeningKindSchema>;

/** One weakening found in a test file's new version. */
export const TestWeakeningSchema = z.object({
  kind: TestWeakeningKindSchema,
  /** Line in the new version (in the old one for deletions); null from the text fallback. */
  line: z.number().int().nullable(),
  message: z.string(),
});
export type TestWeakening = z.infer<typeof TestWeakeningSchema>;
