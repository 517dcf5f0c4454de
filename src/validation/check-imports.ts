// checkImports: every import a fix adds must resolve in the project's interpreter, its node_modules or inside the project.
import type { CheckResult, FixContext } from "./context.js";

/** checkImports' verdict plus the third-party packages the fix starts depending on. */
export interface ImportCheckResult extends CheckResult {
  /** Top-level modules (Python) or packages (TS/JS) outside the stdlib/builtins and the project that the original file did not import. */
  newDependencies: string[];
}

/** Rejects new imports that do not resolve (or names a module does not define); guarded optional imports only warn. */
export function checkImports(ctx: FixContext): Promise<ImportCheckResult> {
  return ctx.memo("check:imports", async () =>
    ctx.support ? ctx.support.checkImports(ctx) : { reasons: [], warnings: [], newDependencies: [] },
  );
}
