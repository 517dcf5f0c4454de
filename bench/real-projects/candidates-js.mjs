// Lists one-line mutation candidates of JS/TS source files (TypeScript's parser) for bench/real-projects/generate.mjs.
import ts from "typescript";

/** Swaps two adjacent letters in the middle of a name; null when that changes nothing. */
export function misspell(name) {
  const i = Math.floor(name.length / 2);
  if (name[i - 1] === name[i]) return null;
  return name.slice(0, i - 1) + name[i] + name[i - 1] + name.slice(i + 1);
}

const scriptKind = (rel) => (/\.tsx$/.test(rel) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(rel) ? ts.ScriptKind.TS : ts.ScriptKind.JS);

function insideType(node) {
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (ts.isTypeNode(cur) || ts.isInterfaceDeclaration(cur) || ts.isTypeAliasDeclaration(cur)) return true;
    if (ts.isImportDeclaration(cur) || ts.isExportDeclaration(cur) || ts.isExportSpecifier(cur)) return true;
  }
  return false;
}

/** Whether the identifier is a use of a value (not a declaration's name, a property name or a type). */
function isValueUse(node) {
  const p = node.parent;
  if (!p || insideType(node)) return false;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && p.name === node) return false;
  if ("name" in p && p.name === node && !ts.isPropertyAccessExpression(p)) return false;
  if (ts.isShorthandPropertyAssignment(p) || ts.isBindingElement(p) || ts.isJsxAttribute(p) || ts.isLabeledStatement(p)) return false;
  if (ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/** Names a file declares: imports, functions, classes, variables, parameters. */
function declaredNames(sf) {
  const out = new Set();
  const visit = (node) => {
    if ((ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node)) && node.name) out.add(node.name.text);
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) out.add(node.name.text);
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name))
      out.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const ALL_TYPE = (clause) =>
  clause.isTypeOnly ||
  (!clause.name &&
    clause.namedBindings &&
    ts.isNamedImports(clause.namedBindings) &&
    clause.namedBindings.elements.every((e) => e.isTypeOnly));

/** Candidates `{kind, how, file, line, original, mutated}` of one file. */
export function jsCandidates(rel, text) {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, scriptKind(rel));
  const lines = text.split("\n");
  const names = declaredNames(sf);
  const out = [];
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos);
  const add = (kind, how, start, end, replacement) => {
    const a = lineOf(start);
    const b = lineOf(end);
    if (a.line !== b.line) return;
    const original = lines[a.line];
    const mutated = original.slice(0, a.character) + replacement + original.slice(b.character);
    out.push({ kind, how, file: rel, line: a.line + 1, original, mutated });
  };
  const wholeLine = (node) => {
    const a = lineOf(node.getStart(sf));
    const b = lineOf(node.getEnd());
    return a.line === b.line && lines[a.line].trim() === node.getText(sf).trim() ? a.line : null;
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && node.importClause && !ALL_TYPE(node.importClause)) {
      const line = wholeLine(node);
      if (line !== null)
        out.push({ kind: "deleted-import", how: "delete line", file: rel, line: line + 1, original: lines[line], mutated: "" });
    } else if (ts.isVariableStatement(node) && ts.isSourceFile(node.parent) && /\brequire\(/.test(node.getText(sf))) {
      const line = wholeLine(node);
      if (line !== null)
        out.push({ kind: "deleted-import", how: "delete line", file: rel, line: line + 1, original: lines[line], mutated: "" });
    } else if (ts.isIdentifier(node) && names.has(node.text) && node.text.length >= 4 && isValueUse(node)) {
      const wrong = misspell(node.text);
      if (wrong && !names.has(wrong)) add("misspelling", "swap two letters", node.getStart(sf), node.getEnd(), wrong);
    } else if (ts.isAwaitExpression(node)) {
      add("missing-await", "drop await", node.getStart(sf), node.expression.getStart(sf), "");
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken) {
      const q = node.questionDotToken;
      // `a?.b` becomes `a.b`; `a?.[i]` and `f?.()` become `a[i]` and `f()`.
      const replacement = ts.isPropertyAccessExpression(node) ? "." : "";
      add("undefined-access", "drop ?.", q.getStart(sf), q.getEnd(), replacement);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      add("undefined-access", "drop ?? default", node.left.getEnd(), node.getEnd(), "");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
