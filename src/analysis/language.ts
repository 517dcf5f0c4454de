// Which language a project file is written in, from its extension: the analyzer, patterns and validator branch on it.

/** The languages redgreen fixes. */
export type SourceLanguage = "python" | "typescript";

const SCRIPT_EXT_RE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** "python" for .py/.pyi, "typescript" for TypeScript and JavaScript files (.ts .tsx .mts .cts .js .jsx .mjs .cjs), else null. */
export function languageOfPath(path: string): SourceLanguage | null {
  if (/\.pyi?$/.test(path)) return "python";
  if (SCRIPT_EXT_RE.test(path)) return "typescript";
  return null;
}

/** vitest's and jest's test-file conventions: *.test.* / *.spec.* scripts and anything under a __tests__/ folder. */
export function isJsTestPath(relPath: string): boolean {
  const parts = relPath.split("/");
  const base = parts[parts.length - 1] ?? "";
  return /\.(?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/.test(base) || parts.slice(0, -1).includes("__tests__");
}
