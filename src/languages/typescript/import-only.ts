// Whether an edit of a test file only adds module-level imports that change no existing name's meaning.
import type * as ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";
import { splitLines, type LineDiff } from "../../validation/line-diff.js";
import { TEST_GLOBALS, TEST_LIBRARIES } from "./test-vocabulary.js";

/** Names a file declares (other than by import), import bindings by local name, and identifiers it reads. */
function namesOf(ts: TypeScriptApi, sf: ts.SourceFile): { declared: Set<string>; imported: Map<string, string>; used: Set<string> } {
  const declared = new Set<string>();
  const imported = new Map<string, string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const from = ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : "?";
      const clause = node.importClause;
      if (clause?.name) imported.set(clause.name.text, `${from}:default`);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imported.set(bindings.name.text, `${from}:*`);
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements) imported.set(e.name.text, `${from}:${(e.propertyName ?? e.name).text}`);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      imported.set(node.name.text, `${node.moduleReference.getText(sf)}:=`);
      return;
    }
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node) ||
        ts.isEnumDeclaration(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isClassExpression(node))
    ) {
      declared.add(name.text);
    }
    if (ts.isIdentifier(node) && !(node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node))
      used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { declared, imported, used };
}

/** The module specifiers of the file's imports that bind no name: `import "x";` and `import {} from "x";`. */
function sideEffectImports(ts: TypeScriptApi, sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt)) continue;
    const clause = stmt.importClause;
    const bindings = clause?.namedBindings;
    const binds =
      clause !== undefined &&
      (clause.name !== undefined || (bindings !== undefined && (ts.isNamespaceImport(bindings) || bindings.elements.length > 0)));
    if (!binds) out.push(ts.isStringLiteral(stmt.moduleSpecifier) ? stmt.moduleSpecifier.text : stmt.moduleSpecifier.getText(sf));
  }
  return out;
}

/** Null when the edit only adds module-level imports that change no existing name's meaning; otherwise why not. */
export function notImportOnly(
  ts: TypeScriptApi,
  original: string,
  fixed: string,
  a: ts.SourceFile,
  b: ts.SourceFile,
  diff: LineDiff,
): string | null {
  const importLines = (sf: ts.SourceFile): Map<number, boolean> => {
    const lines = new Map<number, boolean>();
    for (const stmt of sf.statements) {
      const isImport =
        ts.isImportDeclaration(stmt) || (ts.isImportEqualsDeclaration(stmt) && ts.isExternalModuleReference(stmt.moduleReference));
      const first = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line + 1;
      const last = sf.getLineAndCharacterOfPosition(stmt.getEnd()).line + 1;
      for (let l = first; l <= last; l++) lines.set(l, (lines.get(l) ?? true) && isImport);
    }
    return lines;
  };
  const linesA = importLines(a);
  const linesB = importLines(b);
  const textA = splitLines(original);
  const textB = splitLines(fixed);
  if (diff.changedLines === 0) return "changes nothing but whitespace";
  const comment = (text: string): boolean => /^\s*(\/\/|\/\*|\*)/.test(text);
  for (const n of diff.removed)
    if ((textA[n - 1] ?? "").trim() !== "" && !comment(textA[n - 1]!) && linesA.get(n) !== true)
      return `changes line ${n}, which is not a module-level import`;
  for (const n of diff.added)
    if ((textB[n - 1] ?? "").trim() !== "" && !comment(textB[n - 1]!) && linesB.get(n) !== true)
      return `line ${n} is not only a module-level import`;
  // A missing-import fix always binds a name; an added `import "./x";` (or `import {} from "./x";`) only runs x for its effects.
  const unbound = sideEffectImports(ts, a);
  for (const from of sideEffectImports(ts, b)) {
    const i = unbound.indexOf(from);
    if (i === -1) return `adds \`import "${from}"\`, which binds no name (an import that only runs a module for its side effects)`;
    unbound.splice(i, 1);
  }
  const old = namesOf(ts, a);
  const now = namesOf(ts, b);
  for (const [name, target] of old.imported) if (now.imported.get(name) !== target) return `drops or changes the import of ${name}`;
  for (const [name, target] of now.imported) {
    if (old.imported.has(name)) continue;
    if (old.declared.has(name)) return `the added import rebinds ${name}, which the test file already defines`;
    // Importing a test global the file used unbound is the missing-import fix, but only from a test library.
    if (TEST_GLOBALS.has(name) && old.used.has(name) && !TEST_LIBRARIES.has(target.slice(0, target.lastIndexOf(":")))) {
      return `the added import replaces the test global ${name} with one from ${target.slice(0, target.lastIndexOf(":"))}`;
    }
  }
  return null;
}
