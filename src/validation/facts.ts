// Memoised facts about a FixContext's two versions shared by every check whatever the language: the line diff.
import type { FixContext } from "./context.js";
import { diffLines } from "./line-diff.js";
import type { LineDiff } from "./line-diff.js";

export type Side = "original" | "fixed";

/** The line diff original → fixed. */
export const diffOf = (ctx: FixContext): Promise<LineDiff> => ctx.memo("diff", async () => diffLines(ctx.original, ctx.fixed));
