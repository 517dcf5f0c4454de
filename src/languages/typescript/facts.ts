// Memoised facts about a TS/JS FixContext's two versions (AST, parse diagnostics, imports, project diagnostics), shared by the checks.
import { relative, sep } from "node:path";
import type * as ts from "typescript";
import { isRedgreenError } from "../../domain/errors.js";
import { toTsDiagnostic } from "../../ts-project/diagnostics.js";
import { loadTypeScript } from "../../ts-project/load.js";
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { TsDiagnostic, TsFileView } from "../../ts-project/types.js";
import type { FixContext } from "../../validation/context.js";
import type { Side } from "../../validation/facts.js";

/** One side parsed on its own: the AST and its syntactic diagnostics (no project, no type information). */
export interface TsParsed {
  ts: TypeScriptApi;
  sourceFile: ts.SourceFile;
  syntactic: TsDiagnostic[];
}

/** One module specifier a file imports: `import`/`export … from`, `import x = require()`, `require()` or `import()`. */
export interface TsImport {
  specifier: string;
  kind: "import" | "export" | "import-equals" | "require" | "dynamic";
  /** `import type …` / `export type … from`: erased at runtime. */
  typeOnly: boolean;
  /** Inside a try block: a failure to load is handled. */
  guarded: boolean;
  line: number;
  endLine: number;
  /** A module-level statement that only imports (its lines are not logic). */
  statement: boolean;
}

/** The script kind TS parses a path as. */
export function scriptKindOf(ts: TypeScriptApi, path: string): ts.ScriptKind {
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  if (/\.json$/.test(path)) return ts.ScriptKind.JSON;
  return ts.ScriptKind.TS;
}

/** Parses text as the file at relPath and collects its syntactic diagnostics through a one-file program (no lib, no resolution). */
export function parseTs(ts: TypeScriptApi, relPath: string, text: string): TsParsed {
  const fileName = `/${relPath}`;
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, relPath));
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, checkJs: false, jsx: ts.JsxEmit.Preserve, types: [] };
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => "/lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: (name) => (name === fileName ? text : undefined),
  };
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  const syntactic = program.getSyntacticDiagnostics(sourceFile).map((d) => toTsDiagnostic(ts, d, relPath, "syntactic"));
  return { ts, sourceFile, syntactic };
}

/** One side of a TS/JS context, parsed. */
export const tsParsedOf = (ctx: FixContext, side: Side): Promise<TsParsed> =>
  ctx.memo(`ts:parse:${side}`, async () => parseTs(await loadTypeScript(), ctx.relPath, ctx[side]));

const lineOf = (sf: ts.SourceFile, pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;

const stringArg = (ts: TypeScriptApi, node: ts.Expression | undefined): string | null =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

/** Every module specifier of a parsed file, in source order. */
export function listTsImports(parsed: TsParsed): TsImport[] {
  const { ts, sourceFile: sf } = parsed;
  const out: TsImport[] = [];
  const add = (node: ts.Node, specifier: string, kind: TsImport["kind"], typeOnly: boolean, statement: boolean, guarded: boolean): void => {
    out.push({ specifier, kind, typeOnly, guarded, statement, line: lineOf(sf, node.getStart(sf)), endLine: lineOf(sf, node.getEnd()) });
  };
  const visit = (node: ts.Node, guarded: boolean, topLevel: boolean): void => {
    if (ts.isImportDeclaration(node)) {
      const spec = stringArg(ts, node.moduleSpecifier);
      if (spec !== null) add(node, spec, "import", node.importClause?.isTypeOnly ?? false, topLevel, guarded);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      const spec = stringArg(ts, node.moduleSpecifier);
      if (spec !== null) add(node, spec, "export", node.isTypeOnly, topLevel, guarded);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        const spec = stringArg(ts, node.moduleReference.expression);
        if (spec !== null) add(node, spec, "import-equals", node.isTypeOnly, topLevel, guarded);
      }
      return;
    }
    if (ts.isCallExpression(node)) {
      const spec = stringArg(ts, node.arguments[0]);
      if (spec !== null && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, spec, "dynamic", false, false, guarded);
      else if (spec !== null && ts.isIdentifier(node.expression) && node.expression.text === "require" && node.arguments.length === 1) {
        // `const x = require("y")` at module level is an import statement, like `import x from "y"`.
        const decl = node.parent && ts.isVariableDeclaration(node.parent) ? node.parent.parent?.parent : undefined;
        const statement =
          decl !== undefined && ts.isVariableStatement(decl) && decl.parent === sf && decl.declarationList.declarations.length === 1;
        add(statement && decl ? decl : node, spec, "require", false, statement, guarded);
      }
    }
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, true, false);
      if (node.catchClause) visit(node.catchClause, guarded, false);
      if (node.finallyBlock) visit(node.finallyBlock, guarded, false);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, guarded, false));
  };
  for (const statement of sf.statements) visit(statement, false, true);
  return out;
}

/** The import list of one side (memoised). */
export const tsImportsOf = (ctx: FixContext, side: Side): Promise<TsImport[]> =>
  ctx.memo(`ts:imports:${side}`, async () => listTsImports(await tsParsedOf(ctx, side)));

/** Lines of module-level import statements on one side (excluded from the risk's meaningful-line count). */
export const tsImportLines = async (ctx: FixContext, side: Side): Promise<Set<number>> => {
  const lines = new Set<number>();
  for (const i of await tsImportsOf(ctx, side)) if (i.statement) for (let l = i.line; l <= i.endLine; l++) lines.add(l);
  return lines;
};

// Importers whose type errors are compared; past this many the rest are not checked (a widely imported module would be slow).
const MAX_IMPORTERS = 8;

/**
 * One side checked in the project: the file's diagnostics, and its surface (what its importers' types can depend on: its
 * declaration output and the program's files), null when it is not comparable (the file reaches into the global scope,
 * emits no declarations, or the project cannot inspect).
 */
export type TsProjectCheck = { ok: true; diagnostics: TsDiagnostic[]; surface: string | null } | { ok: false; error: string };

/** Type errors of the project files that import the viewed file. */
function importerErrors(view: TsFileView, root: string): TsDiagnostic[] {
  const { ts, program, checker, sourceFile } = view;
  const out: TsDiagnostic[] = [];
  let checked = 0;
  for (const sf of program.getSourceFiles()) {
    if (sf === sourceFile || sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
    const rel = relative(root, sf.fileName).split(sep).join("/");
    if (rel.startsWith("..") || rel.split("/").includes("node_modules")) continue;
    const imports = sf.statements.some(
      (s) =>
        (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
        s.moduleSpecifier !== undefined &&
        checker.getSymbolAtLocation(s.moduleSpecifier)?.valueDeclaration === sourceFile,
    );
    if (!imports) continue;
    if (++checked > MAX_IMPORTERS) break;
    for (const d of program.getSemanticDiagnostics(sf))
      if (d.category === ts.DiagnosticCategory.Error) out.push(toTsDiagnostic(ts, d, rel, "semantic"));
  }
  return out;
}

/**
 * Whether a file's declarations reach beyond its exports: a script (its top-level names are global), a `declare global`
 * or `declare module "x"` block, or a reference directive (it brings types or a lib into every file's scope).
 */
function affectsGlobalScope(ts: TypeScriptApi, sf: ts.SourceFile): boolean {
  if (!ts.isExternalModule(sf) || sf.referencedFiles.length + sf.typeReferenceDirectives.length + sf.libReferenceDirectives.length > 0) {
    return true;
  }
  const global = ts.NodeFlags.GlobalAugmentation;
  return sf.statements.some((s) => ts.isModuleDeclaration(s) && (ts.isStringLiteral(s.name) || (s.flags & global) !== 0));
}

/**
 * What the file's importers' types can depend on, or null when that is not just its exports. Two versions with the same
 * surface leave every importer's diagnostics as they were (tsc's incremental builds skip importers on the same rule).
 */
function surfaceOf(view: TsFileView): string | null {
  if (affectsGlobalScope(view.ts, view.sourceFile)) return null;
  const declarations = view.declarations();
  if (declarations === null) return null;
  // A new import may bring a file into the program (its global declarations with it).
  const files = view.program.getSourceFiles().map((f) => f.fileName);
  return JSON.stringify([declarations, files.sort()]);
}

/** One side's project check, from one program (one `inspect`); why the project could not check it; or null without a project. */
export const tsProjectCheckOf = (ctx: FixContext, side: Side): Promise<TsProjectCheck | null> =>
  ctx.memo(`ts:project:${side}`, async () => {
    const project = ctx.typescript;
    if (!project) return null;
    try {
      if (!project.inspect) return { ok: true as const, diagnostics: await project.diagnostics(ctx.relPath, ctx[side]), surface: null };
      const check = (view: TsFileView): { diagnostics: TsDiagnostic[]; surface: string | null } => ({
        diagnostics: view.diagnostics(),
        surface: surfaceOf(view),
      });
      const facts = await project.inspect(ctx.relPath, check, ctx[side]);
      return { ok: true as const, ...facts };
    } catch (e) {
      // A file the language service cannot take (outside the project, unreadable config) is checked by parse only.
      if (!isRedgreenError(e)) throw e;
      return { ok: false as const, error: e.message };
    }
  });

/** The type errors of the files that import one side (null when the project cannot tell), from one program. */
export const tsImporterErrorsOf = (ctx: FixContext, side: Side): Promise<TsDiagnostic[] | null> =>
  ctx.memo(`ts:importers:${side}`, async () => {
    const project = ctx.typescript;
    if (!project?.inspect) return null;
    const root = project.projectRoot;
    try {
      return await project.inspect(ctx.relPath, (view) => importerErrors(view, root), ctx[side], { importers: true });
    } catch (e) {
      if (!isRedgreenError(e)) throw e;
      return null;
    }
  });
