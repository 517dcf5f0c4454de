// ts-spelling: a misspelt property or name (`x.totl is not a function`, `cartTotl is not defined`) → TypeScript's spelling fix.
import { isScriptPath } from "../../analysis/language.js";
import { notAFunctionName, notDefinedName, undefinedRead } from "../../analysis/v8-messages.js";
import type { FixProposal } from "../../domain/fix.js";
import { editDistance } from "../../analysis/hints.js";
import type { TsCodeFix, TsProject } from "../../typescript/types.js";
import { nodeAt } from "./ts-ast.js";
import { changedFiles, editsFor, errorFacts, failureLocation, fixesCleanly, tsProposal } from "./ts-facts.js";
import { failureScopes, nearest, type LineRange } from "./ts-near.js";
import type { FixPattern, PatternContext } from "./types.js";

// "Property 'x' does not exist ... Did you mean", "Cannot find name 'x'. Did you mean", a few near relatives.
const SPELLING_CODES = new Set([2551, 2552, 2339, 2304, 2724, 2833, 2820]);

type Misspelt = { name: string | null };

/** The misspelt name a runtime error points at; `{ name: null }` when the error is one a misspelling causes but does not name. */
export function misspelt(errorType: string, message: string): Misspelt | null {
  if (errorType === "ReferenceError") {
    const name = notDefinedName(message);
    return name ? { name } : null;
  }
  if (errorType !== "TypeError") return null;
  const called = notAFunctionName(message);
  if (called) return { name: called };
  // `order.adress.city` reads 'city' of undefined: the misspelt part is not in the message.
  return undefinedRead(message)?.via === "read" ? { name: null } : null;
}

/** The name a spelling fix renames to (`Change spelling to 'total'`). */
const suggestion = (fix: TsCodeFix): string | null => /'([^']+)'/.exec(fix.description)?.[1] ?? null;

/** The fixName of a spelling fix found among the names in scope, not offered by TypeScript. */
const IN_SCOPE = "spellingInScope";

/**
 * TypeScript offers no spelling fix for a short name one swap away (`nmae` for `name`: its threshold counts a swap as two
 * edits). For its "Cannot find name 'x'" (2304) on these lines: the one value in scope there one edit away, as a fix.
 */
async function oneEditInScope(project: TsProject, file: string, lines: LineRange, name: string): Promise<TsCodeFix[]> {
  if (!project.inspect) return [];
  return project.inspect(file, ({ ts: t, sourceFile, checker, diagnostics }) => {
    const fixes: TsCodeFix[] = [];
    for (const d of diagnostics()) {
      if (d.code !== 2304 || d.line < lines.from || d.line > lines.to || !d.message.includes(`'${name}'`)) continue;
      const node = nodeAt(t, sourceFile, d.start);
      if (!t.isIdentifier(node) || node.text !== name) continue;
      const near = checker
        .getSymbolsInScope(node, t.SymbolFlags.Value)
        .map((s) => s.name)
        .filter((n) => editDistance(n.toLowerCase(), name.toLowerCase()) === 1);
      if (near.length !== 1) continue;
      const to = near[0]!;
      const change = { file, start: node.getStart(sourceFile), length: name.length, newText: to };
      fixes.push({ fixName: IN_SCOPE, description: `Change spelling to '${to}'`, diagnostic: d, changes: [change] });
    }
    return fixes;
  });
}

export const tsSpellingPattern = {
  id: "ts-spelling",
  languages: ["typescript"],
  strategy: "fix_attribute_name",
  matches: (failure) => {
    const { type, message } = errorFacts(failure);
    return misspelt(type, message) !== null;
  },
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    const { type, message } = errorFacts(ctx.failure);
    const what = misspelt(type, message);
    const at = failureLocation(ctx);
    if (!project || !what || !at || !isScriptPath(at.file)) return null;
    // The failing line first, then its statement and its function: the line a stack reports can be off (a chained
    // call's misspelt link sits on a line above the one V8 reports).
    const scopes = await failureScopes(project, at);
    const fromLine = Math.min(...scopes.map((s) => s.from));
    const toLine = Math.max(...scopes.map((s) => s.to));
    let fixes = (await project.codeFixes(at.file, { fromLine, toLine, fixNames: ["spelling"] })).filter(
      (f) => SPELLING_CODES.has(f.diagnostic.code) && (what.name === null || f.diagnostic.message.includes(`'${what.name}'`)),
    );
    if (fixes.length === 0 && what.name !== null) fixes = await oneEditInScope(project, at.file, { from: fromLine, to: toLine }, what.name);
    // One misspelling in the nearest scope that has any, one suggestion for it: anything else is a guess.
    const distinct = new Map(nearest(fixes, scopes).map((f) => [`${f.diagnostic.start}:${suggestion(f)}`, f]));
    if (distinct.size !== 1) return null;
    const fix = [...distinct.values()][0]!;
    const to = suggestion(fix);
    const from = fix.diagnostic.message.match(/'([^']+)'/)?.[1];
    const files = await changedFiles(ctx, fix.changes);
    if (!(await fixesCleanly(project, files, fix.diagnostic))) return null;
    const edits = editsFor(files);
    if (!edits) return null;
    return tsProposal(
      "fix_attribute_name",
      edits,
      `Rename \`${from ?? what.name}\` to \`${to}\` at ${at.file}:${fix.diagnostic.line}: ${fix.diagnostic.message} (${fix.fixName === IN_SCOPE ? "the one name in scope one edit away" : "TypeScript's spelling fix"}).`,
      0.85,
    );
  },
} satisfies FixPattern;
