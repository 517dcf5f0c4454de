// Which language a project file is written in, from its extension: the analyzer, patterns and validator branch on it.
import type { Failure } from "../domain/failure.js";
import { pathSegments } from "../domain/node-id.js";

/** The languages redgreen fixes. */
export type SourceLanguage = "python" | "typescript";

const SCRIPT_EXT_RE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const JS_EXT_RE = /\.(?:[cm]?js|jsx)$/;

/** Whether a path is a TypeScript or JavaScript file (.ts .tsx .mts .cts .js .jsx .mjs .cjs): the one script-extension rule. */
export const isScriptPath = (path: string): boolean => SCRIPT_EXT_RE.test(path);

/** Whether a script path is JavaScript (.js .jsx .mjs .cjs), which the compiler reads only with allowJs. */
export const isJavaScriptPath = (path: string): boolean => JS_EXT_RE.test(path);

/** A script path without its extension (`src/cart.ts` → `src/cart`); other paths unchanged. */
export const withoutScriptExtension = (path: string): string => path.replace(SCRIPT_EXT_RE, "");

/** "python" for .py/.pyi, "typescript" for TypeScript and JavaScript files, else null. */
export function languageOfPath(path: string): SourceLanguage | null {
  if (/\.pyi?$/.test(path)) return "python";
  if (isScriptPath(path)) return "typescript";
  return null;
}

/** The language of a failure's code: from the file to fix when known, else the test file (Python when neither says). */
export function failureLanguage(failure: Pick<Failure, "testFile">, fileToFix?: string | null): SourceLanguage {
  for (const file of [fileToFix, failure.testFile]) {
    const language = file ? languageOfPath(file) : null;
    if (language) return language;
  }
  return "python";
}

const JS_TEST_NAME_RE = /\.(?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * vitest's and jest's test-file conventions, the one definition of them: *.test.* / *.spec.* scripts, anything
 * under a __tests__/ folder, and snapshots (*.snap, anything under __snapshots__/), which hold expected values.
 */
export function isJsTestPath(relPath: string): boolean {
  const { dirs, base } = pathSegments(relPath);
  return JS_TEST_NAME_RE.test(base) || base.endsWith(".snap") || dirs.includes("__tests__") || dirs.includes("__snapshots__");
}

const PYTEST_TEST_NAME_RE = /^(?:test_.*|.*_test|conftest)\.py$/;
const PYTEST_TEST_DIRS = new Set(["tests", "test"]);

/**
 * pytest's test-file conventions, the one definition of them: test modules by pytest's default names (test_*.py,
 * *_test.py), conftest.py, and any file under a tests/ or test/ folder (data files too: tests read them).
 */
export function isPytestTestPath(relPath: string): boolean {
  const { dirs, base } = pathSegments(relPath);
  return PYTEST_TEST_NAME_RE.test(base) || dirs.some((d) => PYTEST_TEST_DIRS.has(d));
}

/** Files Python runs as it starts, before any test: sitecustomize, usercustomize, a site folder's .pth files. */
const START_UP_FILE_RE = /^(?:sitecustomize\.py|usercustomize\.py|.*\.pth)$/;
/** Modules of the test process a project module of the same name would replace (the project's root comes first on sys.path). */
const RUNNER_MODULES = new Set(["pytest", "_pytest", "pluggy", "py"]);

/**
 * What decides how a pytest run starts and what it loads as pytest or as redgreen's plugin, wherever it sits in the
 * project: start-up files (a project's own .venv holds site folders), any `redgreen_*` module (redgreen's plugin and its
 * parts load by those names, the root before them), and a top-level module or package named like pytest's own. A fix
 * may change them only as it may change a test.
 */
export function isPytestMachineryPath(relPath: string): boolean {
  const { dirs, base } = pathSegments(relPath);
  if (START_UP_FILE_RE.test(base) || base.startsWith("redgreen_")) return true;
  const top = dirs.length > 0 ? dirs[0]! : base.replace(/\.py$/, "");
  return (dirs.length > 0 || base.endsWith(".py")) && RUNNER_MODULES.has(top);
}

/** A Python file isPytestTestPath holds: a test module or conftest pytest may import. */
export const isPytestTestModule = (relPath: string): boolean => relPath.endsWith(".py") && isPytestTestPath(relPath);
