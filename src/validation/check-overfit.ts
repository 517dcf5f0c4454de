// checkOverfit: a fix may not fit itself to the failing tests (their literals, their exact inputs, their names).
import { languageOfPath } from "../analysis/language.js";
import { addedFindings } from "./check-policy.js";
import type { CheckResult, FixContext } from "./context.js";
import { classifyTestPath } from "./test-paths.js";

/**
 * Rejects a change to the code under test that: brings two or more literals of the failing tests' functions into
 * comparisons, returns or tables (`{Decimal("12.00"): Decimal("10.80"), ...}[x]`); compares a value to a test input
 * to return a test's expected value (`if x == 12: return 10.8`); or branches on the running test (its name,
 * PYTEST_CURRENT_TEST, inspect.stack()[1].function, expect.getState().currentTestName). Literals already in the
 * original file, trivial ones (0, 1, -1, 2, "", one character, indexes) and a single natural constant pass.
 */
export function checkOverfit(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:overfit", async () => {
    const none: CheckResult = { reasons: [], warnings: [], violations: [] };
    const support = ctx.support;
    if (ctx.original === ctx.fixed || !support || classifyTestPath(ctx.relPath, ctx.isTestFile) !== null) return none;
    const tests = ctx.failingTests.filter((t) => languageOfPath(t.file) === support.id);
    const found = await support.overfitFindings(ctx, tests);
    return found ? { ...none, violations: await addedFindings(ctx, found.original, found.fixed) } : none;
  });
}
