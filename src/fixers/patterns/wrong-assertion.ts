// wrong-assertion: rewrite a failing `assert` to what the code produced — a test edit, so opt-in and high risk.
import type { FixProposal } from "../../domain/fix.js";
import { raisingFrame, shortType } from "./failure-facts.js";
import { assertionRewrite } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

export const wrongAssertionPattern = {
  id: "wrong-assertion",
  languages: ["python"],
  strategy: "fix_assertion",
  matches: (failure, analysis) =>
    shortType(failure.errorType) === "AssertionError" &&
    (analysis.errorCategory === "assertion" || analysis.fixStrategy === "fix_assertion"),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    if (!ctx.allowTestEdits) return null;
    const frame = raisingFrame(ctx.failure, ctx.projectRoot);
    if (!frame || !(frame.kind === "test" || ctx.isTestFile(frame.file))) return null;
    const rewrite = await assertionRewrite(ctx.helper, { file: frame.file, line: frame.line, message: ctx.failure.errorMessage });
    if (!rewrite.edit || !rewrite.from || !rewrite.to) return null;
    const change =
      rewrite.kind === "none-check"
        ? `\`assert ${rewrite.from}\` → \`assert ${rewrite.to}\``
        : `expected value ${rewrite.from} → ${rewrite.to}`;
    return {
      source: "pattern",
      strategy: "fix_assertion",
      edits: [{ file: frame.file, ...rewrite.edit }],
      explanation:
        `Risk: high — this edits the test, not the code: ${change} at ${frame.file}:${frame.line}, matching what the code returned. ` +
        `Only correct if the test's expectation was wrong.`,
      confidence: 0.3,
    };
  },
} satisfies FixPattern;
