// checkSyntax: the fixed file must compile: JSON parses, and a Python or TS/JS file passes its language's syntax check.
import type { CheckResult, FixContext } from "./context.js";

/**
 * Rejects a JSON file that does not parse, a fixed Python file that does not compile (new SyntaxWarnings warn), and a
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
    return ctx.support ? ctx.support.checkSyntax(ctx) : result;
  });
}
