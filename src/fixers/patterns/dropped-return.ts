// dropped-return: a function called at the failing line gave None through an explicit `return None` while it built a value
// (`rv = {}; rv[k] = v; return None`) or returns one name everywhere else: it returns that value again.
import type { FixProposal } from "../../domain/fix.js";
import { noneAsserted, noneUsedAsValue, ownFrames } from "./failure-facts.js";
import { droppedReturn } from "./python-ops.js";
import type { FixPattern, PatternContext } from "./types.js";

export const droppedReturnPattern = {
  id: "dropped-return",
  languages: ["python"],
  strategy: "add_none_check",
  matches: (failure) => noneUsedAsValue(failure) || noneAsserted(failure),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    // Test frames count: `assert f(x) == y` calls f there. The edit itself is never in a test file (the op skips them).
    const frames = ownFrames(ctx.failure, ctx.projectRoot);
    if (frames.length === 0) return null;
    const found = await droppedReturn(ctx.helper, { frames: frames.map((f) => ({ file: f.file, line: f.line })) });
    if (!found.edit || !found.file || ctx.isTestFile(found.file)) return null;
    return {
      source: "pattern",
      strategy: "add_none_check",
      edits: [{ file: found.file, ...found.edit }],
      explanation:
        `${found.function ?? "the function"} (${found.file}:${String(found.line)}) returns None where it should return ` +
        `\`${found.value ?? ""}\`, the value it built; its caller got None.`,
      confidence: 0.6,
    };
  },
} satisfies FixPattern;
