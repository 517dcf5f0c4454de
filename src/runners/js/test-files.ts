// Which project files are tests for a JS runner: *.test.*, *.spec.*, __tests__/, and the runner's config files.
const TEST_NAME_RE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const SOURCE_RE = /\.[cm]?[jt]sx?$/;

/** Whether a project-relative path is a test (or test configuration) file; `configRe` matches the runner's config file names. */
export function isJsTestFile(relPath: string, configRe: RegExp): boolean {
  const parts = relPath.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  const base = parts[parts.length - 1] ?? "";
  if (TEST_NAME_RE.test(base) || configRe.test(base)) return true;
  return SOURCE_RE.test(base) && parts.slice(0, -1).includes("__tests__");
}

/** vitest's config files (vite's too: a vite config can hold the test block). */
export const VITEST_CONFIG_RE = /^(?:vitest|vite)\.(?:config|workspace)\.[cm]?[jt]s$|^vitest\.workspace\.json$/;
/** jest's config files. */
export const JEST_CONFIG_RE = /^jest\.config\.(?:[cm]?[jt]s|json)$/;
