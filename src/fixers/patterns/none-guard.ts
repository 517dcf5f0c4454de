// none-guard: `'NoneType' object has no attribute 'x'` in project code → guard the statement with `is not None`.
import type { FixProposal } from "../../domain/fix.js";
import { messageHead, raisingFrame, shortType } from "./failure-facts.js";
import { noneGuard } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

const NONE_ATTR_RE = /'NoneType' object has no attribute '([A-Za-z_]\w*)'/;

export const noneGuardPattern = {
  id: "none-guard",
  languages: ["python"],
  strategy: "add_none_check",
  matches: (failure) => shortType(failure.errorType) === "AttributeError" && NONE_ATTR_RE.test(messageHead(failure)),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const attr = NONE_ATTR_RE.exec(messageHead(ctx.failure))?.[1];
    // Only where the access itself happened, in the project's code: a guard in a test would weaken it.
    const frame = raisingFrame(ctx.failure, ctx.projectRoot);
    if (!attr || !frame || frame.kind !== "project" || ctx.isTestFile(frame.file)) return null;
    const guard = await noneGuard(ctx.helper, { file: frame.file, line: frame.line, attr });
    if (!guard.edit || !guard.object) return null;
    const how =
      guard.kind === "conditional"
        ? `yield None instead of failing when \`${guard.object}\` is None`
        : guard.kind === "condition"
          ? `check \`${guard.object} is not None\` before reading .${attr}`
          : `run the statement only when \`${guard.object}\` is not None`;
    return {
      source: "pattern",
      strategy: "add_none_check",
      edits: [{ file: frame.file, ...guard.edit }],
      explanation:
        `Guard ${frame.file}:${frame.line} in ${frame.function}: ${how}. This handles None where it is read; if None itself is the ` +
        `bug, the cause lies upstream.`,
      confidence: 0.6,
    };
  },
} satisfies FixPattern;
