// Prompt context pieces: a stack trace with library frames folded, and numbered source windows around a line.
import type { Failure, StackFrame } from "../../domain/index.js";
import { escapeRegExp } from "../../parsers/escape-regexp.js";
import { parsePythonTraceback } from "../../parsers/traceback.js";

export interface TrimStackOptions {
  /** Project/test frames kept (the innermost ones); default 30. */
  maxFrames?: number;
  /** Drop library frames entirely instead of folding them to one line. */
  projectOnly?: boolean;
  /** Cap for the raw-text fallback when no frames could be parsed; default 4000 characters. */
  maxChars?: number;
}

const LIBRARY_PATH = /(?:site-packages|dist-packages|[\\/]lib[\\/]python\d|^<frozen |^<string>)/;

/** A frame's kind when the parser did not set one: installed packages and the stdlib count as library code. */
export const frameKind = (f: StackFrame): NonNullable<StackFrame["kind"]> =>
  f.kind ?? (LIBRARY_PATH.test(f.file) || f.file.startsWith("/") ? "library" : "project");

const shortLibPath = (file: string): string => {
  const m = /(?:site-packages|dist-packages)[\\/](.+)$/.exec(file) ?? /[\\/]lib[\\/]python[\d.]+[\\/](.+)$/.exec(file);
  return m?.[1] ?? file;
};

/** Cuts text to `max` characters keeping the head and the tail, marking the cut. */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 40) return text.slice(0, max);
  const head = Math.floor(max * 0.4);
  const tail = max - head - 30;
  return `${text.slice(0, head)}\n… [${text.length - head - tail} characters cut] …\n${text.slice(text.length - tail)}`;
}

/**
 * The trace as the model sees it: project and test frames with their code line, each run of library frames
 * folded to one line, then the exception. Falls back to the raw text, cut in the middle, when no frames exist.
 */
export function trimStackTrace(failure: Failure, options: TrimStackOptions = {}): string {
  const maxFrames = options.maxFrames ?? 30;
  let frames = failure.frames;
  if (frames.length === 0 && failure.stackTrace.trim() !== "") frames = parsePythonTraceback(failure.stackTrace).frames;
  const exception = `${failure.errorType}: ${failure.errorMessage}`;
  if (frames.length === 0) {
    const raw = failure.stackTrace.trim();
    return raw === "" ? exception : cutMiddle(raw, options.maxChars ?? 4000);
  }
  const out: string[] = [];
  let folded: StackFrame[] = [];
  const flush = (): void => {
    if (folded.length === 0) return;
    if (!options.projectOnly) {
      const names = [...new Set(folded.map((f) => shortLibPath(f.file)))];
      const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? ", …" : "");
      out.push(`  … ${folded.length} library frame${folded.length === 1 ? "" : "s"} folded (${shown})`);
    }
    folded = [];
  };
  const own = frames.filter((f) => frameKind(f) === "project" || frameKind(f) === "test");
  // Keep the innermost project frames: the error sits at the bottom of the trace.
  const keep = new Set(own.slice(-maxFrames));
  if (own.length > maxFrames) out.push(`  … ${own.length - maxFrames} outer project frames omitted`);
  for (const f of frames) {
    const kind = frameKind(f);
    if (kind === "library" || kind === "stdlib") {
      folded.push(f);
      continue;
    }
    if (!keep.has(f)) continue;
    flush();
    out.push(`  ${f.file}:${f.line} in ${f.function}${kind === "test" ? " [test]" : ""}`);
    if (f.code !== undefined && f.code.trim() !== "") out.push(`      ${f.code.trim()}`);
  }
  flush();
  const chain = (failure.chain ?? []).map((c) => `  (chained from ${c.errorType}: ${c.errorMessage})`);
  return [...out, ...chain, exception].join("\n");
}

/** A slice of a file with line numbers, the focus line marked with ">". */
export interface SourceWindow {
  file: string;
  startLine: number;
  endLine: number;
  focusLine: number | null;
  text: string;
}

/**
 * Lines focusLine-radius … focusLine+radius, numbered ("> 15 | code" on the focus line). With no focus line the
 * window starts at the top. Very long lines (minified code) are cut so one line cannot eat the budget.
 */
export function sourceWindow(file: string, source: string, focusLine: number | null, radius = 10, maxLineChars = 240): SourceWindow {
  const total = splitLines(source).length;
  const focus = focusLine !== null && focusLine >= 1 && focusLine <= total ? focusLine : null;
  const start = focus === null ? 1 : Math.max(1, focus - radius);
  const end = focus === null ? 2 * radius + 1 : focus + radius;
  return sourceRange(file, source, start, end, focus, maxLineChars);
}

const splitLines = (source: string): string[] => {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
};

/** Lines start … end (clamped to the file), numbered, with `mark` flagged by ">". */
export function sourceRange(
  file: string,
  source: string,
  start: number,
  end: number,
  mark: number | null,
  maxLineChars = 240,
): SourceWindow {
  const lines = splitLines(source);
  const from = Math.max(1, start);
  const to = Math.min(lines.length, end);
  const width = String(to).length;
  const body: string[] = [];
  for (let n = from; n <= to; n++) {
    const raw = lines[n - 1] ?? "";
    const text = raw.length > maxLineChars ? `${raw.slice(0, maxLineChars)} … [line cut]` : raw;
    body.push(`${n === mark ? ">" : " "} ${String(n).padStart(width)} | ${text}`);
  }
  return { file, startLine: from, endLine: to, focusLine: mark, text: body.join("\n") };
}

/** The line of the failing test to centre its window on: its frame in the trace, else its `def` line. */
export function testFocusLine(failure: Failure, testSource: string | undefined): number | null {
  const inTest = failure.frames.filter((f) => f.file === failure.testFile);
  const last = inTest[inTest.length - 1];
  if (last !== undefined) return last.line;
  if (testSource !== undefined) {
    const name = failure.testName.replace(/\[.*$/, "").split("::").pop() ?? failure.testName;
    const idx = testSource.split("\n").findIndex((l) => new RegExp(`^\\s*(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(`).test(l));
    if (idx >= 0) return idx + 1;
  }
  return failure.lineNumber;
}

/** A definition the failing line calls, found through the test file's imports. */
export interface CalledDefinition {
  file: string;
  name: string;
  line: number;
}

const NOT_CALLEES = new Set([
  "assert",
  "print",
  "len",
  "str",
  "int",
  "float",
  "bool",
  "list",
  "dict",
  "set",
  "tuple",
  "range",
  "isinstance",
  "round",
  "sum",
  "min",
  "max",
  "sorted",
  "any",
  "all",
  "abs",
  "repr",
  "type",
  "getattr",
  "hasattr",
  "raises",
  "approx",
]);

/** Project files a test imports from: `from a.b import c` → a/b.py, a/b/__init__.py, a/b/c.py; `import a.b` → a/b.py. */
export function importedModuleFiles(testSource: string): string[] {
  const out: string[] = [];
  const add = (mod: string): void => {
    const base = mod.replace(/\./g, "/");
    out.push(`${base}.py`, `${base}/__init__.py`, `src/${base}.py`, `src/${base}/__init__.py`);
  };
  for (const m of testSource.matchAll(/^\s*from\s+([A-Za-z_][\w.]*)\s+import\s+\(?([^)\n]+)/gm)) {
    add(m[1]!);
    for (const name of m[2]!.split(",")) {
      const n = name
        .trim()
        .split(/\s+as\s+/)[0]!
        .trim();
      if (/^[A-Za-z_]\w*$/.test(n)) add(`${m[1]}.${n}`);
    }
  }
  for (const m of testSource.matchAll(/^\s*import\s+([A-Za-z_][\w.]*)/gm)) add(m[1]!);
  return [...new Set(out)];
}

/**
 * When the error surfaces in the test (a failed assert), the bug usually sits in a function the failing line calls.
 * Finds those functions' `def` lines in the modules the test imports; at most `limit` of them.
 */
export function calledDefinitions(
  testSource: string,
  focusLine: number | null,
  readProjectFile: (rel: string) => string | undefined,
  limit = 2,
): CalledDefinition[] {
  if (focusLine === null) return [];
  const line = testSource.split("\n")[focusLine - 1] ?? "";
  const names = [...line.matchAll(/([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]!).filter((n) => !NOT_CALLEES.has(n) && !n.startsWith("test_"));
  if (names.length === 0) return [];
  const found: CalledDefinition[] = [];
  for (const file of importedModuleFiles(testSource)) {
    const src = readProjectFile(file);
    if (src === undefined) continue;
    const lines = src.split("\n");
    for (const name of names) {
      const idx = lines.findIndex((l) => new RegExp(`^\\s*(?:async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(`).test(l));
      if (idx >= 0 && !found.some((f) => f.file === file && f.name === name)) found.push({ file, name, line: idx + 1 });
      if (found.length >= limit) return found;
    }
  }
  return found;
}
