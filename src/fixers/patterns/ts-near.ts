// The code around a failure, nearest first (its line, its statement, its function): where the TS patterns look for the
// diagnostic behind a runtime error, since the line a stack reports can be off (source maps, chained calls).
import type { TsDiagnostic, TsProject } from "../../ts-project/types.js";
import { enclosingFunction, nodeAt } from "./ts-ast.js";
import type { TsLocation } from "./ts-facts.js";

/** 1-based lines [from, to]. */
export interface LineRange {
  from: number;
  to: number;
}

/**
 * The failing line, then the whole statement holding it (a chained call spans lines), then the function holding it;
 * only the line when the project cannot show its AST.
 */
export async function failureScopes(project: TsProject, at: TsLocation): Promise<LineRange[]> {
  const line: LineRange = { from: at.line, to: at.line };
  if (!project.inspect) return [line];
  const wider = await project.inspect(at.file, ({ ts: t, sourceFile }) => {
    if (at.line > sourceFile.getLineStarts().length) return [];
    const lineStart = t.getPositionOfLineAndCharacter(sourceFile, at.line - 1, 0);
    const lineText = sourceFile.text.slice(lineStart).split("\n")[0] ?? "";
    const pos = lineStart + (at.column ? at.column - 1 : lineText.length - lineText.trimStart().length);
    const node = nodeAt(t, sourceFile, pos);
    const rangeOf = (n: { getStart(sf: typeof sourceFile): number; getEnd(): number }): LineRange => ({
      from: sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile)).line + 1,
      to: sourceFile.getLineAndCharacterOfPosition(n.getEnd()).line + 1,
    });
    const ranges: LineRange[] = [];
    const holdsStatements = (n: typeof node): boolean =>
      t.isBlock(n) || t.isSourceFile(n) || t.isModuleBlock(n) || t.isCaseOrDefaultClause(n);
    let statement = node;
    while (statement.parent && !holdsStatements(statement.parent)) statement = statement.parent;
    if (!t.isSourceFile(statement)) ranges.push(rangeOf(statement));
    const fn = enclosingFunction(t, node);
    if (fn) ranges.push(rangeOf(fn.node));
    return ranges;
  });
  return [line, ...wider];
}

/** The items whose diagnostic lies in the nearest scope that has any (none when no scope has one). */
export function nearest<T extends { diagnostic: TsDiagnostic }>(items: readonly T[], scopes: readonly LineRange[]): T[] {
  for (const { from, to } of scopes) {
    const inside = items.filter((i) => i.diagnostic.line >= from && i.diagnostic.line <= to);
    if (inside.length > 0) return inside;
  }
  return [];
}
