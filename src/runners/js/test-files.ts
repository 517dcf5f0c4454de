// Which project files are tests for a JS runner: the vitest/jest naming rule, setup files, and the runner's config files.
import { isJsTestPath } from "../../analysis/language.js";
import { isJsSetupPath } from "./config-files.js";

/**
 * Whether a project-relative path is a test (or test configuration) file: the naming rule (isJsTestPath),
 * a setup file by convention, or a file name the runner's config rule (`isConfigName`) accepts.
 */
export function isJsTestFile(relPath: string, isConfigName: (base: string) => boolean): boolean {
  const norm = relPath.replace(/\\/g, "/");
  const base = norm.slice(norm.lastIndexOf("/") + 1);
  return isJsTestPath(norm) || isJsSetupPath(norm) || isConfigName(base);
}
