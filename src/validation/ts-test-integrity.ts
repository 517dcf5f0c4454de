// compareTsTests: how a new version of a vitest/jest test file checks less than the old one, from the TS AST of both.
import type * as ts from "typescript";
import type { TypeScriptApi } from "../typescript/load.js";
import { diffLines, splitLines, type LineDiff } from "./line-diff.js";
import { parseTs, type TsParsed } from "./ts-facts.js";
import type { TestWeakening, TestWeakeningKind } from "../domain/validation.js";


/** The comparison of two versions of a test file. */
export interface TsTestComparison {
  /** False when either version does not parse; weakenings then come from a text comparison. */
  parsed: boolean;
  /** The edit only adds (or extends) module-level imports that rebind nothing. */
  importOnly: boolean;
  /** Why the edit is not import-only, when it is not. */
  notImportOnly: string | null;
  weakenings: TestWeakening[];
}

const TEST_FUNCTIONS = new Set(["test", "it", "describe", "suite", "specify", "context", "bench"]);
const HOOKS = new Set(["beforeEach", "afterEach", "beforeAll", "afterAll"]);
const ALIASES: Record<string, [string, string]> = { xit: ["it", "skip"], xtest: ["test", "skip"], xdescribe: ["describe", "skip"], fit: ["it", "only"], fdescribe: ["describe", "only"] };
const SKIPPING = new Set(["skip", "todo", "skipIf", "runIf", "fails", "failing"]);
const TEST_GLOBALS = new Set(["expect", "test", "it", "describe", "suite", "vi", "jest", "beforeEach", "afterEach", "beforeAll", "afterAll", "assert", "expectTypeOf", "assertType"]);
const TEST_LIBRARIES = new Set(["vitest", "@jest/globals", "bun:test", "node:test", "node:assert", "node:assert/strict", "assert", "assert/strict", "chai"]);
const ASSERT_ROOTS = new Set(["assert", "expectTypeOf", "assertType"]);
const LOOSE_MATCHERS = new Set(["toBeDefined", "toBeTruthy", "toBeFalsy", "toMatchObject", "anything"]);
const THROW_MATCHERS = new Set(["toThrow", "toThrowError", "toThrowErrorMatchingSnapshot", "toThrowErrorMatchingInlineSnapshot"]);
const EQUALITY_MATCHERS = new Set(["toBe", "toEqual", "toStrictEqual"]);
// Matcher changes that keep or tighten what is checked ("old>new").
const ALLOWED_MATCHER_CHANGES = new Set([
  "toBe>toEqual",
  "toBe>toStrictEqual",
  "toEqual>toStrictEqual",
  "toEqual>toBe",
  "toStrictEqual>toBe",
  "toBe>toBeCloseTo",
  "toEqual>toBeCloseTo",
  "toStrictEqual>toBeCloseTo",
  "toBe>toBeNull",
  "toEqual>toBeNull",
  "toBe>toBeUndefined",
  "toEqual>toBeUndefined",
  "toBe>toBeNaN",
  "toThrow>toThrowError",
  "toThrowError>toThrow",
  "toHaveBeenCalled>toHaveBeenCalledWith",
  "toHaveBeenCalled>toHaveBeenCalledTimes",
  "toHaveBeenCalled>toHaveBeenCalledOnce",
  "toContain>toContainEqual",
  "toMatchObject>toEqual",
  "toMatchObject>toStrictEqual",
  // node:assert and chai's assert: the strict variants check more.
  "equal>strictEqual",
  "deepEqual>deepStrictEqual",
  "notEqual>notStrictEqual",
  "notDeepEqual>notDeepStrictEqual",
  "ok>equal",
  "ok>strictEqual",
  "ok>deepEqual",
  "ok>deepStrictEqual",
  "assert>equal",
  "assert>strictEqual",
  "assert>deepStrictEqual",
  "isTrue>equal",
  "isTrue>strictEqual",
]);
const LOOSE_FROM_ANY = new Set(["ok", "assert", "isOk", "isTrue", "exists", "isDefined", "isNotNull"]);
const DEFAULT_TIMEOUT_MS = 5000;
const TIMEOUT_KEYS = new Set(["timeout", "testTimeout", "hookTimeout"]);
const RETRY_KEYS = new Set(["retry", "retries", "repeats"]);

/** One assertion: an expect(...) chain ending in a matcher call, or an assert(...)/assert.x(...) call. */
interface Assertion {
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
interface Scope {
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
      if (table === null && ts.isPropertyAccessExpression(callee.expression) && ["each", "for"].includes(callee.expression.name.text)) table = callee.arguments[0] ?? null;
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
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "expect" && ["soft", "poll"].includes(callee.name.text)) return node;
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
    return { node: call, key, line, style: "assert", matcher: links[links.length - 1] ?? "assert", negated: false, subject: args[0] ?? "", args: args.slice(1) };
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
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return true;
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
        if (value !== null && (TIMEOUT_KEYS.has(prop.name.text) || RETRY_KEYS.has(prop.name.text))) into.set(prop.name.text, { value, line });
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
function scopesOf(ts: TypeScriptApi, sf: ts.SourceFile): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  const lineOf = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const newScope = (key: string, kind: Scope["kind"], line: number, modifiers: string[] = [], tableRows: number | null = null): Scope => {
    const scope: Scope = { key, kind, line, modifiers: new Set(modifiers), tableRows, assertions: [], plannedAssertions: -1, swallows: [], earlyReturns: [], runtimeSkips: [], settings: new Map() };
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

  // Walks `node` as part of `scope`; `fn` is the scope's function (the module for the module scope), `inNested` marks nested non-test functions.
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
      if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "skip" && scope.kind !== "module") scope.runtimeSkips.push(lineOf(node));
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
  const asserts = (n: ts.Node): boolean => ts.isCallExpression(n) && (expectCallOf(ts, chainOf(ts, n).root) !== null || (ts.isIdentifier(chainOf(ts, n).root) && ASSERT_ROOTS.has((chainOf(ts, n).root as ts.Identifier).text)));
  if (!has(node.tryBlock, asserts)) return false;
  const handler = node.catchClause!.block;
  return !has(handler, (n) => ts.isThrowStatement(n) || asserts(n));
}

/** Pairs two sequences: exact matches by LCS of their keys, the rest positionally inside each gap; returns changed pairs and unmatched old items. */
function align<T extends { key: string }>(before: T[], after: T[]): { changed: Array<[T, T]>; removed: T[] } {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i]!.key === after[j]!.key ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const changed: Array<[T, T]> = [];
  const removed: T[] = [];
  let gapOld: T[] = [];
  let gapNew: T[] = [];
  const flush = (): void => {
    gapOld.forEach((o, k) => (k < gapNew.length ? changed.push([o, gapNew[k]!]) : removed.push(o)));
    gapOld = [];
    gapNew = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i]!.key === after[j]!.key) {
      flush();
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) gapNew.push(after[j++]!);
    else gapOld.push(before[i++]!);
  }
  flush();
  return { changed, removed };
}

const precisionOf = (a: Assertion): number => {
  const digits = Number(a.args[1]);
  return a.args[1] === undefined || Number.isNaN(digits) ? 2 : digits;
};

const isTrivial = (a: Assertion): boolean => {
  if (a.style === "assert") return (a.matcher === "assert" || a.matcher === "ok" || a.matcher === "isTrue") && a.subject === "true";
  if (a.negated) return false;
  if (EQUALITY_MATCHERS.has(a.matcher) && a.args.length === 1 && a.args[0] === a.subject) return true;
  if (a.matcher === "toBeTruthy" && /^(true|1|"[^"]+"|'[^']+')$/.test(a.subject)) return true;
  return a.args.some((x) => /^expect\.anything\(\)$/.test(x));
};

const anyMatchers = (a: Assertion): number => a.args.join(",").split(/expect\.(?:anything|any)\(/).length - 1;

/** Why `after` checks less than `before`, or null. */
function weakerAssertion(before: Assertion, after: Assertion): [TestWeakeningKind, string] | null {
  if (isTrivial(after) && !isTrivial(before)) return ["trivial_assert", "assertion made always true"];
  if (before.style !== after.style) return null;
  if (THROW_MATCHERS.has(before.matcher) && !THROW_MATCHERS.has(after.matcher)) return ["removed_raises", `replaces ${before.matcher} with ${after.matcher}`];
  if (before.negated !== after.negated) return ["negated_assertion", after.negated ? "adds .not to the assertion" : "removes .not from the assertion"];
  if (THROW_MATCHERS.has(before.matcher) && before.args.length > 0 && after.args.length === 0) return ["broadened_raises", `${after.matcher}() no longer checks which error is thrown`];
  if (before.matcher !== after.matcher) {
    if (ALLOWED_MATCHER_CHANGES.has(`${before.matcher}>${after.matcher}`)) {
      if (after.matcher === "toBeCloseTo" && precisionOf(after) < 2) return ["loosened_tolerance", `toBeCloseTo precision ${precisionOf(after)}`];
      return null;
    }
    if (LOOSE_MATCHERS.has(before.matcher) && !LOOSE_MATCHERS.has(after.matcher)) return null;
    if (before.style === "assert" && LOOSE_FROM_ANY.has(before.matcher)) return null;
    const kind = LOOSE_MATCHERS.has(after.matcher) || LOOSE_FROM_ANY.has(after.matcher) ? "looser" : "different";
    return ["weakened_comparison", `changes ${before.matcher} to ${after.matcher}${kind === "looser" ? " (checks less)" : ""}`];
  }
  if (after.matcher === "toBeCloseTo" && precisionOf(after) < precisionOf(before)) {
    return ["loosened_tolerance", `lowers toBeCloseTo precision from ${precisionOf(before)} to ${precisionOf(after)}`];
  }
  if (anyMatchers(after) > anyMatchers(before)) return ["weakened_comparison", "replaces an expected value with expect.anything()/expect.any()"];
  return null;
}

const label = (scope: Scope): string => (scope.kind === "module" ? "the module level" : `'${scope.key}'`);

/** Every way the new scopes check less than the old ones. */
function weakenings(before: Map<string, Scope>, after: Map<string, Scope>): TestWeakening[] {
  const found: TestWeakening[] = [];
  const add = (kind: TestWeakeningKind, line: number | null, message: string): void => {
    found.push({ kind, line, message });
  };
  const onlyBefore = [...before.values()].filter((s) => s.modifiers.has("only")).length;
  for (const scope of after.values()) {
    const old = before.get(scope.key);
    if (scope.modifiers.has("only") && (!old || !old.modifiers.has("only")) && onlyBefore < [...after.values()].filter((s) => s.modifiers.has("only")).length) {
      add("focused_test", scope.line, `adds .only to ${label(scope)}, which skips every other test`);
    }
  }
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      if (old.kind === "test") add("removed_test", old.line, `removes or renames test ${label(old)}`);
      else if (old.assertions.length > 0) add("deleted_assert", old.line, `removes ${label(old)} and its ${old.assertions.length} assertion(s)`);
      continue;
    }
    for (const m of now.modifiers) {
      if (SKIPPING.has(m) && !old.modifiers.has(m)) add("skip_marker", now.line, `turns ${label(now)} into .${m}`);
    }
    if (old.tableRows !== null && now.tableRows !== null && now.tableRows < old.tableRows) {
      add("removed_test", now.line, `removes ${old.tableRows - now.tableRows} case(s) from the .each table of ${label(now)}`);
    }
    if (now.runtimeSkips.length > old.runtimeSkips.length) add("skip_call", now.runtimeSkips.at(-1)!, `skips ${label(now)} at runtime`);
    const { changed, removed } = align(old.assertions, now.assertions);
    for (const a of removed) add("deleted_assert", a.line, `removes an ${a.style === "expect" ? "expect()" : "assert"} in ${label(now)}`);
    for (const [a, b] of changed) {
      const why = weakerAssertion(a, b);
      if (why) add(why[0], b.line, `${why[1]} in ${label(now)}`);
    }
    if (old.plannedAssertions >= 0 && now.plannedAssertions < old.plannedAssertions) {
      add("fewer_assertions", now.line, now.plannedAssertions < 0 ? `removes expect.assertions/hasAssertions from ${label(now)}` : `lowers expect.assertions in ${label(now)}`);
    }
    if (now.swallows.length > old.swallows.length) add("swallowed_assertion", now.swallows.at(-1)!, `catches assertion failures in ${label(now)}`);
    if (now.kind !== "module" && now.earlyReturns.length > old.earlyReturns.length) add("early_return", now.earlyReturns[0]!, `returns before its assertions in ${label(now)}`);
    const conditional = (s: Scope): number => s.assertions.filter((a) => a.conditional).length;
    if (conditional(now) > conditional(old)) {
      add("conditional_assertion", now.assertions.find((a) => a.conditional)!.line, `makes an assertion conditional in ${label(now)}`);
    }
    for (const [name, { value, line }] of now.settings) {
      const prior = old.settings.get(name)?.value;
      const isRetry = RETRY_KEYS.has(name);
      const raised = prior !== undefined ? value > prior : isRetry ? value > 0 : value > DEFAULT_TIMEOUT_MS;
      if (raised) add("raised_timeout", line, `${prior === undefined ? "sets" : "raises"} ${name} to ${value} in ${label(now)}`);
    }
  }
  return found;
}

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
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) imported.set(e.name.text, `${from}:${(e.propertyName ?? e.name).text}`);
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
      (ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isEnumDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node))
    ) {
      declared.add(name.text);
    }
    if (ts.isIdentifier(node) && !(node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) used.add(node.text);
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
    const binds = clause !== undefined && (clause.name !== undefined || (bindings !== undefined && (ts.isNamespaceImport(bindings) || bindings.elements.length > 0)));
    if (!binds) out.push(ts.isStringLiteral(stmt.moduleSpecifier) ? stmt.moduleSpecifier.text : stmt.moduleSpecifier.getText(sf));
  }
  return out;
}

/** Null when the edit only adds module-level imports that change no existing name's meaning; otherwise why not. */
function notImportOnly(ts: TypeScriptApi, original: string, fixed: string, a: ts.SourceFile, b: ts.SourceFile, diff: LineDiff): string | null {
  const importLines = (sf: ts.SourceFile): Map<number, boolean> => {
    const lines = new Map<number, boolean>();
    for (const stmt of sf.statements) {
      const isImport = ts.isImportDeclaration(stmt) || (ts.isImportEqualsDeclaration(stmt) && ts.isExternalModuleReference(stmt.moduleReference));
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
  for (const n of diff.removed) if ((textA[n - 1] ?? "").trim() !== "" && !comment(textA[n - 1]!) && linesA.get(n) !== true) return `changes line ${n}, which is not a module-level import`;
  for (const n of diff.added) if ((textB[n - 1] ?? "").trim() !== "" && !comment(textB[n - 1]!) && linesB.get(n) !== true) return `line ${n} is not only a module-level import`;
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

const TEXT_ASSERT = /\bexpect\s*\(|\bassert\s*[.(]/g;
const TEXT_SKIP = /\.(?:skip|todo|only|skipIf|runIf)\b|\b(?:xit|xtest|xdescribe|fit|fdescribe)\s*\(/g;

/** What a caller that already parsed and diffed the two versions passes compareTsTests (else it does both itself). */
export interface TsTestFacts {
  original: TsParsed;
  fixed: TsParsed;
  diff: LineDiff;
}

/** Compares two versions of a JS/TS test file; falls back to counting assertions and skips in the text when either does not parse. */
export function compareTsTests(ts: TypeScriptApi, original: string, fixed: string, relPath: string, facts?: TsTestFacts): TsTestComparison {
  const a = facts?.original ?? parseTs(ts, relPath, original);
  const b = facts?.fixed ?? parseTs(ts, relPath, fixed);
  const broken = (p: typeof a): boolean => p.syntactic.some((d) => d.category === "error");
  if (broken(a) || broken(b)) {
    const weakened: TestWeakening[] = [];
    const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;
    if (count(fixed, TEXT_ASSERT) < count(original, TEXT_ASSERT)) weakened.push({ kind: "deleted_assert", line: null, message: "removes assertions" });
    if (count(fixed, TEXT_SKIP) > count(original, TEXT_SKIP)) weakened.push({ kind: "skip_marker", line: null, message: "adds a skip/only/todo modifier" });
    return { parsed: false, importOnly: false, notImportOnly: "does not parse", weakenings: weakened };
  }
  const why = notImportOnly(ts, original, fixed, a.sourceFile, b.sourceFile, facts?.diff ?? diffLines(original, fixed));
  return { parsed: true, importOnly: why === null, notImportOnly: why, weakenings: weakenings(scopesOf(ts, a.sourceFile), scopesOf(ts, b.sourceFile)) };
}
