// checkTestIntegrity: never pass by editing or weakening tests, test configuration or coverage settings.
import type { CheckResult, FixContext } from "./context.js";
import { classifyTestPath } from "./test-paths.js";

/** The integrity verdict plus whether an (allowed) test edit happened, which makes the fix high risk. */
export interface TestIntegrityResult extends CheckResult {
  testEdit: boolean;
}

/**
 * Python (pytest) and TS/JS (vitest/jest) tests alike:
 * rejects edits to tests/test config unless they only add imports (or allowTestEdits is set, which makes the
 * risk high); rejects weakening (deleted asserts, skip/xfail, looser comparisons or tolerances, removed
 * pytest.raises, swallowed failures, early returns, narrowed collection, lower coverage bars) always.
 */
export function checkTestIntegrity(ctx: FixContext): Promise<TestIntegrityResult> {
  return ctx.memo("check:test-integrity", async () => {
    const result: TestIntegrityResult = { reasons: [], warnings: [], testEdit: false };
    if (ctx.original === ctx.fixed) return result;
    const kind = classifyTestPath(ctx.relPath, ctx.isTestFile);
    if (kind === null) return result;
    const denied = (what: string): void => {
      if (ctx.allowTestEdits) {
        result.warnings.push(`test-integrity: ${what} (allowed by allowTestEdits; risk high)`);
        result.testEdit = true;
      } else {
        result.reasons.push(`test-integrity: ${what}; a fix must change the code under test, not the tests (allowTestEdits is off)`);
      }
    };
    if (kind === "config") {
      const change = await ctx.testConfigSupport?.compareTestConfig(ctx);
      if (!change?.touched) return result;
      for (const w of change.weakenings) result.reasons.push(`test-integrity: weakens the test configuration in ${ctx.relPath}: ${w}`);
      denied(`edits test settings in ${ctx.relPath} [${change.sections.join(", ")}]`);
      return result;
    }
    if (!ctx.support) {
      denied(`edits ${ctx.relPath}, which belongs to the tests`);
      return result;
    }
    const comparison = await ctx.support.compareTests(ctx);
    for (const w of comparison.weakenings) {
      result.reasons.push(`test-integrity: weakens ${ctx.relPath}${w.line === null ? "" : ` at line ${w.line}`}: ${w.message} [${w.kind}]`);
    }
    if (comparison.importOnly) return result;
    denied(`edits test file ${ctx.relPath}`);
    if (!comparison.parsed && ctx.allowTestEdits) {
      result.warnings.push(`test-integrity: could not compare ${ctx.relPath} structurally (${comparison.parseNote}); checked as text`);
    }
    return result;
  });
}
