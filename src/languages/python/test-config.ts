// Test-configuration edits: which pytest/coverage settings a change touches and which of those changes weaken the suite.
import { posix } from "node:path";
import { diffLines, splitLines } from "../../validation/line-diff.js";
import type { TestConfigChange } from "../types.js";

interface LineInfo {
  section: string;
  key: string | null;
}

const CONFIG_FILES = new Set([
  "pytest.ini",
  ".pytest.ini",
  "pytest.toml",
  ".pytest.toml",
  "pyproject.toml",
  "setup.cfg",
  "tox.ini",
  ".coveragerc",
]);

/** Whether a path is a pytest configuration file (the others are JS test configs). */
export const isPytestConfigPath = (relPath: string): boolean => CONFIG_FILES.has(posix.basename(relPath));

const WHOLE_FILE = new Set(["pytest.ini", ".pytest.ini", "pytest.toml", ".pytest.toml", ".coveragerc"]);

/** The full dotted path of a key in its section ("" for the root table). */
const keyPath = (section: string, key: string | null): string => [section, key ?? ""].filter((p) => p !== "").join(".");

/**
 * Whether a section and key hold pytest or coverage settings (in pyproject.toml by full dotted path, so root-level dotted keys and inline
 * tables count).
 */
const isProtected = (file: string, section: string, key: string | null): boolean => {
  if (WHOLE_FILE.has(file)) return true;
  const s = section.toLowerCase();
  if (file === "pyproject.toml") return /^tool\.(pytest|coverage)(\.|$)/.test(keyPath(s, key?.toLowerCase() ?? null));
  if (file === "setup.cfg") return s === "tool:pytest" || s.startsWith("coverage:");
  if (file === "tox.ini") return s === "pytest" || s === "tool:pytest" || s.startsWith("coverage:");
  return false;
};

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:[#;].*)?$/;
const KEY = /^(\s*)([A-Za-z_"'][\w."'-]*)\s*[=:]\s?(.*)$/;

/** Section and key of every line; INI continuation lines and open TOML brackets keep the previous key. */
function annotate(lines: string[]): LineInfo[] {
  const out: LineInfo[] = [];
  let section = "";
  let key: string | null = null;
  let depth = 0;
  for (const line of lines) {
    const header = depth === 0 ? HEADER.exec(line) : null;
    if (header) {
      section = header[1]!.replace(/["']/g, "");
      key = null;
      out.push({ section, key });
      continue;
    }
    const kv = depth === 0 ? KEY.exec(line) : null;
    if (kv && kv[1] === "") {
      key = kv[2]!.replace(/["']/g, "");
      depth = bracketDepth(kv[3]!);
    } else if (depth > 0) {
      depth += bracketDepth(line);
    } else if (line.trim() !== "" && !/^\s/.test(line) && !/^\s*[#;]/.test(line)) {
      key = null;
    }
    out.push({ section, key });
  }
  return out;
}

const bracketDepth = (text: string): number => {
  const noStrings = text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "").replace(/#.*$/, "");
  return (noStrings.match(/[[{]/g) ?? []).length - (noStrings.match(/[\]}]/g) ?? []).length;
};

/** Values of the protected keys, "section.key" → raw value text (continuations joined). */
function protectedValues(file: string, lines: string[], info: LineInfo[]): Map<string, string> {
  const values = new Map<string, string>();
  lines.forEach((line, i) => {
    const { section, key } = info[i]!;
    if (key === null || !isProtected(file, section, key)) return;
    const id = keyPath(section, key).toLowerCase();
    const kv = KEY.exec(line);
    const text = kv && kv[1] === "" && kv[2]!.replace(/["']/g, "") === key && !values.has(id) ? kv[3]! : line;
    values.set(id, values.has(id) ? `${values.get(id)}\n${text}` : text);
  });
  for (const [id, value] of [...values]) {
    if (value.trim().startsWith("{")) for (const [sub, v] of inlineTableEntries(value)) values.set(`${id}.${sub}`, v);
  }
  return values;
}

/** The leaf entries of a TOML inline table, dotted key → raw value text (nested tables flattened). */
function inlineTableEntries(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): void => {
    const q = text[i]!;
    for (i++; i < text.length && text[i] !== q; i++) if (q === '"' && text[i] === "\\") i++;
    i++;
  };
  // Scans one value that is not a table: a string, an array (nested) or a bare word.
  const scalar = (): string => {
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        str();
        continue;
      }
      if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") {
        if (depth === 0) break;
        depth--;
      } else if ((c === "," || c === "\n") && depth === 0) break;
      i++;
    }
    return text.slice(start, i).trim();
  };
  const table = (prefix: string): void => {
    i++; // "{"
    for (;;) {
      ws();
      if (i >= text.length || text[i] === "}") {
        i++;
        return;
      }
      if (text[i] === ",") {
        i++;
        continue;
      }
      const keyStart = i;
      while (i < text.length && text[i] !== "=" && text[i] !== "}") {
        if (text[i] === '"' || text[i] === "'") str();
        else i++;
      }
      if (text[i] !== "=") return;
      const key = text
        .slice(keyStart, i)
        .replace(/["'\s]/g, "")
        .toLowerCase();
      i++;
      ws();
      if (text[i] === "{") table(`${prefix}${key}.`);
      else out.set(`${prefix}${key}`, scalar());
    }
  };
  const start = text.indexOf("{");
  if (start >= 0) {
    i = start;
    table("");
  }
  return out;
}

const leafKey = (id: string): string => id.split(".").pop() ?? id;

/** Splits a list-ish value (INI lines, TOML arrays, comma lists) into clean entries. */
const entries = (value: string | undefined): string[] =>
  (value ?? "")
    .split(/[\n,]/)
    .map((e) =>
      e
        .replace(/#.*$/, "")
        .replace(/^[\s[\]"']+|[\s[\]"']+$/g, "")
        .trim(),
    )
    .filter((e) => e !== "");

/** addopts tokens that make pytest run fewer tests or tolerate failures. */
const NARROWING_OPTIONS = [
  "--deselect",
  "--ignore",
  "--ignore-glob",
  "-k",
  "-m",
  "--lf",
  "--last-failed",
  "--sw",
  "--stepwise",
  "--continue-on-collection-errors",
  "--co",
  "--collect-only",
  "--runxfail",
];

const addoptTokens = (value: string | undefined): string[] =>
  entries(value)
    .flatMap((e) => e.split(/\s+/))
    .filter((t) => t !== "");

const countOption = (tokens: string[], option: string): number =>
  tokens.filter((t) => t === option || t.startsWith(`${option}=`) || (option.length === 2 && t.startsWith(option) && !t.startsWith("--")))
    .length;

const covFailUnder = (tokens: string[]): number | null => {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startsWith("--cov-fail-under=")) return Number(t.split("=")[1]);
    if (t === "--cov-fail-under") return Number(tokens[i + 1]);
  }
  return null;
};

const truthy = (v: string | undefined): boolean => /^\s*(true|1|yes|on)\s*$/i.test(v ?? "");

const COLLECTION_KEYS = new Set([
  "testpaths",
  "python_files",
  "python_classes",
  "python_functions",
  "norecursedirs",
  "collect_ignore",
  "collect_ignore_glob",
  "confcutdir",
]);
const EXCLUSION_KEYS = new Set(["omit", "exclude_lines", "exclude_also", "partial_branches", "ignore_errors"]);

function weakenings(before: Map<string, string>, after: Map<string, string>): string[] {
  const found: string[] = [];
  const ids = new Set([...before.keys(), ...after.keys()]);
  for (const id of ids) {
    const key = leafKey(id);
    const old = before.get(id);
    const now = after.get(id);
    if (old === now) continue;
    if (key === "addopts") {
      const a = addoptTokens(old);
      const b = addoptTokens(now);
      for (const opt of NARROWING_OPTIONS) {
        if (countOption(b, opt) > countOption(a, opt)) found.push(`adds ${opt} to addopts (${id})`);
      }
      const disabledBefore = a.filter((t) => t.startsWith("no:")).length;
      const disabledAfter = b.filter((t) => t.startsWith("no:")).length;
      if (disabledAfter > disabledBefore) found.push(`disables a pytest plugin with -p no: (${id})`);
      const fa = covFailUnder(a);
      const fb = covFailUnder(b);
      if (fa !== null && (fb === null || fb < fa)) found.push(`lowers --cov-fail-under (${id})`);
    } else if (COLLECTION_KEYS.has(key)) {
      found.push(`changes test collection: ${key} (${id})`);
    } else if (key === "xfail_strict") {
      if (truthy(old) && !truthy(now)) found.push(`turns off xfail_strict (${id})`);
    } else if (key === "filterwarnings") {
      const errorsBefore = entries(old).filter((e) => e.startsWith("error")).length;
      const errorsAfter = entries(now).filter((e) => e.startsWith("error")).length;
      if (errorsAfter < errorsBefore) found.push(`removes an "error" warning filter (${id})`);
    } else if (key === "fail_under") {
      const a = Number(entries(old)[0]);
      const b = Number(entries(now)[0]);
      if (!Number.isNaN(a) && (now === undefined || Number.isNaN(b) || b < a)) found.push(`lowers coverage fail_under (${id})`);
    } else if (EXCLUSION_KEYS.has(key)) {
      const a = new Set(entries(old));
      if (entries(now).some((e) => !a.has(e))) found.push(`excludes more code from coverage: ${key} (${id})`);
    }
  }
  return found;
}

/** Analyses a change to pytest.ini / pyproject.toml / setup.cfg / tox.ini / .coveragerc. */
export function analyzeTestConfigChange(relPath: string, original: string, fixed: string): TestConfigChange {
  const file = posix.basename(relPath);
  const a = splitLines(original);
  const b = splitLines(fixed);
  const infoA = annotate(a);
  const infoB = annotate(b);
  const diff = diffLines(original, fixed);
  const sections = new Set<string>();
  for (const n of diff.removed) {
    const info = infoA[n - 1];
    if (info && isProtected(file, info.section, info.key)) sections.add(info.section || file);
  }
  for (const n of diff.added) {
    const info = infoB[n - 1];
    if (info && isProtected(file, info.section, info.key)) sections.add(info.section || file);
  }
  const found = sections.size > 0 ? weakenings(protectedValues(file, a, infoA), protectedValues(file, b, infoB)) : [];
  return { touched: sections.size > 0, sections: [...sections].sort(), weakenings: found };
}
