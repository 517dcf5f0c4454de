// Added Python lines follow the file's indentation (tabs vs spaces, width) and the file still tokenizes: indentation is syntax here.
import { checkIndentationOf } from "../../python/core-ops.js";
import type { IndentationReport } from "../../python/core-ops.js";
import type { CheckResult, FixContext } from "../../validation/context.js";
import { diffOf } from "../../validation/facts.js";
import { indentKind, lineList } from "../../validation/indent-text.js";
import { pythonHelper } from "./facts.js";

type Report = Extract<IndentationReport, { ok: true }>;

export async function checkPythonIndentation(ctx: FixContext): Promise<CheckResult> {
  const result: CheckResult = { reasons: [], warnings: [] };
  const [original, fixed, diff] = await Promise.all([
    ctx.memo("indent:original", () => checkIndentationOf(pythonHelper(ctx), ctx.original)),
    ctx.memo("indent:fixed", () => checkIndentationOf(pythonHelper(ctx), ctx.fixed)),
    diffOf(ctx),
  ]);
  if (!fixed.ok) {
    result.reasons.push(
      `indentation: ${ctx.relPath} does not tokenize${fixed.line === null ? "" : ` at line ${fixed.line}`}: ${fixed.msg}`,
    );
    return result;
  }
  const added = new Set(diff.added);
  const newLines = fixed.lines.filter(([line]) => added.has(line));
  // The convention comes from the original; a file with no indented lines yet takes the fix's majority.
  const base: Report = original.ok && original.style !== "none" ? original : fixed;
  const style = base.style === "mixed" ? (base.tabLines > base.spaceLines ? "tabs" : "spaces") : base.style;
  const mixed = newLines.filter(([, ws]) => indentKind(ws) === "mixed").map(([l]) => l);
  if (mixed.length > 0) result.reasons.push(`indentation: line ${lineList(mixed)} mixes tabs and spaces`);
  if (style === "spaces" || style === "tabs") {
    const other = style === "spaces" ? "tabs" : "spaces";
    const wrong = newLines.filter(([, ws]) => indentKind(ws) === other).map(([l]) => l);
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
}
