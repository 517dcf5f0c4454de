// The import a plain JS file TypeScript does not check lost (no "Cannot find name", so no import fix is offered): the one
// statement the project's other files import the missing name with, when they all write it the same way.
import type ts from "typescript";
import type { TsFileView, TsProject } from "../../ts-project/types.js";

/** The file's text with the project's import of `name` added after its last import, and that statement. */
export interface HabitImport {
  text: string;
  statement: string;
  /** How many other project files import the name with this statement. */
  uses: number;
}

/**
 * The one name a top-level statement binds by import: `const x = require("m")`, `const { x } = require("m")`, `import x from "m"`, `import
 * { x } from "m"`.
 */
function soleImportedName(t: typeof ts, s: ts.Statement): string | null {
  if (t.isImportDeclaration(s)) {
    const clause = s.importClause;
    if (!clause || clause.isTypeOnly) return null;
    const bindings = clause.namedBindings;
    if (clause.name && !bindings) return clause.name.text;
    if (!clause.name && bindings && t.isNamedImports(bindings) && bindings.elements.length === 1) return bindings.elements[0]!.name.text;
    return null;
  }
  if (!t.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return null;
  const decl = s.declarationList.declarations[0]!;
  const init = decl.initializer;
  const isRequire = init && t.isCallExpression(init) && t.isIdentifier(init.expression) && init.expression.text === "require";
  if (!isRequire || init.arguments.length !== 1 || !t.isStringLiteralLike(init.arguments[0]!)) return null;
  if (t.isIdentifier(decl.name)) return decl.name.text;
  const elements = t.isObjectBindingPattern(decl.name) ? decl.name.elements : [];
  return elements.length === 1 && t.isIdentifier(elements[0]!.name) && !elements[0]!.dotDotDotToken ? elements[0]!.name.text : null;
}

const isImportStatement = (t: typeof ts, s: ts.Statement): boolean =>
  t.isImportDeclaration(s) ||
  (t.isVariableStatement(s) &&
    s.declarationList.declarations.some((d) => d.initializer !== undefined && /^require\(/.test(d.initializer.getText())));

/** Whether `name` is declared in the file itself: an import of it would be a redeclaration. */
const declaredInFile = (view: TsFileView, name: string): boolean =>
  view.checker
    .getSymbolsInScope(view.sourceFile, view.ts.SymbolFlags.Value)
    .some((s) => s.name === name && s.declarations?.some((d) => d.getSourceFile() === view.sourceFile));

/** The file's import statements (ES imports and top-level `require` declarations), in order. */
export const fileImports = (view: TsFileView): ts.Statement[] => view.sourceFile.statements.filter((s) => isImportStatement(view.ts, s));

/** The file's text with `statement` on its own line after the file's last import; null when it has none or declares `name`. */
export function withImportAfterLast(view: TsFileView, name: string, statement: string): string | null {
  if (declaredInFile(view, name)) return null;
  const last = fileImports(view).pop();
  if (!last) return null;
  const text = view.sourceFile.text;
  const lineEnd = text.indexOf("\n", last.getEnd());
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const insert = lineEnd === -1 ? `\n${statement}` : `${statement}\n`;
  return text.slice(0, at) + insert + text.slice(at);
}

function habit(view: TsFileView, name: string): HabitImport | null {
  const { ts: t, program, sourceFile } = view;
  const texts = new Map<string, number>();
  for (const sf of program.getSourceFiles()) {
    if (
      sf === sourceFile ||
      sf.isDeclarationFile ||
      program.isSourceFileFromExternalLibrary(sf) ||
      sf.fileName.split("/").includes("node_modules")
    )
      continue;
    for (const s of sf.statements) {
      if (soleImportedName(t, s) === name) texts.set(s.getText(sf), (texts.get(s.getText(sf)) ?? 0) + 1);
    }
  }
  if (texts.size !== 1) return null;
  const [statement, uses] = [...texts][0]!;
  const text = withImportAfterLast(view, name, statement);
  return text === null ? null : { text, statement, uses };
}

/** The file's text with the project's own import of `name` restored, or null when the project has no single way of importing it. */
export async function projectImportHabit(project: TsProject, file: string, name: string): Promise<HabitImport | null> {
  if (!project.inspect) return null;
  return project.inspect(file, (view) => habit(view, name));
}
