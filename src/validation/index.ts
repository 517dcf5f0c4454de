// FixValidator: validateFix composes the static checks a proposed fix must pass before it is applied.
import { ValidationResultSchema } from "../domain/validation.js";
import type { ValidationResult } from "../domain/validation.js";
import { checkImports } from "./check-imports.js";
import { checkIndentation } from "./check-indentation.js";
import { checkNoSecrets } from "./check-no-secrets.js";
import { checkSizeChange } from "./check-size-change.js";
import { checkSyntax } from "./check-syntax.js";
import { checkTestIntegrity } from "./check-test-integrity.js";
import { createFixContext } from "./context.js";
import type { FixInput } from "./context.js";
import { estimateFixRisk } from "./estimate-risk.js";

export { checkImports } from "./check-imports.js";
export type { ImportCheckResult } from "./check-imports.js";
export { checkIndentation } from "./check-indentation.js";
export { checkNoSecrets } from "./check-no-secrets.js";
export { checkSizeChange } from "./check-size-change.js";
export { checkSyntax } from "./check-syntax.js";
export { checkTestIntegrity } from "./check-test-integrity.js";
export type { TestIntegrityResult } from "./check-test-integrity.js";
export { estimateFixRisk, structuralChanges } from "./estimate-risk.js";
export type { Outline, OutlineEntry, RiskEstimate } from "./estimate-risk.js";
export { createFixContext, DEFAULT_LIMITS } from "./context.js";
export type { CheckResult, FixContext, FixInput, FixLanguage, ValidationLimits } from "./context.js";
export { compareTsTests } from "./ts-test-integrity.js";
export type { TsTestComparison, TsWeakening, TsWeakeningKind } from "./ts-test-integrity.js";
export { analyzeJsTestConfigChange, isJsTestConfigPath } from "./ts-test-config.js";
export { outlineTs } from "./ts-outline.js";
export { newDiagnostics } from "../typescript/diagnostics.js";
export { findSecrets, redactSecrets, scanSecrets, shannonEntropy } from "./secrets.js";
export type { SecretFinding, SecretSpan } from "./secrets.js";
export { loadSecretCatalog } from "./secret-catalog.js";
export type { SecretCatalog } from "./secret-catalog.js";
export { classifyTestPath, isPytestTestPath } from "./test-paths.js";
export { isJsTestPath } from "../analysis/language.js";
export { diffLines } from "./line-diff.js";

/** Validates one file's proposed new content; `valid` is false iff some check gave a reason (warnings never invalidate). */
export async function validateFix(input: FixInput): Promise<ValidationResult> {
  const ctx = createFixContext(input);
  // All checks share one context, so the helper answers each question once; calls pipeline on one process.
  const checks = await Promise.all([
    checkSyntax(ctx),
    checkSizeChange(ctx),
    checkImports(ctx),
    checkNoSecrets(ctx),
    checkIndentation(ctx),
    checkTestIntegrity(ctx),
  ]);
  const risk = await estimateFixRisk(ctx);
  const reasons = checks.flatMap((c) => c.reasons);
  const warnings = checks.flatMap((c) => c.warnings);
  if (risk.risk === "high") warnings.push(`risk: high (${risk.factors.join("; ")})`);
  return ValidationResultSchema.parse({ valid: reasons.length === 0, reasons, warnings, risk: risk.risk });
}
