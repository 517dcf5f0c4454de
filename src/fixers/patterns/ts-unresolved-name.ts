// ts-unresolved-name: a failure whose cause shows no ReferenceError (a try swallowed it, a server turned it into a 500)
// while a file the failing test executes uses a name nothing defines → that name's import, as ts-missing-import finds it.
import { isJavaScriptPath, isScriptPath } from "../../analysis/language.js";
import type { FixProposal } from "../../domain/fix.js";
import type { TsProject } from "../../ts-project/types.js";
import { nodeAt } from "./ts-ast.js";
import { readError, scriptFrames, type TsLocation } from "./ts-facts.js";
import { importProposal, MISSING_NAME_CODES, undefinedName } from "./ts-missing-import.js";
import type { FixPattern, PatternContext } from "./types.js";
import type ts from "typescript";

/** How many files, nearest the failure first, are searched for an unresolved name. */
export const MAX_EXECUTED_FILES = 60;

// The directive that makes TypeScript check one JS file the project does not check (no checkJs).
const CHECK_DIRECTIVE = "// @ts-check\n";

/** A use of a name nothing defines, at a 1-based line and column of the file as it is on disk. */
interface UnresolvedUse extends TsLocation {
  name: string;
}

/**
 * The project files the failing test executes, nearest first: the failure's own frames (innermost first), then what
 * the test file imports, breadth first through the project's imports. Test files are followed but not listed.
 */
async function executedFiles(ctx: PatternContext, project: TsProject): Promise<string[]> {
  const frames = scriptFrames(ctx.failure, ctx.projectRoot)
    .map((f) => f.file)
    .reverse();
  const queue = [...new Set([...frames, ctx.failure.testFile])].filter(isScriptPath);
  const seen = new Set(queue);
  const out: string[] = [];
  for (let i = 0; i < queue.length && out.length < MAX_EXECUTED_FILES; i++) {
    const file = queue[i]!;
    if (!ctx.isTestFile(file)) out.push(file);
    const imports = await project.localImports(file).catch(() => []);
    for (const next of imports) {
      if (!seen.has(next) && isScriptPath(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return out;
}

/** Whether an identifier is read as a value at run time: not in a type (`x: Foo`, `implements Foo`, `typeof Foo` as a type). */
function isValueUse(t: typeof ts, node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (t.isExpressionWithTypeArguments(n)) {
      const clause = n.parent;
      return t.isHeritageClause(clause) && clause.token === t.SyntaxKind.ExtendsKeyword && t.isClassLike(clause.parent);
    }
    if (t.isTypeNode(n)) return false;
  }
  return true;
}

/**
 * The names the file uses as values that nothing defines, in file order. A JS file the project does not check is
 * checked with `// @ts-check` (after a shebang) for this call; names in JSDoc types and TypeScript types are left out.
 */
async function unresolvedUses(project: TsProject, file: string, checkJs: boolean): Promise<UnresolvedUse[]> {
  if (!project.inspect) return [];
  const disk = isJavaScriptPath(file) && !checkJs ? await project.inspect(file, (view) => view.sourceFile.text) : null;
  const at = disk?.startsWith("#!") ? disk.indexOf("\n") + 1 : 0;
  const text = disk === null ? undefined : disk.slice(0, at) + CHECK_DIRECTIVE + disk.slice(at);
  const shift = disk === null ? 0 : CHECK_DIRECTIVE.length;
  return project.inspect(
    file,
    (view) => {
      const { ts: t, sourceFile } = view;
      const original = disk ?? sourceFile.text;
      const uses: UnresolvedUse[] = [];
      for (const d of view.diagnostics()) {
        if (!MISSING_NAME_CODES.has(d.code)) continue;
        const node = nodeAt(t, sourceFile, d.start);
        if (!t.isIdentifier(node) || node.getStart(sourceFile) !== d.start || !isValueUse(t, node)) continue;
        const start = d.start >= at + shift ? d.start - shift : d.start;
        const before = original.slice(0, start);
        const line = before.split("\n").length;
        uses.push({ name: node.text, file, line, column: start - before.lastIndexOf("\n") });
      }
      return uses;
    },
    text,
  );
}

export const tsUnresolvedNamePattern = {
  id: "ts-unresolved-name",
  languages: ["typescript"],
  strategy: "add_import",
  // A visible ReferenceError is ts-missing-import's; this pattern looks for one that did not surface.
  matches: (failure) => readError(failure, undefinedName) === null,
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    if (!project) return null;
    const checkJs = (await project.compilerOptions?.())?.checkJs === true;
    for (const file of await executedFiles(ctx, project)) {
      const uses = await unresolvedUses(project, file, checkJs);
      const tried = new Set<string>();
      for (const use of uses) {
        if (tried.has(use.name)) continue;
        tried.add(use.name);
        const proposal = await importProposal(ctx, project, use, use.name);
        if (proposal) {
          const why =
            `the failure shows no ReferenceError (a try or a handler may have caught it), but ${file}:${use.line}, ` +
            `which the failing test executes, uses ${use.name} and nothing defines it`;
          return { ...proposal, explanation: `${proposal.explanation} (${why})` };
        }
      }
    }
    return null;
  },
} satisfies FixPattern;
