// ts-undefined-guard: optional chaining where undefined was dereferenced: `Cannot read properties of undefined (reading 'x')` at
// the one access that read it, or `cb is not a function` at the one call of a callee whose declared type admits undefined.
import type ts from "typescript";
import { isScriptPath } from "../../analysis/language.js";
import { notAFunctionName, undefinedRead as readOfUndefined } from "../../analysis/v8-messages.js";
import type { FixProposal } from "../../domain/fix.js";
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { TsFileView, TsTextChange } from "../../ts-project/types.js";
import { enclosingFunction } from "./ts-ast.js";
import { changedFiles, editsFor, errorFacts, failureLocation, fixesCleanly, tsProposal } from "./ts-facts.js";
import type { FixPattern, PatternContext } from "./types.js";

/** The property read and what it was read from, from V8's message (current and pre-Node-16 wording). */
export function undefinedRead(errorType: string, message: string): { property: string; from: "undefined" | "null" } | null {
  if (errorType !== "TypeError") return null;
  const read = readOfUndefined(message);
  // Only a named property access can be guarded at the access; a destructuring has none to find.
  return read?.via === "read" && read.property !== null ? { property: read.property, from: read.from } : null;
}

type Access = ts.PropertyAccessExpression | ts.ElementAccessExpression;

/** The outcome of looking at the failing line: a change, or why there is none. */
type Plan = { change: TsTextChange; expression: string; sure: boolean } | { decline: string };

const accessedName = (tsApi: TypeScriptApi, node: Access): string | null => {
  if (tsApi.isPropertyAccessExpression(node)) return node.name.text;
  const arg = node.argumentExpression;
  return tsApi.isStringLiteralLike(arg) || tsApi.isNumericLiteral(arg) ? arg.text : null;
};

/** Whether a type admits undefined or null (or is any/unknown, where the checker cannot tell). */
function nullable(tsApi: TypeScriptApi, type: ts.Type): boolean {
  const flags = tsApi.TypeFlags.Undefined | tsApi.TypeFlags.Null | tsApi.TypeFlags.Void | tsApi.TypeFlags.Any | tsApi.TypeFlags.Unknown;
  return type.isUnion() ? type.types.some((t) => (t.flags & flags) !== 0) : (type.flags & flags) !== 0;
}

/** Whether a callee's type is a function that may be undefined or null (an optional callback), as declared, not any. */
function optionalFunction(tsApi: TypeScriptApi, type: ts.Type): boolean {
  if (!type.isUnion()) return false;
  const absent = tsApi.TypeFlags.Undefined | tsApi.TypeFlags.Null | tsApi.TypeFlags.Void;
  const present = type.types.filter((t) => (t.flags & absent) === 0);
  return present.length > 0 && present.length < type.types.length && present.every((t) => t.getCallSignatures().length > 0);
}

/** The end of the optional chain the access would start, the node that receives its value, and the child it receives. */
function chainTop(tsApi: TypeScriptApi, node: ts.Expression): { top: ts.Expression; user: ts.Node; value: ts.Node } {
  let top: ts.Expression = node;
  for (;;) {
    const p: ts.Node = top.parent;
    const continues =
      ((tsApi.isPropertyAccessExpression(p) || tsApi.isElementAccessExpression(p) || tsApi.isCallExpression(p)) && p.expression === top) ||
      tsApi.isNonNullExpression(p);
    if (!continues) break;
    top = p as ts.Expression;
  }
  // `(a?.b).c` ends the chain at the parenthesis and still throws: look through parentheses and type assertions.
  let user: ts.Node = top.parent;
  let value: ts.Node = top;
  while (tsApi.isParenthesizedExpression(user) || tsApi.isAsExpression(user) || tsApi.isSatisfiesExpression(user)) {
    value = user;
    user = user.parent;
  }
  return { top, user, value };
}

/** Whether a value flowing into `user` is dereferenced there, so undefined would still throw a line later. */
function throwsOnUndefined(tsApi: TypeScriptApi, user: ts.Node, value: ts.Node): boolean {
  const receiver = (tsApi.isPropertyAccessExpression(user) || tsApi.isElementAccessExpression(user)) && !user.questionDotToken;
  const called = tsApi.isCallExpression(user) && user.expression === value && !user.questionDotToken;
  if ((receiver && (user as Access).expression === value) || called) return true;
  if (tsApi.isSpreadElement(user) || tsApi.isForOfStatement(user) || tsApi.isForInStatement(user)) return true;
  if (tsApi.isVariableDeclaration(user) && !tsApi.isIdentifier(user.name)) return true; // destructuring
  if (tsApi.isBinaryExpression(user) && user.operatorToken.kind === tsApi.SyntaxKind.InKeyword && user.right === value) return true;
  return false;
}

/** Whether a variable initialised with the value is later dereferenced without a guard in the same function. */
function variableDereferenced(view: TsFileView, declaration: ts.VariableDeclaration): boolean {
  const { ts: tsApi, checker } = view;
  if (!tsApi.isIdentifier(declaration.name)) return false;
  const symbol = checker.getSymbolAtLocation(declaration.name);
  const scope = enclosingFunction(tsApi, declaration)?.node ?? view.sourceFile;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      tsApi.isIdentifier(n) &&
      n !== declaration.name &&
      n.text === declaration.name.getText() &&
      checker.getSymbolAtLocation(n) === symbol
    ) {
      if (throwsOnUndefined(tsApi, n.parent, n)) found = true;
    }
    tsApi.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/** Whether the function returning the value declares a return type that undefined does not satisfy. */
function returnTypeNeedsValue(view: TsFileView, user: ts.Node, top: ts.Node): boolean {
  const { ts: tsApi, checker } = view;
  const returned = tsApi.isReturnStatement(user) || (tsApi.isArrowFunction(user) && user.body === top);
  if (!returned) return false;
  const fn = enclosingFunction(tsApi, top)?.node;
  if (!fn?.type) return false;
  let typeNode: ts.TypeNode = fn.type;
  const isAsync = (tsApi.getCombinedModifierFlags(fn) & tsApi.ModifierFlags.Async) !== 0;
  if (isAsync && tsApi.isTypeReferenceNode(typeNode) && typeNode.typeArguments?.[0]) typeNode = typeNode.typeArguments[0];
  return !nullable(tsApi, checker.getTypeFromTypeNode(typeNode));
}

/** Why an optional chain starting at `node` would only move the crash or break a contract, or null when it is safe. */
function undefinedEscapes(view: TsFileView, node: ts.Expression): string | null {
  const { top, user, value } = chainTop(view.ts, node);
  if (throwsOnUndefined(view.ts, user, value)) return "the guarded value is dereferenced right after";
  if (view.ts.isVariableDeclaration(user) && user.initializer && variableDereferenced(view, user)) {
    return "the variable holding the value is dereferenced later";
  }
  if (returnTypeNeedsValue(view, user, top)) return "the function's declared return type needs a value";
  return null;
}

/** The offsets of a 1-based line of the file, or null when the file has no such line. */
function lineSpan(sourceFile: ts.SourceFile, line: number): { start: number; end: number } | null {
  const starts = sourceFile.getLineStarts();
  if (line < 1 || line > starts.length) return null;
  return { start: starts[line - 1]!, end: starts[line] ?? sourceFile.end };
}

/**
 * Finds the call on the failing line of a callee named `name` whose declared type admits undefined (`cb?: () => void`)
 * and plans `?.()` for it. A callee typed as a plain function (or any) is a misspelling's business, not a guard's.
 */
export function planOptionalCall(view: TsFileView, line: number, name: string): Plan {
  const { ts: tsApi, sourceFile, checker } = view;
  const span = lineSpan(sourceFile, line);
  if (!span) return { decline: "the failing line is not in the file" };
  const calls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (n.getEnd() < span.start || n.getStart(sourceFile) >= span.end) return;
    if (tsApi.isCallExpression(n) && !n.questionDotToken) {
      const callee = n.expression;
      const named = tsApi.isIdentifier(callee) ? callee : tsApi.isPropertyAccessExpression(callee) ? callee.name : null;
      const at = named?.getStart(sourceFile) ?? -1;
      if (named?.text === name && at >= span.start && at < span.end) calls.push(n);
    }
    tsApi.forEachChild(n, visit);
  };
  visit(sourceFile);
  if (calls.length === 0) return { decline: `no unguarded call of '${name}' on line ${line}` };
  const optional = calls.filter((c) => optionalFunction(tsApi, checker.getTypeAtLocation(c.expression)));
  if (optional.length !== 1) return { decline: `${optional.length} calls of '${name}' on line ${line} have a type that admits undefined` };
  const call = optional[0]!;
  const unsafe = undefinedEscapes(view, call);
  if (unsafe) return { decline: unsafe };
  return {
    change: { file: view.file, start: call.expression.getEnd(), length: 0, newText: "?." },
    expression: call.expression.getText(sourceFile),
    sure: true,
  };
}

/** Finds the access on the failing line that read `property` from undefined/null and plans `?.` for it. */
export function planGuard(view: TsFileView, line: number, column: number | undefined, property: string): Plan {
  const { ts: tsApi, sourceFile, checker } = view;
  const span = lineSpan(sourceFile, line);
  if (!span) return { decline: "the failing line is not in the file" };
  const { start: lineStart, end: lineEnd } = span;
  const accesses: Access[] = [];
  const visit = (n: ts.Node): void => {
    if (n.getEnd() < lineStart || n.getStart(sourceFile) >= lineEnd) return;
    if ((tsApi.isPropertyAccessExpression(n) || tsApi.isElementAccessExpression(n)) && accessedName(tsApi, n) === property) {
      const at = tsApi.isPropertyAccessExpression(n) ? n.name.getStart(sourceFile) : n.argumentExpression.getStart(sourceFile);
      if (at >= lineStart && at < lineEnd && !n.questionDotToken) accesses.push(n);
    }
    tsApi.forEachChild(n, visit);
  };
  visit(sourceFile);
  if (accesses.length === 0) return { decline: `no unguarded read of '${property}' on line ${line}` };
  const typed = accesses.filter((a) => nullable(tsApi, checker.getTypeAtLocation(a.expression)));
  let pool = typed.length > 0 ? typed : accesses;
  if (pool.length > 1 && column !== undefined) {
    const col = (a: Access): number =>
      (tsApi.isPropertyAccessExpression(a) ? a.name.getStart(sourceFile) : a.argumentExpression.getStart(sourceFile)) - lineStart + 1;
    const exact = pool.filter((a) => col(a) === column);
    if (exact.length === 1) pool = exact;
  }
  if (pool.length !== 1) return { decline: `${pool.length} reads of '${property}' on line ${line} could be the one that failed` };
  const access = pool[0]!;
  const unsafe = undefinedEscapes(view, access);
  if (unsafe) return { decline: unsafe };
  const text = sourceFile.text;
  const start = tsApi.isPropertyAccessExpression(access) ? text.indexOf(".", access.expression.getEnd()) : access.expression.getEnd();
  const newText = tsApi.isPropertyAccessExpression(access) ? "?" : "?.";
  return {
    change: { file: view.file, start, length: 0, newText },
    expression: access.getText(sourceFile),
    sure: typed.length > 0,
  };
}

/** What V8 says was dereferenced: a property read from undefined/null, or a call of a value that is no function. */
type Dereference = { kind: "read"; property: string; from: "undefined" | "null" } | { kind: "call"; name: string };

function dereferenceOf(failure: PatternContext["failure"]): Dereference | null {
  const { type, message } = errorFacts(failure);
  const read = undefinedRead(type, message);
  if (read) return { kind: "read", ...read };
  const name = type === "TypeError" ? notAFunctionName(message) : null;
  return name ? { kind: "call", name } : null;
}

export const tsUndefinedGuardPattern = {
  id: "ts-undefined-guard",
  languages: ["typescript"],
  strategy: "add_none_check",
  matches: (failure) => dereferenceOf(failure) !== null,
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    const what = dereferenceOf(ctx.failure);
    const at = failureLocation(ctx);
    if (!project?.inspect || !what || !at || !isScriptPath(at.file)) return null;
    const plan = await project.inspect(at.file, (view) =>
      what.kind === "read" ? planGuard(view, at.line, at.column, what.property) : planOptionalCall(view, at.line, what.name),
    );
    if ("decline" in plan) return null;
    const files = await changedFiles(ctx, [plan.change]);
    if (!(await fixesCleanly(project, files))) return null;
    const edits = editsFor(files);
    if (!edits) return null;
    const guarded = plan.expression.replace(/\s+/g, " ");
    const why =
      what.kind === "read"
        ? `it read '${what.property}' from ${what.from}; with \`?.\` the expression is undefined instead of throwing.`
        : `its declared type admits undefined and it was called while undefined; with \`?.()\` an absent callee is skipped.`;
    return tsProposal(
      "add_none_check",
      edits,
      `Guard \`${guarded}\` with optional chaining at ${at.file}:${at.line}: ${why}`,
      plan.sure ? 0.65 : 0.55,
    );
  },
} satisfies FixPattern;
