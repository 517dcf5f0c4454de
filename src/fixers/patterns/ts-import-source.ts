// Which of the modules TypeScript offers to import a missing name from: the one declaring it, then the one the project
// already imports it from, a Node builtin only when nothing in the project declares the name.
import { isBuiltin } from "node:module";
import type ts from "typescript";
import type { TsFileView, TsProject } from "../../ts-project/types.js";

/** What the project says about importing `name` from one offered module specifier. */
export interface ImportSource {
  spec: string;
  /** The module's identity: its file, or the specifier (a builtin without its `node:` prefix). */
  key: string;
  /** The name (or the default export it is offered for) is declared in the module's own file (not re-exported, as a barrel does). */
  declares: boolean;
  /** What the module exports under the name is declared in a project file (the module itself or one it re-exports). */
  projectDeclared: boolean;
  /** How many import declarations (or `require` destructurings) in project files import the name from this module. */
  imports: number;
  builtin: boolean;
}

/** The facts choosing between import sources need: each offered module's, and the project's own habits. */
export interface ImportFacts {
  sources: ImportSource[];
  /** Some project file declares and exports the name, whether or not it was offered. */
  projectDeclares: boolean;
  /** How many builtin imports in the project spell the `node:` prefix, and how many do not. */
  nodePrefix: { with: number; without: number };
}

const withoutNodePrefix = (spec: string): string => spec.replace(/^node:/, "");

/** A file of the project itself: not a lib, declaration or node_modules file. */
const isProjectFile = (program: ts.Program, sf: ts.SourceFile): boolean =>
  !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.split("/").includes("node_modules");

/** The module a specifier names, as a key: the resolved file when it is a source file, else the specifier. */
function moduleKey(view: TsFileView, symbol: ts.Symbol | undefined, spec: string): string {
  const decl = symbol?.valueDeclaration;
  return decl && view.ts.isSourceFile(decl) ? decl.fileName : withoutNodePrefix(spec);
}

/** Where what a module exports under `name` is declared, aliases (`export { x } from`, `export *`) followed. */
function declaringFile(view: TsFileView, moduleSymbol: ts.Symbol | undefined, name: string): ts.SourceFile | null {
  if (!moduleSymbol) return null;
  let symbol = view.checker.tryGetMemberInModuleExports(name, moduleSymbol);
  if (symbol && symbol.flags & view.ts.SymbolFlags.Alias) symbol = view.checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0]?.getSourceFile() ?? null;
}

/** The names an import statement binds from its module, with the specifier node: ES imports and `const { a } = require("m")`. */
function importedNames(view: TsFileView, statement: ts.Statement): { names: string[]; specifier: ts.Expression } | null {
  const t = view.ts;
  if (t.isImportDeclaration(statement)) {
    const bindings = statement.importClause?.namedBindings;
    const names = bindings && t.isNamedImports(bindings) ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : [];
    return { names, specifier: statement.moduleSpecifier };
  }
  if (!t.isVariableStatement(statement)) return null;
  const decl = statement.declarationList.declarations[0];
  const init = decl?.initializer;
  if (!decl || !init || !t.isObjectBindingPattern(decl.name) || !t.isCallExpression(init)) return null;
  if (!t.isIdentifier(init.expression) || init.expression.text !== "require" || !init.arguments[0]) return null;
  const names = decl.name.elements.map((e) => e.propertyName ?? e.name).flatMap((n) => (t.isIdentifier(n) ? [n.text] : []));
  return { names, specifier: init.arguments[0] };
}

/** The facts about importing `name` into `file` from each of `specs` (the modules TypeScript's import fix offers). */
export async function importFacts(project: TsProject, file: string, name: string, specs: readonly string[]): Promise<ImportFacts | null> {
  if (!project.inspect) return null;
  return project.inspect(file, (view) => {
    const { ts: t, program, checker, sourceFile } = view;
    const projectFiles = program.getSourceFiles().filter((sf) => isProjectFile(program, sf));
    const counts = new Map<string, number>();
    const nodePrefix = { with: 0, without: 0 };
    for (const sf of projectFiles) {
      for (const statement of sf.statements) {
        const imported = importedNames(view, statement);
        if (!imported || !t.isStringLiteralLike(imported.specifier)) continue;
        const spec = imported.specifier.text;
        if (isBuiltin(spec)) nodePrefix[spec.startsWith("node:") ? "with" : "without"]++;
        if (!imported.names.includes(name)) continue;
        const key = moduleKey(view, checker.getSymbolAtLocation(imported.specifier), spec);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const projectDeclares = projectFiles.some(
      (sf) => sf !== sourceFile && declaringFile(view, checker.getSymbolAtLocation(sf), name) === sf,
    );
    const sources = specs.map((spec): ImportSource => {
      const resolved = t.resolveModuleName(spec, sourceFile.fileName, program.getCompilerOptions(), t.sys).resolvedModule;
      const target = resolved && !resolved.isExternalLibraryImport ? program.getSourceFile(resolved.resolvedFileName) : undefined;
      const moduleSymbol = target ? checker.getSymbolAtLocation(target) : undefined;
      // An offered module that does not export the name is offered for its default export (TypeScript names an
      // anonymous one after the module's path: `import ts from "../ts/index.js"`): that export is the declaration.
      const declaredIn = declaringFile(view, moduleSymbol, name) ?? declaringFile(view, moduleSymbol, "default");
      const key = target?.fileName ?? resolved?.resolvedFileName ?? withoutNodePrefix(spec);
      return {
        spec,
        key,
        declares: target !== undefined && declaredIn === target,
        projectDeclared: declaredIn !== null && isProjectFile(program, declaredIn),
        imports: counts.get(key) ?? 0,
        builtin: isBuiltin(spec),
      };
    });
    return { sources, projectDeclares, nodePrefix };
  });
}

/** The one source most imported from (by module), or null when none is imported from or several tie. */
function mostImported(pool: readonly ImportSource[]): ImportSource | null {
  const max = Math.max(0, ...pool.map((s) => s.imports));
  const top = pool.filter((s) => s.imports === max);
  return max > 0 && new Set(top.map((s) => s.key)).size === 1 ? top[0]! : null;
}

/** A builtin's spelling as the project writes builtins: `node:fs` unless the project mostly writes `fs`. */
function builtinSpelling(sources: readonly ImportSource[], nodePrefix: ImportFacts["nodePrefix"]): string | null {
  const prefixed = nodePrefix.with >= nodePrefix.without;
  const pick = sources.find((s) => s.spec.startsWith("node:") === prefixed) ?? sources[0];
  return pick?.spec ?? null;
}

/** The chosen module and why it is the one ("the one project module declaring it": "it" is the name). */
export interface ImportChoice {
  spec: string;
  reason: string;
}

const choice = (spec: string | null | undefined, reason: string): ImportChoice | null => (spec ? { spec, reason } : null);

/**
 * The module to import the name from, or null when the choice would be a guess: the one module declaring it (the
 * most imported one among several); else a project module re-exporting a project declaration (a barrel); a builtin or
 * a package only when nothing in the project declares the name: the one the project imports it from, else the only one.
 */
export function chooseImportSource(facts: ImportFacts): ImportChoice | null {
  const { sources } = facts;
  const declaring = sources.filter((s) => s.declares);
  if (declaring.length === 1) return choice(declaring[0]!.spec, "the one project module declaring it");
  if (declaring.length > 1) {
    return choice(mostImported(declaring)?.spec, "of the project modules declaring it, the one the project imports it from");
  }
  const reexporting = sources.filter((s) => s.projectDeclared);
  if (reexporting.length === 1) {
    return choice(reexporting[0]!.spec, "the one offered project module exporting the project's declaration of it");
  }
  if (reexporting.length > 1) {
    return choice(mostImported(reexporting)?.spec, "of the project modules exporting it, the one the project imports it from");
  }
  if (facts.projectDeclares) return null; // the project's own declaration is not on offer; an outside one would shadow it
  const habit = mostImported(sources);
  if (habit) {
    const spec = habit.builtin
      ? builtinSpelling(
          sources.filter((s) => s.key === habit.key),
          facts.nodePrefix,
        )
      : habit.spec;
    return choice(spec, "the module the project imports it from elsewhere, and nothing in the project declares it");
  }
  const builtins = sources.filter((s) => s.builtin);
  const others = sources.filter((s) => !s.builtin);
  if (others.length > 0) {
    return others.length === 1 && builtins.length === 0 ? choice(others[0]!.spec, "the one module exporting it") : null;
  }
  // `fs` over `fs/promises`, `path` over `path/posix`: the module itself, not one of its subpaths.
  const top = builtins.filter((s) => !s.key.includes("/"));
  const pool = top.length > 0 ? top : builtins;
  if (new Set(pool.map((s) => s.key)).size !== 1) return null;
  return choice(builtinSpelling(pool, facts.nodePrefix), "the Node builtin exporting it, and nothing in the project declares it");
}
