// Facts the TS/JS patterns share: where a JS failure happened, and whether a language-service fix really fixes it.
import { projectRelativePath } from "../../analysis/frames.js";
import { isJsTestPath } from "../../analysis/language.js";
import type { Failure, StackFrame } from "../../domain/failure.js";
import type { FileEdit, FixProposal } from "../../domain/fix.js";
import { diagnosticKey, newDiagnostics } from "../../typescript/diagnostics.js";
import type { TsDiagnostic, TsProject, TsTextChange } from "../../typescript/types.js";
import { shortType } from "./failure-facts.js";
import { applyTextChanges, textEdits } from "./ts-edits.js";
import type { PatternContext } from "./types.js";

/** TypeScript and JavaScript source files (what the language service reads). */
export const TS_FILE_RE = /\.(?:tsx?|mts|cts|jsx?|mjs|cjs)$/;

/** A stack frame inside the project, path relative to the root. */
export interface TsFrame {
  file: string;
  line: number;
  function: string;
  kind: "project" | "test";
}

/** Where a failure happened in project code: file, 1-based line, and the column when the stack text gives one. */
export interface TsLocation {
  file: string;
  line: number;
  column?: number;
}

/** A frame's kind, from the runner when reported, else from its path (node_modules and node: internals are not ours). */
function jsFrameKind(fr: StackFrame, rel: string | null): StackFrame["kind"] {
  if (fr.kind) return fr.kind;
  if (fr.file.startsWith("node:") || fr.file.startsWith("internal/")) return "stdlib";
  if (rel === null || rel.split("/").includes("node_modules")) return "library";
  return isJsTestPath(rel) ? "test" : "project";
}

/** The failure's frames in the project's own TS/JS files (tests included), outermost first. */
export function tsFrames(f: Failure, projectRoot: string): TsFrame[] {
  const out: TsFrame[] = [];
  for (const fr of f.frames) {
    const file = fr.file.startsWith("file://") ? decodeURIComponent(new URL(fr.file).pathname) : fr.file;
    const rel = projectRelativePath(file, projectRoot);
    const kind = jsFrameKind(fr, rel);
    if (rel === null || (kind !== "project" && kind !== "test") || !TS_FILE_RE.test(rel)) continue;
    out.push({ file: rel, line: fr.line, function: fr.function, kind });
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The column V8 printed for `file:line` in the stack text (1-based), when it printed one. */
export function stackColumn(f: Failure, file: string, line: number): number | undefined {
  const m = new RegExp(`(?:^|[\\s(/])${escapeRe(file)}:${line}:(\\d+)`, "m").exec(f.stackTrace);
  return m ? Number(m[1]) : undefined;
}

/** Where the error was raised in code the pattern may edit: the innermost own frame, else the analysis' location. */
export function failureLocation(ctx: PatternContext): TsLocation | null {
  const editable = (rel: string): boolean => ctx.allowTestEdits || !ctx.isTestFile(rel);
  const frames = tsFrames(ctx.failure, ctx.projectRoot).filter((fr) => (fr.kind === "project" || ctx.allowTestEdits) && editable(fr.file));
  const frame = frames[frames.length - 1];
  if (frame) {
    const column = stackColumn(ctx.failure, frame.file, frame.line);
    return { file: frame.file, line: frame.line, ...(column ? { column } : {}) };
  }
  const { fileToFix, lineNumber } = ctx.analysis;
  if (fileToFix && lineNumber && TS_FILE_RE.test(fileToFix) && editable(fileToFix)) return { file: fileToFix, line: lineNumber };
  return null;
}

/** The error class without a namespace, and the first message line (vitest appends diffs to assertion messages). */
export function errorFacts(f: Failure): { type: string; message: string } {
  return { type: shortType(f.errorType), message: f.errorMessage.split("\n")[0]?.trim() ?? "" };
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
    out.set(file, { before, after: applyTextChanges(before, changes.filter((c) => c.file === file)) });
  }
  return out;
}

/** Error diagnostics present after a change that were not there before (matched by code and message). */
export async function newErrors(project: TsProject, files: Map<string, FileChange>): Promise<TsDiagnostic[]> {
  const added: TsDiagnostic[] = [];
  // Each changed file is checked with its own new text; the overrides are per call, so a file that depends on another
  // changed file is compared against that file as it is on disk.
  for (const [rel, change] of files) {
    const before = (await project.diagnostics(rel)).filter((d) => d.category === "error");
    const after = (await project.diagnostics(rel, change.after)).filter((d) => d.category === "error");
    added.push(...newDiagnostics(before, after));
  }
  return added;
}

/** Whether the fixed text no longer has the diagnostic (same code and message, on any line). */
export async function clears(project: TsProject, diagnostic: TsDiagnostic, files: Map<string, FileChange>): Promise<boolean> {
  const change = files.get(diagnostic.file);
  const key = diagnosticKey(diagnostic);
  const before = (await project.diagnostics(diagnostic.file)).filter((d) => diagnosticKey(d) === key).length;
  const after = (await project.diagnostics(diagnostic.file, change?.after)).filter((d) => diagnosticKey(d) === key).length;
  return after < before;
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
