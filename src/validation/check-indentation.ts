// checkIndentation: new lines follow the file's own indentation (tabs vs spaces, width); its language decides how strictly.
import type { CheckResult, FixContext } from "./context.js";

/** Python rejects added lines off the file's convention (indentation is syntax there); TS/JS only warns. */
export function checkIndentation(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:indentation", async () => (ctx.support ? ctx.support.checkIndentation(ctx) : { reasons: [], warnings: [] }));
}
