// Memoised facts about a Python file's two versions, from the project's interpreter through the long-lived helper.
import { RedgreenError } from "../../domain/errors.js";
import type { PythonCaller } from "../../python/client.js";
import { listImports, outlineSource, parseSource } from "../../python/core-ops.js";
import type { ListImportsResult, OutlineResult, ParseResult } from "../../python/core-ops.js";
import type { FixContext } from "../../validation/context.js";
import type { Side } from "../../validation/facts.js";

/** The Python helper of a context that checks a Python file; a caller that forgot to pass one is a fault. */
export function pythonHelper(ctx: FixContext): PythonCaller {
  if (!ctx.helper)
    throw new RedgreenError("internal", `validating the Python file ${ctx.relPath} needs the Python helper (FixInput.helper)`);
  return ctx.helper;
}

/** The project's interpreter compiling one side. */
export const parsedOf = (ctx: FixContext, side: Side): Promise<ParseResult> =>
  ctx.memo(`parse:${side}`, () => parseSource(pythonHelper(ctx), ctx[side], ctx.relPath));

/** The import statements of one side. */
export const importsOf = (ctx: FixContext, side: Side): Promise<ListImportsResult> =>
  ctx.memo(`imports:${side}`, () => listImports(pythonHelper(ctx), ctx[side], ctx.relPath));

/** The definitions outline of one side. */
export const outlineOf = (ctx: FixContext, side: Side): Promise<OutlineResult> =>
  ctx.memo(`outline:${side}`, () => outlineSource(pythonHelper(ctx), ctx[side], ctx.relPath));
