// constant-guard: a None error traced to code where a condition is a constant (`if False:`, `elif True:`, `a if True else b`)
// in a function with a name that may be None: the constant becomes the `is None` / `is not None` test it stands for.
// An exception the project raises itself under `if True:` (a guard refusing a missing or already-set value) counts too.
import type { Failure } from "../../domain/failure.js";
import type { FixProposal } from "../../domain/fix.js";
import { noneUsedAsValue, ownFrames, raisingFrame, shortType } from "./failure-facts.js";
import { constantGuard } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

export const constantGuardPattern = {
  id: "constant-guard",
  languages: ["python"],
  strategy: "add_none_check",
  matches: (failure) => noneUsedAsValue(failure) || raisedByCode(failure),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    // Only the project's own code: a constant in a test is the test's business.
    const frames = ownFrames(ctx.failure, ctx.projectRoot).filter((f) => f.kind === "project" && !ctx.isTestFile(f.file));
    if (frames.length === 0) return null;
    let raised: { file: string; line: number } | undefined;
    if (!noneUsedAsValue(ctx.failure)) {
      const at = raisingFrame(ctx.failure, ctx.projectRoot);
      if (at?.kind !== "project" || ctx.isTestFile(at.file)) return null;
      raised = { file: at.file, line: at.line };
    }
    const guard = await constantGuard(ctx.helper, { frames: frames.map((f) => ({ file: f.file, line: f.line })), raised });
    if (!guard.edit || !guard.file || !guard.test) return null;
    return {
      source: "pattern",
      strategy: "add_none_check",
      edits: [{ file: guard.file, ...guard.edit }],
      explanation:
        `${guard.file}:${String(guard.line)} tests the constant \`${guard.constant ?? ""}\` where \`${guard.test}\` belongs: ` +
        `the branch for a missing value can never run, so None reaches code that needs a value.`,
      confidence: 0.7,
    };
  },
} satisfies FixPattern;

/** An exception other than a failed assertion, raised with a traceback (the project's own raise is checked in propose). */
function raisedByCode(failure: Failure): boolean {
  return shortType(failure.errorType) !== "AssertionError" && failure.frames.length > 0;
}
