// JS test configuration edits (vitest/vite/jest config files, package.json "jest"): which settings change and which changes weaken the
// suite.
import { posix } from "node:path";
import type * as ts from "typescript";
import { isWholeJsTestConfigName, VITE_CONFIG_RE } from "../../runners/js/config-files.js";
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { TestConfigChange } from "../types.js";
import { parseTs, type TsParsed } from "./facts.js";

/** Whether a project-relative path is a JS test configuration file (package.json counts: its "jest" key and test script). */
export const isJsTestConfigPath = (relPath: string): boolean => {
  const base = posix.basename(relPath);
  // vite.config.* counts too, though only its `test` section holds test settings.
  return isWholeJsTestConfigName(base) || VITE_CONFIG_RE.test(base) || base === "package.json";
};

type Settings = Map<string, string>;

/** Dotted property path → value text of every leaf property in the file's object literals (`test.coverage.thresholds.lines` → "80"). */
function settingsOfScript(parsed: TsParsed): Settings | null {
  const ts = parsed.ts;
  if (parsed.syntactic.some((d) => d.category === "error")) return null;
  const sf = parsed.sourceFile;
  const out: Settings = new Map();
  const nameOf = (name: ts.PropertyName): string =>
    ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText(sf);
  const pathOf = (prop: ts.ObjectLiteralElementLike): string => {
    const parts = [prop.name ? nameOf(prop.name) : "…"];
    for (let obj = prop.parent; ;) {
      const owner = obj.parent;
      if (!owner || !ts.isPropertyAssignment(owner)) break;
      parts.unshift(nameOf(owner.name));
      obj = owner.parent;
    }
    return parts.join(".");
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && !ts.isObjectLiteralExpression(node.initializer))
      out.set(pathOf(node), node.initializer.getText(sf).replace(/\s+/g, " "));
    else if (ts.isShorthandPropertyAssignment(node)) out.set(pathOf(node), node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The same flattening for a JSON value (package.json's "jest" object). */
function settingsOfJson(value: unknown, prefix: string, out: Settings = new Map()): Settings {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) settingsOfJson(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, JSON.stringify(value));
  return out;
}

const entries = (value: string | undefined): string[] =>
  (value ?? "")
    .replace(/^\s*\[|\]\s*$/g, "")
    .split(",")
    .map((e) => e.trim().replace(/^["'`]|["'`]$/g, ""))
    .filter((e) => e !== "");

const numeric = (value: string | undefined): number | null => {
  if (value === undefined) return null;
  const n = Number(value.replace(/_/g, ""));
  return Number.isNaN(n) ? null : n;
};

const COLLECTION_KEYS = new Set([
  "include",
  "exclude",
  "testMatch",
  "testRegex",
  "testPathIgnorePatterns",
  "roots",
  "dir",
  "root",
  "projects",
  "workspace",
  "testNamePattern",
  "includeSource",
  "modulePathIgnorePatterns",
  "testEnvironmentOptions",
]);
const TIMEOUT_KEYS = new Set(["testTimeout", "hookTimeout", "teardownTimeout", "slowTestThreshold"]);
const RETRY_KEYS = new Set(["retry", "retries", "bail"]);
const PERMISSIVE_FLAGS = new Set(["passWithNoTests", "allowOnly", "dangerouslyIgnoreUnhandledErrors"]);

/** Changes of flattened settings that make the suite check less. */
function weakenings(before: Settings, after: Settings): string[] {
  const found: string[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(id);
    const now = after.get(id);
    if (old === now) continue;
    const path = id.split(".");
    const key = path[path.length - 1]!;
    const coverage = path.some((p) => /coverage/i.test(p));
    if (coverage && (path.some((p) => /threshold/i.test(p)) || ["lines", "branches", "functions", "statements"].includes(key))) {
      const a = numeric(old);
      const b = numeric(now);
      if (a !== null && (b === null || b < a)) found.push(`lowers the coverage threshold ${id}`);
    } else if (coverage && (key === "exclude" || key === "coveragePathIgnorePatterns" || id === "coveragePathIgnorePatterns")) {
      const had = new Set(entries(old));
      if (entries(now).some((e) => !had.has(e))) found.push(`excludes more code from coverage (${id})`);
    } else if (key === "coveragePathIgnorePatterns") {
      const had = new Set(entries(old));
      if (entries(now).some((e) => !had.has(e))) found.push(`excludes more code from coverage (${id})`);
    } else if (COLLECTION_KEYS.has(key)) {
      found.push(`changes test collection: ${id}`);
    } else if (TIMEOUT_KEYS.has(key) || RETRY_KEYS.has(key)) {
      const a = numeric(old) ?? 0;
      const b = numeric(now);
      if (key === "bail" ? b === null || (a > 0 && b > a) : b !== null && b > a) found.push(`raises ${id}${b === null ? "" : ` to ${b}`}`);
    } else if (PERMISSIVE_FLAGS.has(key) && now === "true" && old !== "true") {
      found.push(`turns on ${id}`);
    } else if (key === "coverage" || (path.length >= 2 && path[path.length - 2] === "coverage" && key === "enabled")) {
      if (old === "true" && now !== "true") found.push(`turns off coverage (${id})`);
    }
  }
  return found;
}

const sectionOf = (id: string, base: string): string => (base === "package.json" ? id.split(".").slice(0, 2).join(".") : id.split(".")[0]!);

/**
 * Analyses a change to a JS test config: vitest/jest config files (every setting), vite.config (its `test` section), package.json ("jest"
 * and the test script).
 */
export function analyzeJsTestConfigChange(
  ts: TypeScriptApi,
  relPath: string,
  original: string,
  fixed: string,
  parsed?: { original: TsParsed; fixed: TsParsed },
): TestConfigChange {
  const base = posix.basename(relPath);
  let before: Settings | null;
  let after: Settings | null;
  if (base === "package.json" || base.endsWith(".json")) {
    const read = (text: string): Settings | null => {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        const scripts = (json.scripts ?? {}) as Record<string, unknown>;
        const out = base === "package.json" ? settingsOfJson(json.jest, "jest") : settingsOfJson(json, "");
        for (const [name, script] of Object.entries(scripts))
          if (/^test(?::|$)/.test(name)) out.set(`scripts.${name}`, JSON.stringify(script));
        return out;
      } catch {
        return null;
      }
    };
    before = read(original);
    after = read(fixed);
  } else {
    before = settingsOfScript(parsed?.original ?? parseTs(ts, relPath, original));
    after = settingsOfScript(parsed?.fixed ?? parseTs(ts, relPath, fixed));
  }
  const wholeFile = isWholeJsTestConfigName(base);
  if (before === null || after === null) {
    // A config that does not parse (checkSyntax rejects the fix): every text change counts as a test setting change.
    const touched = wholeFile || (base === "package.json" ? /"jest"|"test/.test(fixed + original) : /\btest\s*:/.test(fixed + original));
    return { touched: touched && original !== fixed, sections: [base], weakenings: [] };
  }
  const protectedPart = (s: Settings): Settings =>
    wholeFile || base === "package.json" ? s : new Map([...s].filter(([id]) => id === "test" || id.startsWith("test.")));
  const a = protectedPart(before);
  const b = protectedPart(after);
  const sections = new Set<string>();
  for (const id of new Set([...a.keys(), ...b.keys()])) if (a.get(id) !== b.get(id)) sections.add(sectionOf(id, base));
  // A whole-file config whose settings are equal may still change code around them (imports, plugins): still a test setting edit.
  if (wholeFile && sections.size === 0 && original.replace(/\s+/g, "") !== fixed.replace(/\s+/g, "")) sections.add(base);
  return { touched: sections.size > 0, sections: [...sections].sort(), weakenings: sections.size > 0 ? weakenings(a, b) : [] };
}
