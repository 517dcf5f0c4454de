// checkTsSyntax: a fixed TS/JS file must parse, and (with the project's language service) add no type errors.
import { newDiagnostics } from "../../ts-project/diagnostics.js";
import type { TsDiagnostic } from "../../ts-project/types.js";
import type { CheckResult, FixContext } from "../../validation/context.js";
import { tsImporterErrorsOf, tsParsedOf, tsProjectCheckOf } from "./facts.js";

// Past this many new errors the rest are counted, not listed.
const MAX_LISTED = 5;

const oneLine = (message: string): string => message.split("\n")[0]!.trim();

const listed = (prefix: string, ds: TsDiagnostic[], where: string): string[] => {
  const lines = ds.slice(0, MAX_LISTED).map((d) => `${prefix} TS${d.code} at line ${d.line} of ${where}: ${oneLine(d.message)}`);
  if (ds.length > MAX_LISTED) lines.push(`${prefix} … and ${ds.length - MAX_LISTED} more`);
  return lines;
};

/**
 * Rejects a fixed TS/JS file with syntactic diagnostics; with a TsProject also rejects every type error
 * (semantic diagnostic of category error) the original did not have, in it or in the files that import it (unless its
 * surface, what they can see of it, is the same). Errors that disappear are fine.
 */
export async function checkTsSyntax(ctx: FixContext): Promise<CheckResult> {
  const result: CheckResult = { reasons: [], warnings: [] };
  const project = await tsProjectCheckOf(ctx, "fixed");
  const syntactic = project?.ok ? project.diagnostics.filter((d) => d.kind === "syntactic") : (await tsParsedOf(ctx, "fixed")).syntactic;
  const syntaxErrors = syntactic.filter((d) => d.category === "error");
  if (syntaxErrors.length > 0) {
    result.reasons.push(...listed("syntax:", syntaxErrors, ctx.relPath));
    return result;
  }
  if (project === null) return result;
  if (!project.ok) {
    result.warnings.push(`types: ${ctx.relPath} was only parsed, not type-checked (${project.error})`);
    return result;
  }
  const original = await tsProjectCheckOf(ctx, "original");
  if (!original?.ok) return result;
  const errors = (ds: TsDiagnostic[]): TsDiagnostic[] => ds.filter((d) => d.kind === "semantic" && d.category === "error");
  const fresh = newDiagnostics(errors(original.diagnostics), errors(project.diagnostics));
  // An original that does not parse has no reliable type baseline: its fix's type errors only warn.
  const broken = original.diagnostics.some((d) => d.kind === "syntactic" && d.category === "error");
  (broken ? result.warnings : result.reasons).push(...listed("types: new error", fresh, ctx.relPath));
  if (broken) return result;
  // The files that import the edited one: a changed export must not break its callers. The same surface cannot.
  if (project.surface !== null && project.surface === original.surface) return result;
  const [importersBefore, importersAfter] = await Promise.all([tsImporterErrorsOf(ctx, "original"), tsImporterErrorsOf(ctx, "fixed")]);
  if (importersBefore && importersAfter) {
    const byFile = new Map<string, TsDiagnostic[]>();
    for (const d of newDiagnostics(importersBefore, importersAfter)) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    for (const [file, ds] of byFile) result.reasons.push(...listed("types: new error", ds, `${file} (which imports ${ctx.relPath})`));
  }
  return result;
}
