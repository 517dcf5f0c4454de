// Memoised facts about a FixContext's two versions (diff, parse, imports, outline), shared by the checks.
import { listImports, outlineSource, parseSource } from "../python/core-ops.js";
import type { ListImportsResult, OutlineResult, ParseResult } from "../python/core-ops.js";
import { pythonHelper } from "./context.js";
import type { FixContext } from "./context.js";
import { diffLines } from "./line-diff.js";
import type { LineDiff } from "./line-diff.js";

export type Side = "original" | "fixed";

/** The line diff original → fixed. */
export const diffOf = (ctx: FixContext): Promise<LineDiff> => ctx.memo("diff", async () => diffLines(ctx.original, ctx.fixed));

/** The project's interpreter compiling one side. */
export const parsedOf = (ctx: FixContext, side: Side): Promise<ParseResult> =>
  ctx.memo(`parse:${side}`, () => parseSource(pythonHelper(ctx), ctx[side], ctx.relPath));

/** The import statements of one side. */
export const importsOf = (ctx: FixContext, side: Side): Promise<ListImportsResult> =>
  ctx.memo(`imports:${side}`, () => listImports(pythonHelper(ctx), ctx[side], ctx.relPath));

/** The definitions outline of one side. */
export const outlineOf = (ctx: FixContext, side: Side): Promise<OutlineResult> =>
  ctx.memo(`outline:${side}`, () => outlineSource(pythonHelper(ctx), ctx[side], ctx.relPath));
