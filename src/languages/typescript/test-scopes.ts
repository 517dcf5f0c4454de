// What each scope of a vitest/jest test file checks (tests, hooks, describe callbacks, the module level), from its TS AST.
import type * as ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";

import { ALIASES, ASSERT_ROOTS, HOOKS, RETRY_KEYS, TEST_FUNCTIONS, TIMEOUT_KEYS } from "./test-vocabulary.js";

/** One assertion: an expect(...) chain ending in a matcher call, or an assert(...)/assert.x(...) call. */
export interface Assertion {
  node: ts.CallExpression;
  key: string;
  line: number;
  style: "expect" | "assert";
  /** The matcher (`toBe`) or assert method (`strictEqual`; `assert` for a bare call). */
  matcher: string;
  negated: boolean;
  subject: string;
  args: string[];
  conditional: boolean;
}

/** What one test, hook, describe callback or the module level checks. */
export interface Scope {
  key: string;
  kind: "module" | "test" | "describe" | "hook";
  line: number;
  /** Modifiers of the test call: skip, only, todo, each, concurrent, … */
  modifiers: Set<string>;
  /** Rows of an `.each` table given as an array literal. */
  tableRows: number | null;
  assertions: Assertion[];
  /** expect.assertions(n) → n; expect.hasAssertions() → 1 (−1 when absent). */
  plannedAssertions: number;
  swallows: number[];
  earlyReturns: number[];
  runtimeSkips: number[];
  /** Timeouts and retries set for this scope, by setting name. */
  settings: Map<string, { value: number; line: number }>;
}

const squash = (text: string): string => text.replace(/\s+/g, "");

const numberOf = (ts: TypeScriptApi, node: ts.Node | undefined): number | null => {
  if (!node) return null;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node)) return numberOf(ts, node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const n = numberOf(ts, node.operand);
    return n === null ? null : -n;
  }
  if (ts.isBinaryExpression(node)) {
    const a = numberOf(ts, node.left);
    const b = numberOf(ts, node.right);
    if (a === null || b === null) return null;
    if (node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return a * b;
    if (node.operatorToken.kind === ts.SyntaxKind.PlusToken) return a + b;
    if (node.operatorToken.kind === ts.SyntaxKind.MinusToken) return a - b;
  }
  return null;
};

/** A call to test/it/describe/hooks (with .skip/.only/.each(...)/… modifiers): base name, modifiers and the each table. */
function testCallOf(ts: TypeScriptApi, call: ts.CallExpression): { base: string; modifiers: string[]; table: ts.Node | null } | null {
  let callee: ts.Node = call.expression;
  const modifiers: string[] = [];
  let table: ts.Node | null = null;
  for (;;) {
    if (ts.isPropertyAccessExpression(callee)) {
      modifiers.unshift(callee.name.text);
      callee = callee.expression;
    } else if (ts.isCallExpression(callee)) {
      // it.each(table)(…), it.skipIf(cond)(…), test.for(table)(…)
      if (table === null && ts.isPropertyAccessExpression(callee.expression) && ["each", "for"].includes(callee.expression.name.text))
        table = callee.arguments[0] ?? null;
      callee = callee.expression;
    } else if (ts.isTaggedTemplateExpression(callee)) {
      table = callee.template;
      callee = callee.tag;
    } else break;
  }
  if (!ts.isIdentifier(callee)) return null;
  let base = callee.text;
  const alias = ALIASES[base];
  if (alias) {
    base = alias[0];
    modifiers.push(alias[1]);
  }
  if (!TEST_FUNCTIONS.has(base) && !HOOKS.has(base)) return null;
  return { base, modifiers, table };
}

const titleOf = (ts: TypeScriptApi, sf: ts.SourceFile, node: ts.Expression | undefined): string => {
  if (!node) return "?";
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return squash(node.getText(sf));
};

const isFunction = (ts: TypeScriptApi, node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node);

/** The root and links of a property-access/call chain: expect(x).not.toBe(y) → root `expect(x)` call, links ["not", "toBe"]. */
function chainOf(ts: TypeScriptApi, call: ts.CallExpression): { root: ts.Node; links: string[] } {
  const links: string[] = [];
  let node: ts.Node = call.expression;
  for (;;) {
    if (ts.isPropertyAccessExpression(node)) {
      links.unshift(node.name.text);
      node = node.expression;
    } else if (ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node)) {
      node = node.expression;
    } else break;
  }
  return { root: node, links };
}

const expectCallOf = (ts: TypeScriptApi, node: ts.Node): ts.CallExpression | null => {
  if (!ts.isCallExpression(node)) return null;
  const callee = node.expression;
  if (ts.isIdentifier(callee) && (callee.text === "expect" || callee.text === "expectTypeOf")) return node;
  // expect.soft(x), expect.poll(fn)
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === "expect" &&
    ["soft", "poll"].includes(callee.name.text)
  )
    return node;
  return null;
};

/** Whether `node` is the outermost call of an assertion chain (not a link inside a longer one). */
function assertionOf(ts: TypeScriptApi, sf: ts.SourceFile, call: ts.CallExpression): Omit<Assertion, "conditional"> | null {
  const parent = call.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === call) return null;
  const { root, links } = chainOf(ts, call);
  const line = sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1;
  const args = call.arguments.map((a) => squash(a.getText(sf)));
  const key = squash(call.getText(sf));
  const expectCall = expectCallOf(ts, root);
  if (expectCall && links.length > 0) {
    return {
      node: call,
      key,
      line,
      style: "expect",
      matcher: links[links.length - 1]!,
      negated: links.includes("not"),
      subject: expectCall.arguments.map((a) => squash(a.getText(sf))).join(","),
      args,
    };
  }
  if (ts.isIdentifier(root) && ASSERT_ROOTS.has(root.text)) {
    return {
      node: call,
      key,
      line,
      style: "assert",
      matcher: links[links.length - 1] ?? "assert",
      negated: false,
      subject: args[0] ?? "",
      args: args.slice(1),
    };
  }
  return null;
}

/** expect.assertions(n) / expect.hasAssertions(): the planned count, or null for another call. */
const planOf = (ts: TypeScriptApi, call: ts.CallExpression): number | null => {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== "expect") return null;
  if (callee.name.text === "hasAssertions") return 1;
  if (callee.name.text === "assertions") return numberOf(ts, call.arguments[0]) ?? 1;
  return null;
};

/** A node between an assertion and its scope's function that makes the assertion run only sometimes. */
const conditionalBetween = (ts: TypeScriptApi, node: ts.Node, stop: ts.Node): boolean => {
  let child = node;
  for (let p = node.parent; p && p !== stop; child = p, p = p.parent) {
    if (ts.isIfStatement(p) && child !== p.expression) return true;
    if (ts.isConditionalExpression(p) && child !== p.condition) return true;
    if (ts.isCaseClause(p) || ts.isDefaultClause(p)) return true;
    if (ts.isBinaryExpression(p) && child === p.right) {
      const op = p.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken)
        return true;
    }
  }
  return false;
};

/** The settings object/number a test call passes: vitest `test(name, { timeout, retry }, fn)` or jest `test(name, fn, timeout)`. */
function callSettings(ts: TypeScriptApi, sf: ts.SourceFile, call: ts.CallExpression, into: Scope["settings"]): void {
  for (const arg of call.arguments.slice(1)) {
    const line = sf.getLineAndCharacterOfPosition(arg.getStart(sf)).line + 1;
    const n = numberOf(ts, arg);
    if (n !== null) into.set("timeout", { value: n, line });
    if (ts.isObjectLiteralExpression(arg)) {
      for (const prop of arg.properties) {
        if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
        const value = numberOf(ts, prop.initializer);
        if (value !== null && (TIMEOUT_KEYS.has(prop.name.text) || RETRY_KEYS.has(prop.name.text)))
          into.set(prop.name.text, { value, line });
      }
    }
  }
}

/** Global settings calls: jest.setTimeout(n), jest.retryTimes(n), vi.setConfig({ testTimeout }). */
function globalSettings(ts: TypeScriptApi, sf: ts.SourceFile, call: ts.CallExpression, into: Scope["settings"]): void {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return;
  const owner = callee.expression.text;
  const name = callee.name.text;
  const line = sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1;
  const first = call.arguments[0];
  if ((owner === "jest" || owner === "vi") && name === "setTimeout") {
    const n = numberOf(ts, first);
    if (n !== null) into.set("testTimeout", { value: n, line });
  } else if (owner === "jest" && name === "retryTimes") {
    const n = numberOf(ts, first);
    if (n !== null) into.set("retry", { value: n, line });
  } else if ((owner === "vi" || owner === "jest") && name === "setConfig" && first && ts.isObjectLiteralExpression(first)) {
    for (const prop of first.properties) {
      if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
      const n = numberOf(ts, prop.initializer);
      if (n !== null && (TIMEOUT_KEYS.has(prop.name.text) || RETRY_KEYS.has(prop.name.text))) into.set(prop.name.text, { value: n, line });
    }
  }
}

/** Every scope of a test file, keyed by the chain of describe/test titles ("cart > adds items"). */
export function scopesOf(ts: TypeScriptApi, sf: ts.SourceFile): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  const lineOf = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const newScope = (key: string, kind: Scope["kind"], line: number, modifiers: string[] = [], tableRows: number | null = null): Scope => {
    const scope: Scope = {
      key,
      kind,
      line,
      modifiers: new Set(modifiers),
      tableRows,
      assertions: [],
      plannedAssertions: -1,
      swallows: [],
      earlyReturns: [],
      runtimeSkips: [],
      settings: new Map(),
    };
    scopes.set(key, scope);
    return scope;
  };
  const uniqueKey = (key: string): string => {
    if (!scopes.has(key)) return key;
    let n = 2;
    while (scopes.has(`${key}#${n}`)) n++;
    return `${key}#${n}`;
  };
  const returnsIn: Array<{ scope: Scope; node: ts.ReturnStatement }> = [];

  // Walks `node` as part of `scope`; `fn` is the scope's function (the module for the module scope), `inNested` marks nested non-test
  // functions.
  const walk = (node: ts.Node, scope: Scope, fn: ts.Node, inNested: boolean): void => {
    if (ts.isCallExpression(node)) {
      const test = testCallOf(ts, node);
      if (test) {
        const callback = [...node.arguments].reverse().find((a) => isFunction(ts, a));
        const isHook = HOOKS.has(test.base);
        const title = isHook ? test.base : titleOf(ts, sf, node.arguments[0]);
        const key = uniqueKey(scope.kind === "module" ? title : `${scope.key} > ${title}`);
        const rows = test.table && ts.isArrayLiteralExpression(test.table) ? test.table.elements.length : null;
        const kind = isHook ? "hook" : test.base === "describe" || test.base === "suite" || test.base === "context" ? "describe" : "test";
        const child = newScope(key, kind, lineOf(node), test.modifiers, rows);
        callSettings(ts, sf, node, child.settings);
        for (const arg of node.arguments) {
          if (arg === callback) walk((arg as ts.FunctionLikeDeclaration).body ?? arg, child, arg, false);
          else walk(arg, scope, fn, inNested);
        }
        return;
      }
      const plan = planOf(ts, node);
      if (plan !== null) scope.plannedAssertions = Math.max(scope.plannedAssertions, plan);
      const assertion = assertionOf(ts, sf, node);
      if (assertion) scope.assertions.push({ ...assertion, conditional: conditionalBetween(ts, node, fn) });
      globalSettings(ts, sf, node, scope.settings);
      // ctx.skip(), context.skip(), this.skip(): skips the running test.
      if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "skip" && scope.kind !== "module")
        scope.runtimeSkips.push(lineOf(node));
    }
    if (ts.isTryStatement(node) && node.catchClause && swallows(ts, node)) scope.swallows.push(lineOf(node));
    if (ts.isReturnStatement(node) && !inNested) returnsIn.push({ scope, node });
    const nested = inNested || (isFunction(ts, node) && node !== fn);
    ts.forEachChild(node, (child) => walk(child, scope, fn, nested));
  };
  const module = newScope("<module>", "module", 1);
  for (const stmt of sf.statements) walk(stmt, module, sf, false);
  for (const { scope, node } of returnsIn) {
    const lastAssertion = Math.max(-1, ...scope.assertions.map((a) => a.node.getStart(sf)));
    if (node.getEnd() < lastAssertion) scope.earlyReturns.push(lineOf(node));
  }
  return scopes;
}

/** A try whose block asserts and whose catch neither rethrows nor asserts: a failing assertion becomes a pass. */
function swallows(ts: TypeScriptApi, node: ts.TryStatement): boolean {
  const has = (root: ts.Node, test: (n: ts.Node) => boolean): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (test(n)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(root);
    return found;
  };
  const asserts = (n: ts.Node): boolean =>
    ts.isCallExpression(n) &&
    (expectCallOf(ts, chainOf(ts, n).root) !== null ||
      (ts.isIdentifier(chainOf(ts, n).root) && ASSERT_ROOTS.has((chainOf(ts, n).root as ts.Identifier).text)));
  if (!has(node.tryBlock, asserts)) return false;
  const handler = node.catchClause!.block;
  return !has(handler, (n) => ts.isThrowStatement(n) || asserts(n));
}
