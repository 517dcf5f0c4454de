// ts-spelling: a misspelt property or name (`x.totl is not a function`, `cartTotl is not defined`) → TypeScript's spelling fix.
import { isScriptPath } from "../../analysis/language.js";
import { notAFunctionName, notDefinedName, undefinedRead } from "../../analysis/v8-messages.js";
import type { FixProposal } from "../../domain/fix.js";
import { editDistance } from "../../analysis/hints.js";
import type ts from "typescript";
import type { BindingName, Node, SourceFile } from "typescript";
import type { TsCodeFix, TsProject } from "../../ts-project/types.js";
import { changedFiles, editsFor, failureLocation, fixesCleanly, readError, tsProposal } from "./ts-facts.js";
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

/** The identifiers a binding name declares (`x`, `{ a, b: [c] }`). */
function boundNames(t: typeof ts, name: BindingName): string[] {
  if (t.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (t.isOmittedExpression(e) ? [] : boundNames(t, e.name)));
}

/**
 * The names a file declares at its top level, in scope anywhere in it: TypeScript's scope query leaves them out in a
 * CommonJS JS file that assigns `module.exports = { ... }` (koa's `const fresh = require('fresh')`, used in a getter).
 */
function topLevelNames(t: typeof ts, sourceFile: SourceFile): string[] {
  return sourceFile.statements.flatMap((s) => {
    if (t.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => boundNames(t, d.name));
    if ((t.isFunctionDeclaration(s) || t.isClassDeclaration(s)) && s.name) return [s.name.text];
    return [];
  });
}

/**
 * TypeScript offers no spelling fix for a short name one swap away (`nmae` for `name`: its threshold counts a swap as two
 * edits), and none at all in a plain JS file it does not check. For each use of the unresolved name on these lines: the
 * one value in scope there one edit away, as a fix. `checked` holds the fixes whose "Cannot find name" TypeScript reported
 * (their diagnostic must go away); in an unchecked file there is none to lose, and the tests judge the fix.
 */
async function oneEditInScope(
  project: TsProject,
  file: string,
  lines: LineRange,
  name: string,
): Promise<{ fixes: TsCodeFix[]; checked: Set<TsCodeFix> }> {
  const none = { fixes: [], checked: new Set<TsCodeFix>() };
  if (!project.inspect) return none;
  return project.inspect(file, ({ ts: t, sourceFile, checker, diagnostics }) => {
    const reported = diagnostics().filter((d) => d.code === 2304 && d.message.includes(`'${name}'`));
    const out = { fixes: [] as TsCodeFix[], checked: new Set<TsCodeFix>() };
    const fileNames = topLevelNames(t, sourceFile);
    const visit = (node: Node): void => {
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
      if (
        t.isIdentifier(node) &&
        node.text === name &&
        line >= lines.from &&
        line <= lines.to &&
        checker.getSymbolAtLocation(node) === undefined
      ) {
        // Two symbols of one name (a local shadowing a global) are one spelling.
        const names = new Set([...checker.getSymbolsInScope(node, t.SymbolFlags.Value).map((s) => s.name), ...fileNames]);
        const blind = [...names].filter((n) => editDistance(n.toLowerCase(), name.toLowerCase()) === 1);
        // A tie goes to the one name one edit away in case too (`porxy` → the local `proxy`, not the global `Proxy`).
        const exact = blind.filter((n) => editDistance(n, name) === 1);
        const near = blind.length > 1 && exact.length === 1 ? exact : blind;
        if (near.length === 1) {
          const start = node.getStart(sourceFile);
          const column = start - sourceFile.getLineStarts()[line - 1]! + 1;
          const diagnostic = reported.find((d) => d.start === start) ?? {
            file,
            code: 2304,
            category: "error" as const,
            kind: "semantic" as const,
            message: `Cannot find name '${name}'.`,
            line,
            column,
            start,
            length: name.length,
          };
          const fix = {
            fixName: IN_SCOPE,
            description: `Change spelling to '${near[0]!}'`,
            diagnostic,
            changes: [{ file, start, length: name.length, newText: near[0]! }],
          };
          out.fixes.push(fix);
          if (reported.includes(diagnostic)) out.checked.add(fix);
        }
      }
      t.forEachChild(node, visit);
    };
    visit(sourceFile);
    return out;
  });
}

export const tsSpellingPattern = {
  id: "ts-spelling",
  languages: ["typescript"],
  strategy: "fix_attribute_name",
  matches: (failure) => readError(failure, misspelt) !== null,
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    const what = readError(ctx.failure, misspelt);
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
    let unchecked = new Set<TsCodeFix>();
    if (fixes.length === 0 && what.name !== null) {
      const inScope = await oneEditInScope(project, at.file, { from: fromLine, to: toLine }, what.name);
      fixes = inScope.fixes;
      unchecked = new Set(fixes.filter((f) => !inScope.checked.has(f)));
    }
    // One misspelling in the nearest scope that has any, one suggestion for it: anything else is a guess.
    const distinct = new Map(nearest(fixes, scopes).map((f) => [`${f.diagnostic.start}:${suggestion(f)}`, f]));
    if (distinct.size !== 1) return null;
    const fix = [...distinct.values()][0]!;
    const to = suggestion(fix);
    const from = fix.diagnostic.message.match(/'([^']+)'/)?.[1];
    const files = await changedFiles(ctx, fix.changes);
    if (!(await fixesCleanly(project, files, unchecked.has(fix) ? undefined : fix.diagnostic))) return null;
    const edits = editsFor(files);
    if (!edits) return null;
    return tsProposal(
      "fix_attribute_name",
      edits,
      `Rename \`${from ?? what.name}\` to \`${to}\` at ${at.file}:${fix.diagnostic.line}: ${fix.diagnostic.message} (` +
        `${fix.fixName === IN_SCOPE ? "the one name in scope one edit away" : "TypeScript's spelling fix"}).`,
      0.85,
    );
  },
} satisfies FixPattern;
