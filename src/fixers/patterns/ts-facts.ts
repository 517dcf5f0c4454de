// Facts the TS/JS patterns share: where a JS failure happened, and whether a language-service fix really fixes it.
import { isScriptPath } from "../../analysis/language.js";
import type { Failure } from "../../domain/failure.js";
import type { FileEdit, FixProposal } from "../../domain/fix.js";
import { escapeRegExp } from "../../parsers/escape-regexp.js";
import { diagnosticKey, newDiagnostics } from "../../ts-project/diagnostics.js";
import type { TsDiagnostic, TsProject, TsTextChange } from "../../ts-project/types.js";
import { ownFrames, shortType, type OwnFrame } from "./failure-facts.js";
import { applyTextChanges, textEdits } from "./ts-edits.js";
import type { PatternContext } from "./types.js";

/** Where a failure happened in project code: file, 1-based line, and the column when the runner or the stack text gives one. */
export interface TsLocation {
  file: string;
  line: number;
  column?: number;
}

/** The failure's frames in the project's own TS/JS files (tests included), outermost first. */
export const scriptFrames = (f: Failure, projectRoot: string): OwnFrame[] =>
  ownFrames(f, projectRoot).filter((fr) => isScriptPath(fr.file));

/** The column V8 printed for `file:line` in the stack text (1-based), when it printed one. */
export function stackColumn(f: Failure, file: string, line: number): number | undefined {
  const m = new RegExp(`(?:^|[\\s(/])${escapeRegExp(file)}:${line}:(\\d+)`, "m").exec(f.stackTrace);
  return m ? Number(m[1]) : undefined;
}

/** Where the error was raised in code the pattern may edit: the innermost own frame, else the analysis' location. */
export function failureLocation(ctx: PatternContext): TsLocation | null {
  const editable = (rel: string): boolean => ctx.allowTestEdits || !ctx.isTestFile(rel);
  const frames = scriptFrames(ctx.failure, ctx.projectRoot).filter(
    (fr) => (fr.kind === "project" || ctx.allowTestEdits) && editable(fr.file),
  );
  const frame = frames[frames.length - 1];
  if (frame) {
    const column = frame.column ?? stackColumn(ctx.failure, frame.file, frame.line);
    return { file: frame.file, line: frame.line, column: column || undefined };
  }
  const { fileToFix, lineNumber } = ctx.analysis;
  if (fileToFix && lineNumber && isScriptPath(fileToFix) && editable(fileToFix)) return { file: fileToFix, line: lineNumber };
  return null;
}

/** The error class without a namespace, and the first message line (vitest appends diffs to assertion messages). */
export function errorFacts(f: Failure): { type: string; message: string } {
  return { type: shortType(f.errorType), message: f.errorMessage.split("\n")[0]?.trim() ?? "" };
}

/** What `read` finds in a failure's short error type and first message line; null when it finds nothing. */
export function readError<T>(f: Failure, read: (type: string, message: string) => T | null): T | null {
  const { type, message } = errorFacts(f);
  return read(type, message);
}

/** Whether a runner reported a value mismatch (vitest/jest/chai/node:assert assertion errors). */
export const isAssertionFailure = (f: Failure): boolean =>
  /AssertionError|JestAssertionError/.test(f.errorType) || /^expect\(/.test(f.errorMessage.trim());

/** The file texts before and after a set of language-service changes, keyed by project-relative path. */
export interface FileChange {
  before: string;
  after: string;
}

/** Applies offset-based changes (grouped by file) to the files' current texts. */
export async function changedFiles(ctx: PatternContext, changes: readonly TsTextChange[]): Promise<Map<string, FileChange>> {
  const out = new Map<string, FileChange>();
  for (const file of new Set(changes.map((c) => c.file))) {
    const before = await ctx.readFile(file);
    out.set(file, {
      before,
      after: applyTextChanges(
        before,
        changes.filter((c) => c.file === file),
      ),
    });
  }
  return out;
}

/**
 * Whether a set of changes clears `target` (it occurs fewer times, same code and message on any line) and adds no
 * error diagnostic; without a target, only the latter. Each changed file's diagnostics are read once before and once
 * after, the target's file first, stopping at the first failure. Each file is checked with its own new text: the
 * overrides are per call, so a file that depends on another changed file is compared against that file as it is on disk.
 */
export async function fixesCleanly(project: TsProject, files: Map<string, FileChange>, target?: TsDiagnostic): Promise<boolean> {
  if (target && !files.has(target.file)) return false; // its file is left as it is
  const key = target ? diagnosticKey(target) : null;
  const count = (ds: TsDiagnostic[]): number => ds.filter((d) => diagnosticKey(d) === key).length;
  const errors = (ds: TsDiagnostic[]): TsDiagnostic[] => ds.filter((d) => d.category === "error");
  const order = target ? [target.file, ...[...files.keys()].filter((f) => f !== target.file)] : [...files.keys()];
  for (const rel of order) {
    const before = await project.diagnostics(rel);
    const after = await project.diagnostics(rel, files.get(rel)!.after);
    if (target && rel === target.file && count(after) >= count(before)) return false;
    if (newDiagnostics(errors(before), errors(after)).length > 0) return false;
  }
  return true;
}

/** Find/replace edits for every changed file, or null when one of them cannot be expressed unambiguously. */
export function editsFor(files: Map<string, FileChange>): FileEdit[] | null {
  const edits: FileEdit[] = [];
  for (const [file, { before, after }] of files) {
    const fileEdits = textEdits(file, before, after);
    if (!fileEdits) return null;
    edits.push(...fileEdits);
  }
  return edits.length > 0 ? edits : null;
}

/** A pattern proposal from edits. */
export const tsProposal = (strategy: FixProposal["strategy"], edits: FileEdit[], explanation: string, confidence: number): FixProposal => ({
  source: "pattern",
  strategy,
  edits,
  explanation,
  confidence,
});
