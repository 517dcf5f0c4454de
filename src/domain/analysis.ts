// Analysis: what the StackTraceAnalyzer concluded about one failure.
import { z } from "zod";

export const ErrorCategorySchema = z.enum([
  "assertion",
  "import",
  "database",
  "api",
  "logic",
  "type_error",
  "attribute",
  "async",
  "syntax",
  "timeout",
]);
export type ErrorCategory = z.infer<typeof ErrorCategorySchema>;

export const FixStrategySchema = z.enum([
  "add_import",
  "add_await",
  "add_commit",
  "add_none_check",
  "fix_assertion",
  "add_mock",
  "fix_query",
  "add_type_hint",
  "fix_attribute_name",
  "fix_syntax",
  "llm",
]);
export type FixStrategy = z.infer<typeof FixStrategySchema>;

/** A line spectrum-based fault localisation (Ochiai) ranks as likely faulty. */
export const SuspiciousLineSchema = z.object({
  /** Project-relative source file (never a test file). */
  file: z.string(),
  line: z.number().int().positive(),
  /** Ochiai score in [0, 1]: ef / sqrt(|failing| * (ef + ep)), rounded to 4 decimals. */
  score: z.number().min(0).max(1),
  /** The line's source text, trimmed ("" when the file could not be read). */
  text: z.string(),
});
export type SuspiciousLine = z.infer<typeof SuspiciousLineSchema>;

export const AnalysisSchema = z.object({
  errorType: z.string(),
  errorCategory: ErrorCategorySchema,
  rootCause: z.string(),
  suggestedFix: z.string(),
  /** Relative to the project root; null when no location could be found. */
  fileToFix: z.string().nullable(),
  lineNumber: z.number().int().nullable(),
  /** The function at the fix location, when known. */
  functionName: z.string().nullable().optional(),
  fixStrategy: FixStrategySchema,
  confidence: z.number().min(0).max(1),
  /** For assertion failures: the two sides pytest's assertion rewriting showed. */
  expected: z.string().optional(),
  actual: z.string().optional(),
  /** Python's "Did you mean" hint, when one exists. */
  hint: z.string().optional(),
  /** Same value for failures sharing a root cause (file, line, error type): fix once per group. */
  groupKey: z.string(),
  /**
   * Most suspicious project lines, best first (at most 5), from per-test coverage of the last measured run; only when the
   * failure's stack does not reach project code (an assertion in a test) and the runner recorded per-test coverage.
   */
  suspiciousLines: z.array(SuspiciousLineSchema).optional(),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
