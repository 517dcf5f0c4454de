// checkFix: a fix's edits computed in memory and put through the FixValidator, file by file, before anything is written.
import { readFile } from "node:fs/promises";
import type { FileEdit, Risk, Violation } from "../domain/index.js";
import { violationText } from "../domain/index.js";
import { isRedgreenError } from "../domain/errors.js";
import { applyFileEdits, resolveProjectFile, unifiedDiff } from "./apply.js";
import { editScopeViolation } from "./edit-scope.js";
import { languageServicesOf, type LanguageServices } from "../languages/services.js";
import { DEFAULT_LIMITS, diffLines, validateFix } from "../validation/index.js";
import type { FailingTestText, ValidationLimits } from "../validation/index.js";

/** One file the fix changes, with its full text before and after. */
export interface FileChange {
  file: string;
  original: string;
  fixed: string;
}

/** The verdict on a whole fix: valid only when every edit applies and every changed file passes validation. */
export interface FixCheck {
  valid: boolean;
  risk: Risk;
  /** Why the fix is rejected, each prefixed with the file. */
  reasons: string[];
  warnings: string[];
  /** Every rule-named violation (policy, overfit, scope) of every file, whether it rejects the fix or was allowed. */
  violations: Violation[];
  changes: FileChange[];
  /** Unified diff of every change. */
  diff: string;
}

const RISK_ORDER: Risk[] = ["low", "medium", "high"];
const maxRisk = (risks: Risk[]): Risk => RISK_ORDER[Math.max(0, ...risks.map((r) => RISK_ORDER.indexOf(r)))]!;

/** The language services are needed only for the files of their language (the helper for Python files). */
export interface CheckFixDeps extends Partial<LanguageServices> {
  projectRoot: string;
  allowTestEdits: boolean;
  isTestFile: (relPath: string) => boolean;
  /** Size limits per file, and maxTotalChangedLines across the whole fix (DEFAULT_LIMITS otherwise). */
  limits?: Partial<ValidationLimits>;
  /** Environment whose secret values must not be written into the code (default process.env). */
  env?: Record<string, string | undefined>;
  /** Accept policy and overfit violations as warnings (risk "high"); edit scope stays enforced. */
  allowRisky?: boolean;
  /** The failing tests' node ids, files and texts, for the overfit rule (see FixInput.failingTests). */
  failingTests?: FailingTestText[];
}

/**
 * The edits applied in memory: every changed file's text before and after, or why they cannot apply (with the scope rule broken, if that is
 * why).
 */
export type EditPreview =
  { ok: true; changes: FileChange[]; diff: string } | { ok: false; reason: string; risk: Risk; violation?: Violation };

/**
 * Applies edits in memory; paths outside the project or outside the edit scope (src/fixers/edit-scope.ts), text that
 * is not found and no-op edits are reasons, not faults.
 */
export async function previewEdits(projectRoot: string, edits: readonly FileEdit[]): Promise<EditPreview> {
  const byFile = new Map<string, { real: string; edits: FileEdit[] }>();
  for (const edit of edits) {
    try {
      const f = await resolveProjectFile(projectRoot, edit.file);
      const entry = byFile.get(f.rel) ?? { real: f.real, edits: [] };
      entry.edits.push({ ...edit, file: f.rel });
      byFile.set(f.rel, entry);
    } catch (e) {
      if (!isRedgreenError(e)) throw e;
      return { ok: false, reason: e.message, risk: "high" };
    }
  }
  const outOfScope = await editScopeViolation(
    projectRoot,
    [...byFile].map(([rel, { real }]) => ({ rel, real })),
  );
  if (outOfScope) return { ok: false, reason: violationText(outOfScope), risk: "high", violation: outOfScope };
  const changes: FileChange[] = [];
  for (const [file, { real, edits: fileEdits }] of byFile) {
    let original: string;
    try {
      original = await readFile(real, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined) throw e;
      const why = code === "EISDIR" ? "is a directory, not a file" : code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
      return { ok: false, reason: `${file} ${why}`, risk: "high" };
    }
    let fixed = original;
    try {
      // The same order applyEdits uses, so the preview equals what gets written.
      fixed = applyFileEdits(original, fileEdits);
    } catch (e) {
      if (!isRedgreenError(e)) throw e;
      return { ok: false, reason: e.message, risk: "low" };
    }
    if (fixed !== original) changes.push({ file, original, fixed });
  }
  if (changes.length === 0) return { ok: false, reason: "the edits change nothing", risk: "low" };
  return { ok: true, changes, diff: changes.map((c) => unifiedDiff(c.file, c.original, c.fixed)).join("") };
}

/**
 * Applies the edits in memory and validates each changed file (syntax, size, imports, secrets, indentation,
 * test integrity, risk) and the fix's total changed lines; valid only when every edit applies and everything passes.
 */
export async function checkFix(edits: readonly FileEdit[], deps: CheckFixDeps): Promise<FixCheck> {
  const preview = await previewEdits(deps.projectRoot, edits);
  if (!preview.ok) {
    const violations = preview.violation ? [preview.violation] : [];
    return { valid: false, risk: preview.risk, reasons: [preview.reason], warnings: [], violations, changes: [], diff: "" };
  }
  const { changes } = preview;
  const verdicts = await Promise.all(
    changes.map((c) =>
      validateFix({
        original: c.original,
        fixed: c.fixed,
        filePath: c.file,
        projectRoot: deps.projectRoot,
        ...languageServicesOf(deps),
        allowTestEdits: deps.allowTestEdits,
        isTestFile: deps.isTestFile,
        limits: deps.limits,
        env: deps.env,
        allowRisky: deps.allowRisky,
        failingTests: deps.failingTests,
      }),
    ),
  );
  const reasons = verdicts.flatMap((v, i) => v.reasons.map((r) => `${changes[i]!.file}: ${r}`));
  const maxTotal = deps.limits?.maxTotalChangedLines ?? DEFAULT_LIMITS.maxTotalChangedLines;
  const total = changes.reduce((sum, c) => sum + diffLines(c.original, c.fixed).changedLines, 0);
  if (changes.length > 1 && total > maxTotal) {
    reasons.push(
      `size: ${total} changed lines across ${changes.length} files (at most ${maxTotal} per fix); a fix should be minimal, not a rewrite`,
    );
  }
  return {
    valid: reasons.length === 0,
    risk: maxRisk(verdicts.map((v) => v.risk)),
    reasons,
    warnings: verdicts.flatMap((v, i) => v.warnings.map((w) => `${changes[i]!.file}: ${w}`)),
    violations: verdicts.flatMap((v) => v.violations ?? []),
    changes,
    diff: preview.diff,
  };
}
