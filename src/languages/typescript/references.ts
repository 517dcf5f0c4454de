// What a name in a TS/JS file refers to: imports and requires resolved to dotted module names (`w` → `fs.writeFileSync`).
import type * as ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";

/** Local name → dotted name it stands for; null for names the file binds itself (a local `fetch` is not the global). */
export type Aliases = Map<string, string | null>;

/** A module specifier as the rules see it: no `node:` prefix, promise flavours folded into their module. */
export const moduleName = (specifier: string): string =>
  specifier
    .replace(/^node:/, "")
    .replace(/^(fs|dns|stream|timers|readline)\/promises$/, "$1")
    .replace(/^fs-extra$/, "fs");

const stringText = (ts: TypeScriptApi, node: ts.Node | undefined): string | null =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

/** The module a `require("x")`, `await import("x")` or `import("x")` expression loads, or null. */
export function loadedModule(ts: TypeScriptApi, expr: ts.Expression): string | null {
  const inner = ts.isAwaitExpression(expr) ? expr.expression : expr;
  if (!ts.isCallExpression(inner)) return null;
  const callee = inner.expression;
  const isLoader = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
  const spec = isLoader ? stringText(ts, inner.arguments[0]) : null;
  return spec === null ? null : moduleName(spec);
}

function bindPattern(ts: TypeScriptApi, name: ts.BindingName, base: string | null, aliases: Aliases): void {
  if (ts.isIdentifier(name)) {
    aliases.set(name.text, base);
    return;
  }
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    const prop = el.propertyName && (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)) ? el.propertyName.text : null;
    const key = prop ?? (ts.isIdentifier(el.name) ? el.name.text : null);
    bindPattern(
      ts,
      el.name,
      base !== null && key !== null && !el.dotDotDotToken && ts.isObjectBindingPattern(name) ? `${base}.${key}` : null,
      aliases,
    );
  }
}

/** The module a `.then((m) => …)` callback's first parameter receives from `import("m")`, or null. */
function thenModule(ts: TypeScriptApi, param: ts.ParameterDeclaration): string | null {
  const fn = param.parent;
  const call = fn.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== param || !ts.isCallExpression(call)) return null;
  const then = call.expression;
  return ts.isPropertyAccessExpression(then) && then.name.text === "then" ? loadedModule(ts, then.expression) : null;
}

/** The aliases of a file: imports, `import x = require()`, `const x = require()/await import()`, and locally bound names. */
export function aliasesOf(ts: TypeScriptApi, sf: ts.SourceFile): Aliases {
  const aliases: Aliases = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && node.importClause) {
      const mod = moduleName(stringText(ts, node.moduleSpecifier) ?? "");
      const clause = node.importClause;
      if (clause.name) aliases.set(clause.name.text, mod);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) aliases.set(bindings.name.text, mod);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) aliases.set(el.name.text, `${mod}.${(el.propertyName ?? el.name).text}`);
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      aliases.set(node.name.text, moduleName(stringText(ts, node.moduleReference.expression) ?? ""));
    } else if (ts.isVariableDeclaration(node)) {
      const mod = node.initializer ? loadedModule(ts, node.initializer) : null;
      const base = mod ?? (node.initializer ? qualify(ts, node.initializer, aliases) : null);
      const dotted = mod !== null || (base?.includes(".") ?? false);
      if (ts.isIdentifier(node.name) && !aliases.has(node.name.text)) aliases.set(node.name.text, dotted ? base : null);
      else if (!ts.isIdentifier(node.name)) bindPattern(ts, node.name, base, aliases);
    } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name && !aliases.has(node.name.text)) {
      aliases.set(node.name.text, null);
    } else if (ts.isParameter(node)) {
      bindPattern(ts, node.name, thenModule(ts, node), aliases);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return aliases;
}

const GLOBAL_OBJECTS = new Set(["globalThis", "global", "window", "self"]);

/**
 * The dotted name an expression refers to (`fs.promises.writeFile` → `fs.writeFile`, `globalThis.fetch` → `fetch`,
 * `process.env["X"]` → `process.env.X`), or null for anything else (a call result, a local's property).
 */
export function qualify(ts: TypeScriptApi, node: ts.Expression, aliases: Aliases): string | null {
  if (ts.isIdentifier(node)) {
    const alias = aliases.get(node.text);
    return alias === undefined ? node.text : alias;
  }
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
    return qualify(ts, node.expression, aliases);
  }
  if (ts.isCallExpression(node) || ts.isAwaitExpression(node)) return loadedModule(ts, node);
  let base: string | null = null;
  let member: string | null = null;
  if (ts.isPropertyAccessExpression(node)) {
    base = qualify(ts, node.expression, aliases);
    member = node.name.text;
  } else if (ts.isElementAccessExpression(node)) {
    base = qualify(ts, node.expression, aliases);
    member = stringText(ts, node.argumentExpression);
  } else if (node.kind === ts.SyntaxKind.ImportKeyword) {
    return "import";
  } else if (ts.isMetaProperty(node)) {
    return `import.${node.name.text}`;
  }
  if (base === null || member === null) return null;
  if (GLOBAL_OBJECTS.has(base)) return member;
  if (base === "fs.promises") return `fs.${member}`;
  return `${base}.${member}`;
}

/** Whether an identifier is read as a value (not a declaration, property name, import binding or type). */
export function isValueReference(ts: TypeScriptApi, id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p)) return p.expression === id;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p) || ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p))
    return false;
  if (ts.isExportSpecifier(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p) || ts.isImportEqualsDeclaration(p))
    return false;
  if (ts.isTypeQueryNode(p) || ts.isExpressionWithTypeArguments(p) || ts.isJsxAttribute(p)) return false;
  const named = p as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  if (
    (ts.isPropertyAssignment(p) || ts.isBindingElement(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) &&
    (named.name === id || named.propertyName === id)
  ) {
    return false;
  }
  const declares =
    ts.isVariableDeclaration(p) ||
    ts.isFunctionDeclaration(p) ||
    ts.isFunctionExpression(p) ||
    ts.isClassDeclaration(p) ||
    ts.isClassExpression(p) ||
    ts.isParameter(p) ||
    ts.isEnumDeclaration(p) ||
    ts.isEnumMember(p) ||
    ts.isInterfaceDeclaration(p) ||
    ts.isTypeAliasDeclaration(p) ||
    ts.isModuleDeclaration(p) ||
    ts.isTypeParameterDeclaration(p) ||
    ts.isGetAccessorDeclaration(p) ||
    ts.isSetAccessorDeclaration(p) ||
    ts.isPropertySignature(p) ||
    ts.isMethodSignature(p);
  return !(declares && named.name === id);
}
