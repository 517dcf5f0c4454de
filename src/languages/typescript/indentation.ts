// Indentation is no syntax matter in TS/JS: added lines that mix tabs and spaces, or use the other character than the file, only warn.
import { indentCharacter } from "../../ts-project/style.js";
import type { CheckResult, FixContext } from "../../validation/context.js";
import { diffOf } from "../../validation/facts.js";
import { indentKind, lineList } from "../../validation/indent-text.js";
import { splitLines } from "../../validation/line-diff.js";

export async function checkTsIndentation(ctx: FixContext): Promise<CheckResult> {
  const result: CheckResult = { reasons: [], warnings: [] };
  const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
  const style = indentCharacter(ctx.original);
  const fixedLines = splitLines(ctx.fixed);
  const added = (await diffOf(ctx)).added
    .map((n): [number, string] => [n, indentOf(fixedLines[n - 1] ?? "")])
    .filter(([, ws]) => ws !== "");
  const mixed = added.filter(([, ws]) => indentKind(ws) === "mixed").map(([l]) => l);
  if (mixed.length > 0) result.warnings.push(`indentation: line ${lineList(mixed)} mixes tabs and spaces`);
  const other = style === "tabs" ? "spaces" : "tabs";
  const wrong = style === null ? [] : added.filter(([, ws]) => indentKind(ws) === other).map(([l]) => l);
  if (wrong.length > 0)
    result.warnings.push(`indentation: line ${lineList(wrong)} indented with ${other} in a file indented with ${style}`);
  return result;
}
