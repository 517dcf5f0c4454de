// checkPolicy: a fix may not add code that touches test infrastructure, executes or fetches code, reads secrets or the environment, or writes files.
import type { Violation } from "../domain/validation.js";
import { policyFindings } from "../python/policy-ops.js";
import type { CheckResult, FixContext } from "./context.js";
import { pythonHelper } from "./context.js";
import { NOT_SECRET_NAMES, SECRET_ENV_NAME } from "./env-secrets.js";
import { diffOf } from "./facts.js";
import type { Side } from "./facts.js";
import { newFindings } from "./findings.js";
import type { Finding } from "./findings.js";
import { classifyTestPath } from "./test-paths.js";
import { tsParsedOf } from "./ts-facts.js";
import { tsPolicyFindings } from "./ts-policy.js";

/** One version's findings; null when it does not parse (the syntax check reports that). */
async function findingsOf(ctx: FixContext, side: Side, isTest: boolean): Promise<Finding[] | null> {
  if (ctx.isPython) {
    const secrets = { pattern: SECRET_ENV_NAME.source, notSecret: [...NOT_SECRET_NAMES] };
    const r = await policyFindings(pythonHelper(ctx), ctx[side], ctx.relPath, isTest, secrets);
    return r.parsed ? r.findings : null;
  }
  const parsed = await tsParsedOf(ctx, side);
  if (parsed.syntactic.some((d) => d.category === "error")) return null;
  return tsPolicyFindings(parsed.ts, parsed.sourceFile, isTest, { pattern: SECRET_ENV_NAME, notSecret: NOT_SECRET_NAMES });
}

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
    if (ctx.original === ctx.fixed || (!ctx.isPython && !ctx.isTypeScript)) return { reasons: [], warnings: [], violations: [] };
    const isTest = classifyTestPath(ctx.relPath, ctx.isTestFile) !== null;
    const [original, fixed] = await Promise.all([findingsOf(ctx, "original", isTest), findingsOf(ctx, "fixed", isTest)]);
    return { reasons: [], warnings: [], violations: await addedFindings(ctx, original, fixed) };
  });
}
