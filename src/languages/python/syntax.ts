// A fixed Python file must compile with the project's interpreter; SyntaxWarnings it newly raises warn.
import type { CheckResult, FixContext } from "../../validation/context.js";
import { parsedOf } from "./facts.js";

export async function checkPythonSyntax(ctx: FixContext): Promise<CheckResult> {
  const result: CheckResult = { reasons: [], warnings: [] };
  const [fixed, original] = await Promise.all([parsedOf(ctx, "fixed"), parsedOf(ctx, "original")]);
  if (!fixed.ok) {
    const where = fixed.line === null ? "" : ` at line ${fixed.line}${fixed.col === null ? "" : `, column ${fixed.col}`}`;
    const text = fixed.text ? `: ${fixed.text.trim()}` : "";
    result.reasons.push(`syntax: ${fixed.error} in ${ctx.relPath}${where}: ${fixed.msg}${text}`);
    return result;
  }
  const before = new Set(original.ok ? original.warnings.map((w) => w.msg) : []);
  for (const w of fixed.warnings) {
    if (!before.has(w.msg)) result.warnings.push(`syntax: ${w.category} at line ${w.line ?? "?"}: ${w.msg}`);
  }
  return result;
}
