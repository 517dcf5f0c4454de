// Small TypeScript AST helpers the TS patterns share (run inside TsProject.inspect).
import type ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";

/** A function around a position: its name (declaration, variable, method or property), whether it is async, its node. */
export interface EnclosingFunction {
  name: string | null;
  async: boolean;
  node: ts.FunctionLikeDeclaration;
}

/** The innermost node of the file that contains `pos`. */
export function nodeAt(tsApi: TypeScriptApi, sourceFile: ts.SourceFile, pos: number): ts.Node {
  let found: ts.Node = sourceFile;
  const visit = (node: ts.Node): void => {
    if (pos >= node.getStart(sourceFile) && pos < node.getEnd()) {
      found = node;
      tsApi.forEachChild(node, visit);
    }
  };
  tsApi.forEachChild(sourceFile, visit);
  return found;
}

/** The name a function is known by: its own, or the variable, property or method it is assigned to. */
function functionName(tsApi: TypeScriptApi, fn: ts.FunctionLikeDeclaration): string | null {
  if (fn.name && tsApi.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (tsApi.isVariableDeclaration(parent) && tsApi.isIdentifier(parent.name)) return parent.name.text;
  if (tsApi.isPropertyAssignment(parent) && tsApi.isIdentifier(parent.name)) return parent.name.text;
  if (tsApi.isPropertyDeclaration(parent) && tsApi.isIdentifier(parent.name)) return parent.name.text;
  return null;
}

/** The innermost function containing a node, or null at module level. */
export function enclosingFunction(tsApi: TypeScriptApi, node: ts.Node): EnclosingFunction | null {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (tsApi.isFunctionLike(n) && "body" in n && n.body) {
      const fn = n as ts.FunctionLikeDeclaration;
      const async = (tsApi.getCombinedModifierFlags(fn) & tsApi.ModifierFlags.Async) !== 0;
      return { name: functionName(tsApi, fn), async, node: fn };
    }
  }
  return null;
}

const TEST_CALLEES = new Set(["it", "test", "specify"]);

/**
 * The source of one test's callback, found by its title (`it("title", () => {...})`; `testName` may carry the describe
 * titles in front, as "suite > title" or "suite title"). Null when no single test has that title.
 */
export function testCallbackText(tsApi: TypeScriptApi, sourceFile: ts.SourceFile, testName: string): string | null {
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (tsApi.isCallExpression(n) && n.arguments.length >= 2) {
      let callee: ts.Expression = n.expression;
      while (tsApi.isPropertyAccessExpression(callee) || tsApi.isCallExpression(callee)) callee = callee.expression;
      const title = n.arguments[0]!;
      const body = n.arguments[1]!;
      if (
        tsApi.isIdentifier(callee) &&
        TEST_CALLEES.has(callee.text) &&
        tsApi.isStringLiteralLike(title) &&
        (testName === title.text || testName.endsWith(` ${title.text}`)) &&
        (tsApi.isArrowFunction(body) || tsApi.isFunctionExpression(body))
      ) {
        found.push(body.getText(sourceFile));
      }
    }
    tsApi.forEachChild(n, visit);
  };
  visit(sourceFile);
  return found.length === 1 ? found[0]! : null;
}
