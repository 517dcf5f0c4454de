// checkSyntax: the fixed file must compile: Python with the project's interpreter (via the long-lived helper), TS/JS with TypeScript.
import type { CheckResult, FixContext } from "./context.js";
import { parsedOf } from "./facts.js";
import { checkTsSyntax } from "./ts-syntax.js";

/**
 * Rejects a fixed Python file that does not compile (new SyntaxWarnings warn), a JSON file that does not parse, and a
 * TS/JS file with syntax errors or (given a TsProject) new type errors.
 */
export function checkSyntax(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:syntax", async () => {
    const result: CheckResult = { reasons: [], warnings: [] };
    if (ctx.relPath.endsWith(".json")) {
      try {
        JSON.parse(ctx.fixed);
      } catch (error) {
        result.reasons.push(`syntax: ${ctx.relPath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      return result;
    }
    if (ctx.isTypeScript) return checkTsSyntax(ctx);
    if (!ctx.isPython) return result;
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
  });
}
