// Overfitting in TS/JS: a fix that copies the failing tests' literals, special-cases their inputs, or branches on their names.
import type * as ts from "typescript";
import { splitNodeId } from "../../domain/node-id.js";
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { FailingTestText } from "../../validation/context.js";
import { evidenceText } from "../../validation/findings.js";
import type { Finding } from "../../validation/findings.js";
import { aliasesOf, isValueReference, qualify } from "./references.js";

const TEST_CALLS = /^(?:describe|suite|context|it|test|specify)$/;
const TEST_STATE = /(?:^|\.)(?:getState|currentTestName|testPath|__vitest_worker__|JEST_WORKER_ID)$/;
const TRIVIAL_NUMBERS = new Set([-1, 0, 1, 2]);

const lineOf = (sf: ts.SourceFile, node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

/** The key of a literal (numbers and numeric strings by value), or null for what is no test literal. */
function literalKey(ts: TypeScriptApi, node: ts.Node): string | null {
  if (ts.isNumericLiteral(node)) {
    const minus = ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.MinusToken;
    return `n:${(minus ? -1 : 1) * Number(node.text)}`;
  }
  if (ts.isBigIntLiteral(node)) return `n:${node.text.replace(/n$/, "")}`;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    if (ts.isImportDeclaration(node.parent) || ts.isExternalModuleReference(node.parent) || ts.isLiteralTypeNode(node.parent)) return null;
    const t = node.text.trim();
    return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(t) ? `n:${Number(t)}` : `s:${node.text}`;
  }
  return null;
}

/** Every literal of a subtree with its key (a negated number is reported at its minus sign). */
function literalsOf(ts: TypeScriptApi, root: ts.Node): { key: string; node: ts.Node }[] {
  const out: { key: string; node: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    const key = literalKey(ts, node);
    if (key !== null) out.push({ key, node: ts.isPrefixUnaryExpression(node.parent) ? node.parent : node });
    ts.forEachChild(node, visit);
  };
  visit(root);
  return out;
}

/** The test-call name of a call (`it`, `test.each(...)`, `describe.only`), or null. */
function testCallName(ts: TypeScriptApi, call: ts.CallExpression): string | null {
  let callee: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(callee) || ts.isCallExpression(callee))
    callee = ts.isCallExpression(callee) ? callee.expression : callee.expression;
  return ts.isIdentifier(callee) && TEST_CALLS.test(callee.text) ? callee.text : null;
}

const titleOf = (ts: TypeScriptApi, call: ts.CallExpression): string | null => {
  const arg = call.arguments[0];
  return arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : null;
};

/** The it()/test() calls a node id names (describe titles, then the test title); by the last title when the path does not match. */
function testCalls(ts: TypeScriptApi, sf: ts.SourceFile, titles: string[]): ts.CallExpression[] {
  const exact: ts.CallExpression[] = [];
  const loose: ts.CallExpression[] = [];
  const visit = (node: ts.Node, path: string[]): void => {
    if (ts.isCallExpression(node) && testCallName(ts, node) !== null) {
      const title = titleOf(ts, node);
      const here = [...path, title ?? "?"];
      if (here.join(" > ") === titles.join(" > ")) exact.push(node);
      else if (title === titles[titles.length - 1]) loose.push(node);
      ts.forEachChild(node, (c) => visit(c, here));
      return;
    }
    ts.forEachChild(node, (c) => visit(c, path));
  };
  visit(sf, []);
  return exact.length > 0 ? exact : loose;
}

/** Literal keys of the failing tests' bodies (and the module constants they read), and their titles. */
export function testFacts(
  ts: TypeScriptApi,
  parse: (file: string, source: string) => ts.SourceFile,
  tests: readonly FailingTestText[],
): { keys: Set<string>; titles: Set<string> } {
  const keys = new Set<string>();
  const titles = new Set<string>();
  for (const test of tests) {
    const names = splitNodeId(test.nodeId).testName.split(" > ").filter(Boolean);
    if (names.length === 0) continue;
    const sf = parse(test.file, test.source);
    const read = new Set<string>();
    for (const call of testCalls(ts, sf, names)) {
      titles.add(names[names.length - 1]!);
      for (const arg of call.arguments.slice(1)) for (const l of literalsOf(ts, arg)) keys.add(l.key);
      if (ts.isCallExpression(call.expression))
        for (const arg of call.expression.arguments) for (const l of literalsOf(ts, arg)) keys.add(l.key);
      const collect = (n: ts.Node): void => {
        if (ts.isIdentifier(n) && isValueReference(ts, n)) read.add(n.text);
        ts.forEachChild(n, collect);
      };
      collect(call);
    }
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && read.has(d.name.text) && d.initializer)
          for (const l of literalsOf(ts, d.initializer)) keys.add(l.key);
    }
  }
  return { keys, titles };
}

/** Findings about test names in one version: failing test titles, and the runner's state (`expect.getState().currentTestName`). */
export function tsNameFindings(ts: TypeScriptApi, sf: ts.SourceFile, titles: ReadonlySet<string>): Finding[] {
  const aliases = aliasesOf(ts, sf);
  const out: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const title = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : null;
    if (title !== null && titles.has(title))
      out.push({
        rule: "overfit.test_name_branch",
        key: `name:${title}`,
        line: lineOf(sf, node),
        evidence: evidenceText(node.getText(sf)),
      });
    if (ts.isPropertyAccessExpression(node) && TEST_STATE.test(node.name.text)) {
      let root: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
      const q = qualify(ts, root, aliases) ?? "";
      if (
        /^(?:expect|vi|jest|globalThis|global|process\.env)$/.test(q) ||
        node.name.text === "__vitest_worker__" ||
        node.name.text === "currentTestName"
      ) {
        out.push({
          rule: "overfit.test_name_branch",
          key: `state:${node.name.text}`,
          line: lineOf(sf, node),
          evidence: evidenceText(node.getText(sf)),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The comparison, return, object/array literal, conditional or case a literal sits in (up to its statement), or null. */
function contextOf(ts: TypeScriptApi, node: ts.Node): ts.Node | null {
  const k = ts.SyntaxKind;
  const comparisons = [
    k.EqualsEqualsEqualsToken,
    k.EqualsEqualsToken,
    k.ExclamationEqualsEqualsToken,
    k.ExclamationEqualsToken,
    k.LessThanToken,
    k.GreaterThanToken,
    k.LessThanEqualsToken,
    k.GreaterThanEqualsToken,
  ];
  for (let cur = node.parent; cur && !ts.isBlock(cur) && !ts.isSourceFile(cur); cur = cur.parent) {
    if (ts.isBinaryExpression(cur) && comparisons.includes(cur.operatorToken.kind)) return cur;
    if (
      ts.isReturnStatement(cur) ||
      ts.isObjectLiteralExpression(cur) ||
      ts.isArrayLiteralExpression(cur) ||
      ts.isConditionalExpression(cur) ||
      ts.isCaseClause(cur)
    )
      return cur;
    if (ts.isArrowFunction(cur) && cur.body !== undefined && !ts.isBlock(cur.body)) return cur;
    if (ts.isStatement(cur)) return null;
  }
  return null;
}

const contains = (ts: TypeScriptApi, root: ts.Node, targets: ReadonlySet<ts.Node>): boolean => {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (targets.has(n)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return hit;
};

/** A `name === <test literal>` comparison inside a condition, or null. */
function guardCompare(ts: TypeScriptApi, cond: ts.Node, derived: ReadonlySet<ts.Node>): ts.BinaryExpression | null {
  let found: ts.BinaryExpression | null = null;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const eq =
      ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(n.operatorToken.kind);
    if (eq) {
      const sides = [n.left, n.right];
      const named = sides.some((s) => ts.isIdentifier(s) || ts.isPropertyAccessExpression(s));
      if (named && sides.some((s) => contains(ts, s, derived))) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(cond);
  return found;
}

/** Literals with a test's value, and references to module constants bound to one (`FLAT_RATE` for `const FLAT_RATE = 495`). */
function valuedNodes(
  ts: TypeScriptApi,
  sf: ts.SourceFile,
  literals: { key: string; node: ts.Node }[],
  testKeys: ReadonlySet<string>,
): Set<ts.Node> {
  const out = new Set(literals.filter((l) => testKeys.has(l.key)).map((l) => l.node));
  const constants = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && literalsOf(ts, d.initializer).some((l) => testKeys.has(l.key)))
        constants.add(d.name.text);
    }
  }
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && constants.has(n.text) && isValueReference(ts, n) && !ts.isVariableDeclaration(n.parent)) out.add(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const returnsIn = (ts: TypeScriptApi, root: ts.Node): ts.Node[] => {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
};

/**
 * Special-cased test inputs and copied test literals in the fixed version. A test literal is `added` when the fixed
 * version holds more of it than the original, `fresh` when the original has none. A guard compares a name for
 * equality with an added one and returns a test's value (a literal or a module constant bound to one); two or more
 * added ones in comparisons, returns or tables need one fresh.
 */
export function tsLiteralFindings(
  ts: TypeScriptApi,
  original: ts.SourceFile,
  fixed: ts.SourceFile,
  testKeys: ReadonlySet<string>,
): Finding[] {
  const count = (keys: string[]): Map<string, number> => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const oldCounts = count(literalsOf(ts, original).map((l) => l.key));
  const trivial = (key: string, node: ts.Node): boolean => {
    if (key.startsWith("s:")) return key.length <= 3;
    const n = Number(key.slice(2));
    return TRIVIAL_NUMBERS.has(n) || (ts.isElementAccessExpression(node.parent) && node.parent.argumentExpression === node);
  };
  const all = literalsOf(ts, fixed);
  const tested = all.filter((l) => testKeys.has(l.key) && !trivial(l.key, l.node));
  const newCounts = count(tested.map((l) => l.key));
  const added = tested.filter((l) => newCounts.get(l.key)! > (oldCounts.get(l.key) ?? 0));
  const addedNodes = new Set(added.map((l) => l.node));
  const fresh = new Set(added.filter((l) => !oldCounts.has(l.key)).map((l) => l.node));
  const valued = valuedNodes(ts, fixed, all, testKeys);
  const out: Finding[] = [];
  const visit = (n: ts.Node): void => {
    let cond: ts.Node | null = null;
    let yields: ts.Node[] = [];
    if (ts.isIfStatement(n)) [cond, yields] = [n.expression, returnsIn(ts, n.thenStatement)];
    else if (ts.isConditionalExpression(n)) [cond, yields] = [n.condition, [n.whenTrue]];
    else if (ts.isCaseClause(n) && contains(ts, n.expression, addedNodes))
      [cond, yields] = [null, n.statements.flatMap((s) => returnsIn(ts, s))];
    const guard = cond ? guardCompare(ts, cond, addedNodes) : ts.isCaseClause(n) ? n.expression : null;
    if (guard && yields.some((y) => contains(ts, y, valued))) {
      out.push({
        rule: "overfit.test_inputs",
        key: `guard:${lineOf(fixed, n)}`,
        line: lineOf(fixed, n),
        evidence: `special-cases a test input: ${evidenceText(guard.getText(fixed))}`,
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(fixed);
  const inContext = new Map<string, ts.Node>();
  for (const l of added) if (!inContext.has(l.key) && contextOf(ts, l.node) !== null) inContext.set(l.key, l.node);
  if (inContext.size >= 2 && [...inContext.values()].some((n) => fresh.has(n))) {
    const first = [...inContext.values()].sort((a, b) => a.getStart(fixed) - b.getStart(fixed))[0]!;
    const shown = [...inContext.values()]
      .map((n) => n.getText(fixed))
      .sort()
      .join(", ");
    out.push({
      rule: "overfit.test_literals",
      key: "literals",
      line: lineOf(fixed, first),
      evidence: evidenceText(`introduces the failing test's literals ${shown}`),
    });
  }
  return out;
}
