// checkSizeChange: a fix stays small — a bounded number of changed lines and bounded growth of the file.
import type { CheckResult, FixContext } from "./context.js";
import { diffOf } from "./facts.js";
import { splitLines } from "./line-diff.js";

/**
 * Rejects a change that changes nothing, more than maxChangedLines lines, grows the file past maxGrowthRatio,
 * or (removing more than minShrinkLines lines) shrinks it past maxShrinkRatio.
 */
export function checkSizeChange(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:size", async () => {
    const result: CheckResult = { reasons: [], warnings: [] };
    const { maxChangedLines, maxGrowthRatio, minGrowthLines, maxShrinkRatio, minShrinkLines } = ctx.limits;
    if (ctx.original === ctx.fixed) {
      result.reasons.push(`size: the fix does not change ${ctx.relPath}`);
      return result;
    }
    const diff = await diffOf(ctx);
    if (diff.changedLines > maxChangedLines) {
      result.reasons.push(
        `size: ${diff.changedLines} changed lines in ${ctx.relPath} (at most ${maxChangedLines}); a fix should be minimal, not a rewrite`,
      );
    }
    const before = splitLines(ctx.original).length;
    const after = splitLines(ctx.fixed).length;
    const grown = after - before;
    if (before > 0 && grown > minGrowthLines && grown / before > maxGrowthRatio) {
      const pct = Math.round((grown / before) * 100);
      result.reasons.push(
        `size: ${ctx.relPath} grows by ${pct}% (${before} → ${after} lines; at most ${Math.round(maxGrowthRatio * 100)}%)`,
      );
    }
    const shrunk = before - after;
    if (before > 0 && shrunk > minShrinkLines && shrunk / before > maxShrinkRatio) {
      const pct = Math.round((shrunk / before) * 100);
      result.reasons.push(
        `size: ${ctx.relPath} loses ${pct}% of its lines (${before} → ${after}; at most ${Math.round(maxShrinkRatio * 100)}%); a ` +
          `fix should not delete code wholesale`,
      );
    }
    if (diff.changedLines === 0 && ctx.original !== ctx.fixed) result.warnings.push("size: only line endings or the final newline changed");
    return result;
  });
}
