// How the CLI states the runner it chose, and the one case where "no tests" must not pass as a success.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RunnerChoice } from "../domain/runner-choice.js";

/** One line: "runner: vitest (vitest.config.ts found)". */
export const runnerLine = (choice: RunnerChoice): string => `runner: ${choice.runner} (${choice.reason})`;

/**
 * Why zero tests cannot be trusted, or null: pytest was only the fallback default and the project has a package.json,
 * so the zero most likely means the JS runner was not found, not that the project has no tests.
 */
export function untrustedNoTests(choice: RunnerChoice, projectRoot: string): string | null {
  if (!choice.fallback || !existsSync(join(projectRoot, "package.json"))) return null;
  const fix = "name its runner with --runner vitest or --runner jest";
  return `${choice.runner} found no tests, and it was only the default (${choice.reason}), yet ${projectRoot} has a package.json: ${fix}`;
}
