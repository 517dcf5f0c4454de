// checkOverfit: a fix may not fit itself to the failing tests (their literals, their exact inputs, their names).
import { splitNodeId } from "../domain/node-id.js";
import { overfitFindings } from "../python/policy-ops.js";
import { languageOfPath } from "../analysis/language.js";
import { addedFindings } from "./check-policy.js";
import type { CheckResult, FixContext } from "./context.js";
import { pythonHelper } from "./context.js";
import { classifyTestPath } from "./test-paths.js";
import { scriptKindOf, tsParsedOf } from "./ts-facts.js";
import { testFacts, tsLiteralFindings, tsNameFindings } from "./ts-overfit.js";

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
    if (ctx.original === ctx.fixed || classifyTestPath(ctx.relPath, ctx.isTestFile) !== null) return none;
    const tests = ctx.failingTests.filter((t) => languageOfPath(t.file) === ctx.language);
    if (ctx.isPython) {
      const named = tests.map((t) => ({ name: splitNodeId(t.nodeId).testName, file: t.file, source: t.source }));
      const r = await overfitFindings(pythonHelper(ctx), ctx.original, ctx.fixed, ctx.relPath, named);
      return r.parsed ? { ...none, violations: await addedFindings(ctx, r.original, r.fixed) } : none;
    }
    if (!ctx.isTypeScript) return none;
    const [original, fixed] = await Promise.all([tsParsedOf(ctx, "original"), tsParsedOf(ctx, "fixed")]);
    if ([original, fixed].some((p) => p.syntactic.some((d) => d.category === "error"))) return none;
    const ts = fixed.ts;
    const parse = (file: string, source: string) => ts.createSourceFile(`/${file}`, source, ts.ScriptTarget.Latest, true, scriptKindOf(ts, file));
    const facts = testFacts(ts, parse, tests);
    const found = [...tsNameFindings(ts, fixed.sourceFile, facts.titles), ...tsLiteralFindings(ts, original.sourceFile, fixed.sourceFile, facts.keys)];
    return { ...none, violations: await addedFindings(ctx, tsNameFindings(ts, original.sourceFile, facts.titles), found) };
  });
}
