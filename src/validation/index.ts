// FixValidator: validateFix composes the static checks a proposed fix must pass before it is applied.
import { ValidationResultSchema, violationText } from "../domain/validation.js";
import type { ValidationResult } from "../domain/validation.js";
import { checkImports } from "./check-imports.js";
import { checkIndentation } from "./check-indentation.js";
import { checkNoSecrets } from "./check-no-secrets.js";
import { checkOverfit } from "./check-overfit.js";
import { checkPolicy } from "./check-policy.js";
import { checkSizeChange } from "./check-size-change.js";
import { checkSyntax } from "./check-syntax.js";
import { checkTestIntegrity } from "./check-test-integrity.js";
import { createFixContext } from "./context.js";
import type { FixInput } from "./context.js";
import { estimateFixRisk, type RiskEstimate } from "./estimate-risk.js";
import { failedCheck, orUnrunnable } from "./unrunnable.js";

export { checkImports } from "./check-imports.js";
export type { ImportCheckResult } from "./check-imports.js";
export { checkIndentation } from "./check-indentation.js";
export { checkNoSecrets } from "./check-no-secrets.js";
export { checkOverfit } from "./check-overfit.js";
export { checkPolicy } from "./check-policy.js";
export { checkSizeChange } from "./check-size-change.js";
export { checkSyntax } from "./check-syntax.js";
export { checkTestIntegrity } from "./check-test-integrity.js";
export type { TestIntegrityResult } from "./check-test-integrity.js";
export { estimateFixRisk, structuralChanges } from "./estimate-risk.js";
export type { Outline, OutlineEntry, RiskEstimate } from "./estimate-risk.js";
export { createFixContext, DEFAULT_LIMITS } from "./context.js";
export type { CheckResult, FailingTestText, FixContext, FixInput, FixLanguage, ValidationLimits } from "./context.js";
export { compareTsTests } from "../languages/typescript/test-integrity.js";
export type { TsTestComparison } from "../languages/typescript/test-integrity.js";
export { analyzeJsTestConfigChange, isJsTestConfigPath } from "../languages/typescript/test-config.js";
export { outlineTs } from "../languages/typescript/outline.js";
export { newDiagnostics } from "../ts-project/diagnostics.js";
export { findSecrets, redactSecrets, scanSecrets, shannonEntropy } from "./secrets.js";
export type { SecretFinding, SecretSpan } from "./secrets.js";
export { loadSecretCatalog } from "./secret-catalog.js";
export type { SecretCatalog } from "./secret-catalog.js";
export { classifyTestPath, isPytestTestPath } from "./test-paths.js";
export { isJsTestPath } from "../analysis/language.js";
export { diffLines } from "./line-diff.js";

/**
 * Validates one file's proposed new content; `valid` is false iff some check gave a reason (warnings never invalidate).
 * Policy and overfit violations are reasons ("<rule>: <evidence> (line N)"), or warnings with risk "high" under allowRisky.
 */
export async function validateFix(input: FixInput): Promise<ValidationResult> {
  const ctx = createFixContext(input);
  // All checks share one context, so the helper answers each question once; calls pipeline on one process.
  // A check whose helper op timed out or crashed fails with that reason; the helper restarts for the next candidate.
  const checks = await Promise.all([
    orUnrunnable("syntax", checkSyntax(ctx), failedCheck),
    orUnrunnable("size", checkSizeChange(ctx), failedCheck),
    orUnrunnable("imports", checkImports(ctx), failedCheck),
    orUnrunnable("secrets", checkNoSecrets(ctx), failedCheck),
    orUnrunnable("indentation", checkIndentation(ctx), failedCheck),
    orUnrunnable("test integrity", checkTestIntegrity(ctx), failedCheck),
    orUnrunnable("policy", checkPolicy(ctx), failedCheck),
    orUnrunnable("overfit", checkOverfit(ctx), failedCheck),
  ]);
  const risk = await orUnrunnable("risk", estimateFixRisk(ctx), (reason): RiskEstimate => ({ risk: "high", factors: [reason] }));
  const reasons = checks.flatMap((c) => c.reasons);
  const warnings = checks.flatMap((c) => c.warnings);
  const violations = checks.flatMap((c) => c.violations ?? []);
  const texts = violations.map(violationText);
  if (input.allowRisky) warnings.push(...texts.map((t) => `${t} (allowed by allowRisky; risk high)`));
  else reasons.push(...texts);
  const accepted = input.allowRisky === true && violations.length > 0;
  const factors = [
    ...(risk.risk === "high" ? risk.factors : []),
    ...(accepted ? [`accepts ${violations.length} policy violation(s)`] : []),
  ];
  if (factors.length > 0) warnings.push(`risk: high (${factors.join("; ")})`);
  return ValidationResultSchema.parse({
    valid: reasons.length === 0,
    reasons,
    warnings,
    risk: accepted ? "high" : risk.risk,
    violations: violations.length > 0 ? violations : undefined,
  });
}
