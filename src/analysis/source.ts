// Reading a project's sources for the analyzer: files by relative path, definitions, function bodies.
import { walkTree } from "../fs-tree.js";
import { escapeRegExp } from "../parsers/escape-regexp.js";
import { readProjectText } from "../project-path.js";
import { isTestPath } from "./frames.js";
import { isScriptPath } from "./language.js";

/** Read access to the project's sources; tests may pass an in-memory one. */
export interface SourceReader {
  /** The file's lines (index 0 = line 1), or null when it cannot be read or lies outside the project (symlinks followed). */
  lines(relPath: string): string[] | null;
  /** Project-relative paths of the project's .py files (vendored and hidden folders excluded). */
  pythonFiles(): string[];
  /** Project-relative paths of the project's TypeScript/JavaScript files (.d.ts, vendored and hidden folders excluded). */
  scriptFiles(): string[];
}

/** Folders never read for Python sources: dependencies, caches and build output (hidden folders are skipped too). */
export const PYTHON_SKIP_DIRS: ReadonlySet<string> = new Set([
  "node_modules",
  "site-packages",
  "dist-packages",
  "__pycache__",
  "venv",
  "env",
  "build",
  "dist",
]);
/** JS projects also keep generated scripts in coverage reports and framework output folders. */
const SCRIPT_SKIP_DIRS = new Set([...PYTHON_SKIP_DIRS, "coverage", "out"]);
const MAX_FILES = 5000;

/** A SourceReader over the project's files (never one outside its real root), caching what it read. */
export function createFsSourceReader(projectRoot: string): SourceReader {
  const cache = new Map<string, string[] | null>();
  let python: string[] | null = null;
  let scripts: string[] | null = null;
  return {
    lines(relPath) {
      if (!cache.has(relPath)) cache.set(relPath, readProjectText(projectRoot, relPath)?.split(/\r?\n/) ?? null);
      return cache.get(relPath) ?? null;
    },
    pythonFiles() {
      return (python ??= listFiles(projectRoot, PYTHON_SKIP_DIRS, (name) => name.endsWith(".py")));
    },
    scriptFiles() {
      return (scripts ??= listFiles(projectRoot, SCRIPT_SKIP_DIRS, (name) => isScriptPath(name) && !/\.d\.[cm]?ts$/.test(name)));
    },
  };
}

/**
 * Project-relative paths of the files whose name passes `wanted`, in a stable order, hidden and vendored folders skipped;
 * the first `maxFiles` only.
 */
export function listFiles(
  projectRoot: string,
  skipDirs: ReadonlySet<string>,
  wanted: (name: string) => boolean,
  maxFiles = MAX_FILES,
): string[] {
  const found: string[] = [];
  walkTree(
    projectRoot,
    {
      folder: (_abs, _rel, name) => !name.startsWith(".") && !skipDirs.has(name),
      file: (_abs, rel, name) => {
        if (wanted(name)) found.push(rel);
      },
    },
    { sorted: true, done: () => found.length >= maxFiles },
  );
  return found;
}

/** A def found in the sources. */
export interface Definition {
  file: string;
  line: number;
  function: string;
  /** Column of the `def`: 0 for module-level functions. */
  indent: number;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const isCode = (line: string): boolean => line.trim() !== "" && !line.trimStart().startsWith("#");

/** Where `def name` (or `async def name`) is defined in the project's non-test code; inside `class className` when given. */
export function findDefinitions(reader: SourceReader, name: string, className?: string): Definition[] {
  const defRe = new RegExp(`^(\\s*)(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(`);
  const classRe = className ? new RegExp(`^(\\s*)class\\s+${escapeRegExp(className)}\\b`) : null;
  const out: Definition[] = [];
  for (const file of reader.pythonFiles()) {
    if (isTestPath(file)) continue;
    const lines = reader.lines(file);
    if (!lines) continue;
    let classIndent: number | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (classRe) {
        const c = classRe.exec(line);
        if (c) {
          classIndent = c[1]!.length;
          continue;
        }
        if (classIndent !== null && isCode(line) && indentOf(line) <= classIndent) classIndent = null;
        if (classIndent === null) continue;
      }
      const d = defRe.exec(line);
      if (d && (classRe ? d[1]!.length > classIndent! : true)) out.push({ file, line: i + 1, function: name, indent: d[1]!.length });
    }
  }
  return out;
}

/** Project modules a file imports from (`from shop.pricing import add` → "shop.pricing"; `import shop.cart` → "shop.cart"). */
export function importedModules(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^\s*from\s+([\w.]+)\s+import\b|^\s*import\s+([\w.]+)/.exec(l);
    if (m) out.push((m[1] ?? m[2])!);
  }
  return out;
}

/** Whether a module-level name (def, class or assignment) is defined in a file. */
export function definesTopLevelName(lines: string[], name: string): boolean {
  const re = new RegExp(
    `^(?:(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(|class\\s+${escapeRegExp(name)}\\b|${escapeRegExp(name)}\\s*(?::[^=]*)?=[^=])`,
  );
  return lines.some((l) => re.test(l));
}

/** The 1-based [first, last] lines of the function enclosing `line` (first = its def line), or null at module level. */
export function enclosingFunction(lines: string[], line: number): { start: number; end: number; name: string } | null {
  const target = lines[line - 1];
  if (target === undefined) return null;
  let indent = isCode(target) ? indentOf(target) : Number.MAX_SAFE_INTEGER;
  for (let i = line - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!isCode(l)) continue;
    const d = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(l);
    if (d && (d[1]!.length < indent || i === line - 1)) {
      return { start: i + 1, end: blockEnd(lines, i), name: d[2]! };
    }
    indent = Math.min(indent, indentOf(l));
  }
  return null;
}

/** The last line (1-based) of the indented block opened at 0-based index `openIdx`. */
export function blockEnd(lines: string[], openIdx: number): number {
  const base = indentOf(lines[openIdx]!);
  let last = openIdx + 1;
  for (let i = openIdx + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!isCode(l)) continue;
    if (indentOf(l) <= base) break;
    last = i + 1;
  }
  return last;
}

/** Attribute names a class defines: methods, class-level names and `self.x = ...` assignments. */
export function classAttributes(reader: SourceReader, className: string): Set<string> {
  const names = new Set<string>();
  const classRe = new RegExp(`^(\\s*)class\\s+${escapeRegExp(className)}\\b`);
  for (const file of reader.pythonFiles()) {
    const lines = reader.lines(file);
    if (!lines) continue;
    for (let i = 0; i < lines.length; i++) {
      const c = classRe.exec(lines[i]!);
      if (!c) continue;
      const end = blockEnd(lines, i);
      const firstBody = lines.slice(i + 1, end).find(isCode);
      const bodyIndent = firstBody === undefined ? -1 : indentOf(firstBody);
      for (let j = i + 1; j < end; j++) {
        const l = lines[j]!;
        const def = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(l);
        if (def) names.add(def[1]!);
        const classLevel = /^\s*([A-Za-z_]\w*)\s*(?::|=(?!=))/.exec(l);
        if (classLevel && indentOf(l) === bodyIndent) names.add(classLevel[1]!);
        for (const m of l.matchAll(/\bself\.([A-Za-z_]\w*)\s*(?::[^=]*)?=[^=]/g)) names.add(m[1]!);
      }
    }
  }
  return names;
}

/**
 * `compute(reader, key)` remembered for the reader's lifetime: a reader's files are fixed while it lives, so one analysis
 * pass over thousands of failures (one reader) reads and tokenises each file once.
 */
export function readerMemo<T>(compute: (reader: SourceReader, key: string) => T): (reader: SourceReader, key: string) => T {
  const memo = new WeakMap<SourceReader, Map<string, T>>();
  return (reader, key) => {
    let known = memo.get(reader);
    if (!known) memo.set(reader, (known = new Map()));
    if (!known.has(key)) known.set(key, compute(reader, key));
    return known.get(key) as T;
  };
}

/** The identifiers of one of the reader's Python files, for typo suggestions. */
export const pythonFileIdentifiers = readerMemo((reader, relPath) => identifiersIn((reader.lines(relPath) ?? []).join("\n")));

/** Identifiers used in some Python text (keywords excluded), for typo suggestions. */
export function identifiersIn(text: string): Set<string> {
  const out = new Set<string>();
  const stripped = text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "''").replace(/#.*$/gm, "");
  for (const m of stripped.matchAll(/\b[A-Za-z_]\w*\b/g)) if (!PY_KEYWORDS.has(m[0])) out.add(m[0]);
  return out;
}

const PY_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for from global if import in " +
    "is lambda nonlocal not or pass raise return try while with yield self"
  ).split(" "),
);
