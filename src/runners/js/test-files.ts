// Which project files are tests for a JS runner: the vitest/jest naming rule, setup files, and the runner's config files.
import { isJsTestPath } from "../../analysis/language.js";
import { isJsSetupPath } from "./config-files.js";

/** vitest's and jest's conventions for the files that make the tests: the naming rule (isJsTestPath) and setup files. */
export const isJsTestOrSetupPath = (relPath: string): boolean => isJsTestPath(relPath) || isJsSetupPath(relPath);

/**
 * Whether a project-relative path is a test (or test configuration) file: a test or setup file by convention
 * (isJsTestOrSetupPath), or a file name the runner's config rule (`isConfigName`) accepts.
 */
export function isJsTestFile(relPath: string, isConfigName: (base: string) => boolean): boolean {
  const norm = relPath.replace(/\\/g, "/");
  const base = norm.slice(norm.lastIndexOf("/") + 1);
  return isJsTestOrSetupPath(norm) || isConfigName(base);
}
