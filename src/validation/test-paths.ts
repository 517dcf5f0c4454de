// Which project files are tests or test configuration (the files a fix may not quietly change): every language's rule.
import { LANGUAGES, type LanguageSupport } from "../languages/index.js";

export { isPytestTestPath } from "../analysis/language.js";

/**
 * "test": a test module, conftest, anything under a tests/ folder, a vitest/jest snapshot or setup file (checked like a
 * test file: only added imports pass); "config": a file that may hold test settings.
 */
export type TestPathKind = "test" | "config" | null;

const languages = (): LanguageSupport[] => Object.values<LanguageSupport>(LANGUAGES);

/**
 * Classifies a project-relative path by every language's conventions (LanguageSupport.isTestConfigPath, isTestPath);
 * `isTestFile` (a runner's rule: its setup files, the files it reported as tests) adds to them.
 */
export function classifyTestPath(relPath: string, isTestFile?: (relPath: string) => boolean): TestPathKind {
  if (languages().some((l) => l.isTestConfigPath(relPath))) return "config";
  if (languages().some((l) => l.isTestPath(relPath)) || isTestFile?.(relPath)) return "test";
  return null;
}
