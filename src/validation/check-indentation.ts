// checkIndentation: new lines follow the file's own indentation (tabs vs spaces, width) and the file still tokenizes.
import { checkIndentationOf } from "../python/core-ops.js";
import type { IndentationReport } from "../python/core-ops.js";
import { indentCharacter } from "../typescript/style.js";
import { pythonHelper } from "./context.js";
import type { CheckResult, FixContext } from "./context.js";
import { diffOf } from "./facts.js";
import { splitLines } from "./line-diff.js";

type Report = Extract<IndentationReport, { ok: true }>;

const kindOf = (ws: string): "tabs" | "spaces" | "mixed" => (ws.includes("\t") ? (ws.includes(" ") ? "mixed" : "tabs") : "spaces");

const lineList = (lines: number[]): string => (lines.length > 3 ? `${lines.slice(0, 3).join(", ")}, …` : lines.join(", "));

/** Indentation is no syntax matter in TS/JS: added lines that mix tabs and spaces, or use the other character than the file, only warn. */
async function tsIndentation(ctx: FixContext): Promise<CheckResult> {
  const result: CheckResult = { reasons: [], warnings: [] };
  const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
  const style = indentCharacter(ctx.original);
  const fixedLines = splitLines(ctx.fixed);
  const added = (await diffOf(ctx)).added.map((n): [number, string] => [n, indentOf(fixedLines[n - 1] ?? "")]).filter(([, ws]) => ws !== "");
  const mixed = added.filter(([, ws]) => kindOf(ws) === "mixed").map(([l]) => l);
  if (mixed.length > 0) result.warnings.push(`indentation: line ${lineList(mixed)} mixes tabs and spaces`);
  const other = style === "tabs" ? "spaces" : "tabs";
  const wrong = style === null ? [] : added.filter(([, ws]) => kindOf(ws) === other).map(([l]) => l);
  if (wrong.length > 0) result.warnings.push(`indentation: line ${lineList(wrong)} indented with ${other} in a file indented with ${style}`);
  return result;
}

/** Rejects added lines that mix tabs and spaces, use the other indent character than the file, or open blocks off the file's width. */
export function checkIndentation(ctx: FixContext): Promise<CheckResult> {
  return ctx.memo("check:indentation", async () => {
    const result: CheckResult = { reasons: [], warnings: [] };
    if (ctx.isTypeScript) return tsIndentation(ctx);
    if (!ctx.isPython) return result;
    const [original, fixed, diff] = await Promise.all([
      ctx.memo("indent:original", () => checkIndentationOf(pythonHelper(ctx), ctx.original)),
      ctx.memo("indent:fixed", () => checkIndentationOf(pythonHelper(ctx), ctx.fixed)),
      diffOf(ctx),
    ]);
    if (!fixed.ok) {
      result.reasons.push(`indentation: ${ctx.relPath} does not tokenize${fixed.line === null ? "" : ` at line ${fixed.line}`}: ${fixed.msg}`);
      return result;
    }
    const added = new Set(diff.added);
    const newLines = fixed.lines.filter(([line]) => added.has(line));
    // The convention comes from the original; a file with no indented lines yet takes the fix's majority.
    const base: Report = original.ok && original.style !== "none" ? original : fixed;
    const style = base.style === "mixed" ? (base.tabLines > base.spaceLines ? "tabs" : "spaces") : base.style;
    const mixed = newLines.filter(([, ws]) => kindOf(ws) === "mixed").map(([l]) => l);
    if (mixed.length > 0) result.reasons.push(`indentation: line ${lineList(mixed)} mixes tabs and spaces`);
    if (style === "spaces" || style === "tabs") {
      const other = style === "spaces" ? "tabs" : "spaces";
      const wrong = newLines.filter(([, ws]) => kindOf(ws) === other).map(([l]) => l);
      if (wrong.length > 0 && base.style !== "mixed") {
        result.reasons.push(`indentation: line ${lineList(wrong)} indented with ${other} in a file indented with ${style}`);
      } else if (wrong.length > 0) {
        result.warnings.push(`indentation: line ${lineList(wrong)} indented with ${other}; the file already mixes tabs and spaces`);
      }
    }
    const width = base.width;
    if (width !== null && width > 0) {
      const odd = fixed.steps.filter(([line, step]) => added.has(line) && step > 0 && step % width !== 0).map(([l]) => l);
      if (odd.length > 0) {
        const unit = style === "tabs" ? "tab(s)" : "columns";
        result.reasons.push(`indentation: line ${lineList(odd)} opens a block off the file's indent width of ${width} ${unit}`);
      }
    }
    if (original.ok && fixed.mixedLines.length > original.mixedLines.length && mixed.length === 0) {
      result.warnings.push("indentation: the fixed file has more lines mixing tabs and spaces than before");
    }
    return result;
  });
}
