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

const JS_TEST_NAME_RE = /\.(?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * vitest's and jest's test-file conventions, the one definition of them: *.test.* / *.spec.* scripts, anything
 * under a __tests__/ folder, and snapshots (*.snap, anything under __snapshots__/), which hold expected values.
 */
export function isJsTestPath(relPath: string): boolean {
  const parts = relPath
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  const base = parts[parts.length - 1] ?? "";
  const dirs = parts.slice(0, -1);
  return JS_TEST_NAME_RE.test(base) || base.endsWith(".snap") || dirs.includes("__tests__") || dirs.includes("__snapshots__");
}
