// checkPolicy: a fix may not add code that touches test infrastructure, executes or fetches code, reads secrets or the environment, or
// writes files.
import type { Violation } from "../domain/validation.js";
import type { CheckResult, FixContext } from "./context.js";
import { diffOf } from "./facts.js";
import { newFindings } from "./findings.js";
import type { Finding } from "./findings.js";
import { classifyTestPath } from "./test-paths.js";

/** Findings the fixed version adds over the original (all findings on added lines when the original does not parse). */
export async function addedFindings(ctx: FixContext, original: Finding[] | null, fixed: Finding[] | null): Promise<Violation[]> {
  if (fixed === null) return [];
  const added = new Set((await diffOf(ctx)).added);
  const found = original === null ? fixed.filter((f) => added.has(f.line)) : newFindings(original, fixed, added);
  return found.map((f) => ({ rule: f.rule, file: ctx.relPath, line: f.line, evidence: f.evidence }));
}

/**
 * The static content policy (Python and TS/JS), on code the fix adds (compared by AST, so code already there is never
 * flagged): test infrastructure (pytest internals, sys.modules, frames, builtins, exits, the plugin's variables; test
 * globals, mocks, process.exit/on, module caches, stack reads), code execution, network, secret-named or whole-environment
 * reads, file writes. Test files keep their test framework (pytest, expect, vi) but not the rest.
 */
export function checkPolicy(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:policy", async () => {
    const support = ctx.support;
    if (ctx.original === ctx.fixed || !support) return { reasons: [], warnings: [], violations: [] };
    const isTest = classifyTestPath(ctx.relPath, ctx.isTestFile) !== null;
    const [original, fixed] = await Promise.all([
      support.policyFindings(ctx, "original", isTest),
      support.policyFindings(ctx, "fixed", isTest),
    ]);
    return { reasons: [], warnings: [], violations: await addedFindings(ctx, original, fixed) };
  });
}
