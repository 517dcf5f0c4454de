// The fix content policy for TS/JS: findings about test infrastructure, code execution, network, environment reads and file writes.
import type * as ts from "typescript";
import type { ViolationRule } from "../../domain/validation.js";
import type { TypeScriptApi } from "../../ts-project/load.js";
import { evidenceText } from "../../validation/findings.js";
import type { Finding } from "../../validation/findings.js";
import { aliasesOf, isValueReference, loadedModule, moduleName, qualify } from "./references.js";
import type { Aliases } from "./references.js";

/** The secret-name rule of src/validation/env-secrets.ts. */
export interface SecretNames {
  pattern: RegExp;
  notSecret: ReadonlySet<string>;
}

const TEST_GLOBALS = /^(?:expect|vi|vitest|jest|describe|it|test|suite|bench|beforeAll|beforeEach|afterAll|afterEach)(?:\.|$)/;
const TEST_MODULES = /^(?:vitest|@vitest\/.*|jest|@jest\/.*|jest-.*|@playwright\/test|mocha|chai)$/;
const TEST_INFRA =
  /^(?:process\.(?:exit|abort|kill|reallyExit|exitCode|on|once|addListener|prependListener|prependOnceListener|removeAllListeners|emit|_exiting)|require\.cache|module\.(?:constructor|children|parent)|Module\.(?:_load|_resolveFilename|_cache|_extensions)|module\.(?:_load|_resolveFilename|_cache|_extensions)|Error\.(?:prepareStackTrace|captureStackTrace|stackTraceLimit)|import\.meta\.vitest|__vitest_\w+__|__jest\w*)(?:\.|$)/;
const EXEC =
  /^(?:child_process|vm|worker_threads|cluster|eval|Function|process\.(?:binding|dlopen|_linkedBinding)|execa|shelljs|cross-spawn)(?:\.|$)/;
const NETWORK =
  /^(?:http|https|http2|net|tls|dgram|dns|undici|axios|node-fetch|got|ws|superagent|request|fetch|XMLHttpRequest|WebSocket|EventSource|navigator\.sendBeacon)(?:\.|$)/;
const FILE_WRITE =
  /^fs\.(?:writeFile|appendFile|rm|rmdir|unlink|rename|createWriteStream|copyFile|cp|truncate|ftruncate|mkdir|mkdtemp|symlink|link|chmod|lchmod|chown|lchown|utimes|lutimes|write|writev|outputFile|outputJson|writeJson|remove|emptyDir|move|ensureFile)(?:Sync)?$/;
const FS_OPEN = /^fs\.open(?:Sync)?$/;
const TOOL_ENV = /^(?:REDGREEN_\w*|VITEST\w*|JEST_WORKER_ID|PYTEST_\w*)$/;
const ENV_ROOTS = new Set(["process.env", "import.meta.env"]);

const MODULE_RULES: [ViolationRule, RegExp][] = [
  ["policy.code_execution", EXEC],
  ["policy.network", NETWORK],
];
const NAME_RULES: [ViolationRule, RegExp][] = [
  ["policy.test_infrastructure", TEST_INFRA],
  ...MODULE_RULES,
  ["policy.file_write", FILE_WRITE],
];

const lineOf = (sf: ts.SourceFile, node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

interface Walk {
  ts: TypeScriptApi;
  sf: ts.SourceFile;
  aliases: Aliases;
  isTest: boolean;
  secrets: SecretNames;
  out: Finding[];
}

const add = (w: Walk, rule: ViolationRule, key: string, node: ts.Node): void => {
  w.out.push({ rule, key, line: lineOf(w.sf, node), evidence: evidenceText(node.getText(w.sf)) });
};

const literalText = (ts: TypeScriptApi, node: ts.Node | undefined): string | null =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

/** The call whose callee is `node`, if any. */
const callOf = (ts: TypeScriptApi, node: ts.Node): ts.CallExpression | ts.NewExpression | null => {
  const p = node.parent;
  return (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === node ? p : null;
};

/** The expression a member access reads from, through parentheses and type assertions (`(globalThis as any)` → `globalThis`). */
const memberBase = (ts: TypeScriptApi, node: ts.Node): ts.Node | null =>
  ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? node.expression : null;

const isWrapper = (
  ts: TypeScriptApi,
  node: ts.Node,
): node is ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression =>
  ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node);

/** The outermost member expression of a chain starting at `node` (`process.env.X` from `process`). */
const chainTop = (ts: TypeScriptApi, node: ts.Expression): ts.Expression => {
  let top = node;
  for (;;) {
    const p = top.parent;
    if (isWrapper(ts, p) || memberBase(ts, p) === top) top = p as ts.Expression;
    else return top;
  }
};

function envName(w: Walk, name: string, node: ts.Node): void {
  if (TOOL_ENV.test(name)) add(w, "policy.test_infrastructure", `env:${name}`, node);
  else if (!w.secrets.notSecret.has(name.toUpperCase()) && w.secrets.pattern.test(name)) add(w, "policy.secret_env", `env:${name}`, node);
}

/** A reference to process.env: a named read, a computed read, destructuring, `in`, or the whole environment. */
function envUse(w: Walk, root: ts.Expression): void {
  const { ts } = w;
  const p = root.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === root) {
    if (
      !(ts.isBinaryExpression(p.parent) && p.parent.left === p && p.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) ||
      TOOL_ENV.test(p.name.text)
    ) {
      envName(w, p.name.text, p);
    }
    return;
  }
  if (ts.isElementAccessExpression(p) && p.expression === root) {
    const name = literalText(ts, p.argumentExpression);
    if (name === null) add(w, "policy.secret_env", "env:computed", p);
    else envName(w, name, p);
    return;
  }
  if (ts.isBinaryExpression(p) && p.right === root && p.operatorToken.kind === ts.SyntaxKind.InKeyword) return;
  if (ts.isVariableDeclaration(p) && p.initializer === root && ts.isObjectBindingPattern(p.name)) {
    for (const el of p.name.elements) {
      const key = el.propertyName ?? el.name;
      if (el.dotDotDotToken || !(ts.isIdentifier(key) || ts.isStringLiteral(key))) add(w, "policy.secret_env", "env:whole", p);
      else envName(w, key.text, el);
    }
    return;
  }
  add(w, "policy.secret_env", "env:whole", ts.isSpreadAssignment(p) || ts.isSpreadElement(p) || ts.isCallExpression(p) ? p : root);
}

function moduleFinding(w: Walk, mod: string, node: ts.Node): void {
  if (!w.isTest && TEST_MODULES.test(mod)) add(w, "policy.test_infrastructure", `import:${mod}`, node);
  for (const [rule, re] of MODULE_RULES) if (re.test(mod)) add(w, rule, `import:${mod}`, node);
}

/** Whether some rule is about a dotted name (the chain walk stops at the longest such prefix). */
const ruled = (q: string): boolean =>
  ENV_ROOTS.has(q) ||
  TEST_GLOBALS.test(q) ||
  q === "require" ||
  q === "import" ||
  FS_OPEN.test(q) ||
  NAME_RULES.some(([, re]) => re.test(q));

// Names that are code execution only when called (`x instanceof Function` is not).
const CALL_ONLY = new Set(["Function", "eval"]);

function reference(w: Walk, node: ts.Expression, q: string): void {
  const { ts } = w;
  if (ENV_ROOTS.has(q)) return envUse(w, node);
  const call = callOf(ts, node);
  const assigned =
    ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  if (TEST_GLOBALS.test(q)) {
    if (!w.isTest || assigned) add(w, "policy.test_infrastructure", `global:${q}`, call ?? (assigned ? node.parent : node));
    return;
  }
  if (q === "require" || q === "import") {
    if (call && !literalText(ts, call.arguments?.[0])) add(w, "policy.code_execution", "import:computed", call);
    return;
  }
  if (FS_OPEN.test(q)) {
    const flags = call?.arguments?.[1];
    const text = literalText(ts, flags);
    if (call && flags !== undefined && (text === null || /[wa+]/.test(text))) add(w, "policy.file_write", q, call);
    return;
  }
  if (CALL_ONLY.has(q) && !call) return;
  for (const [rule, re] of NAME_RULES) {
    if (!re.test(q)) continue;
    add(w, rule, q, call ?? (assigned ? node.parent : node));
    return;
  }
}

/** `new Error().stack`, `Error().stack`: reading the call stack to find the calling test. */
const isStackRead = (ts: TypeScriptApi, node: ts.PropertyAccessExpression): boolean =>
  node.name.text === "stack" &&
  (ts.isNewExpression(node.expression) || ts.isCallExpression(node.expression)) &&
  ts.isIdentifier(node.expression.expression) &&
  /Error$/.test(node.expression.expression.text);

/** Every policy finding in one parsed TS/JS version (test files skip the test-global rules). */
export function tsPolicyFindings(ts: TypeScriptApi, sf: ts.SourceFile, isTest: boolean, secrets: SecretNames): Finding[] {
  const w: Walk = { ts, sf, aliases: aliasesOf(ts, sf), isTest, secrets, out: [] };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = literalText(ts, node.moduleSpecifier);
      if (spec !== null) moduleFinding(w, moduleName(spec), node);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const spec = literalText(ts, node.moduleReference.expression);
      if (spec !== null) moduleFinding(w, moduleName(spec), node);
      return;
    }
    if (ts.isCallExpression(node)) {
      const mod = loadedModule(ts, node);
      if (mod !== null) moduleFinding(w, mod, node);
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && TOOL_ENV.test(node.text))
      add(w, "policy.test_infrastructure", `name:${node.text}`, node);
    if (ts.isPropertyAccessExpression(node) && isStackRead(ts, node)) add(w, "policy.test_infrastructure", "stack", node);
    const isRoot =
      (ts.isIdentifier(node) && isValueReference(ts, node)) ||
      ts.isMetaProperty(node) ||
      (ts.isCallExpression(node) && loadedModule(ts, node) !== null) ||
      (node.kind === ts.SyntaxKind.ImportKeyword && !(ts.isCallExpression(node.parent) && loadedModule(ts, node.parent) !== null));
    if (isRoot) {
      // Match the longest dotted prefix of the chain a rule knows (process.env, fs.writeFileSync, process.exit).
      const top = chainTop(ts, node as ts.Expression);
      for (let cur: ts.Expression = top; ;) {
        const q = qualify(ts, cur, w.aliases);
        if (q !== null && ruled(q)) {
          reference(w, cur, q);
          break;
        }
        const next = isWrapper(ts, cur) ? cur.expression : memberBase(ts, cur);
        if (cur === node || next === null) break;
        cur = next as ts.Expression;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return w.out;
}
