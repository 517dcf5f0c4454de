// Which project files are tests or test configuration (the files a fix may not quietly change).
import { isJsTestPath } from "../analysis/language.js";
import { isJsSetupPath } from "../runners/js/config-files.js";
import { isPytestConfigPath } from "../languages/python/test-config.js";
import { isJsTestConfigPath } from "../languages/typescript/test-config.js";

/**
 * "test": a test module, conftest, anything under a tests/ folder, a vitest/jest snapshot or setup file (checked like a
 * test file: only added imports pass); "config": a file that may hold test settings.
 */
export type TestPathKind = "test" | "config" | null;

/** pytest's default conventions: test_*.py, *_test.py, conftest.py, and any file under a test/ or tests/ folder. */
export function isPytestTestPath(relPath: string): boolean {
  const parts = relPath.split("/");
  const base = parts[parts.length - 1] ?? "";
  if (base === "conftest.py") return true;
  if (/^test_.*\.py$/.test(base) || /_test\.py$/.test(base)) return true;
  return parts.slice(0, -1).some((dir) => dir === "tests" || dir === "test");
}

/**
 * Classifies a project-relative path; `isTestFile` (a runner's rule: its setup files, the files it reported as
 * tests) adds to the pytest and vitest/jest conventions.
 */
export function classifyTestPath(relPath: string, isTestFile?: (relPath: string) => boolean): TestPathKind {
  if (isPytestConfigPath(relPath) || isJsTestConfigPath(relPath)) return "config";
  if (isPytestTestPath(relPath) || isJsTestPath(relPath) || isJsSetupPath(relPath) || isTestFile?.(relPath)) return "test";
  return null;
}
