// createRunnerAdapter: the TestRunnerAdapter for a project: the runner named by --runner, else the one detected.
import type { RunnerChoice } from "../domain/runner-choice.js";
import type { RunnerName, TestRunnerAdapter } from "./adapter.js";
import { guardAdapter } from "../proof/guard.js";
import { detectRunner } from "./detect.js";
import { createJestAdapter } from "./jest/adapter.js";
import { createPytestAdapter } from "./pytest/adapter.js";
import { createVitestAdapter } from "./vitest/adapter.js";

export interface CreateRunnerAdapterOptions {
  projectRoot: string;
  /** The runner to use; detected from the project's config files and package.json when absent. */
  runner?: RunnerName | undefined;
  /** pytest only: the interpreter (default: the project's .venv/venv, else python3). */
  python?: string | undefined;
  testTimeoutSeconds?: number | undefined;
  runTimeoutSeconds?: number | undefined;
  /** Model credentials the test process gets anyway (`--pass-env`); by default it gets none. */
  passEnv?: readonly string[] | undefined;
}

/** The runner to drive and why: the one named by --runner, else the one detected (throws `config` when workspaces disagree). */
export async function chooseRunner(projectRoot: string, runner?: RunnerName): Promise<RunnerChoice> {
  return runner !== undefined ? { runner, reason: "named by --runner", fallback: false } : detectRunner(projectRoot);
}

/**
 * Builds the adapter for the chosen (or detected) runner, every run guarded (src/proof/guard.ts); throws the runner's
 * own one-line error when it cannot run.
 */
export async function createRunnerAdapter(options: CreateRunnerAdapterOptions): Promise<TestRunnerAdapter> {
  return guardAdapter(await createInnerAdapter(options));
}

async function createInnerAdapter(options: CreateRunnerAdapterOptions): Promise<TestRunnerAdapter> {
  const { runner } = await chooseRunner(options.projectRoot, options.runner);
  const common = {
    ...(options.testTimeoutSeconds !== undefined ? { testTimeoutSeconds: options.testTimeoutSeconds } : {}),
    ...(options.runTimeoutSeconds !== undefined ? { runTimeoutSeconds: options.runTimeoutSeconds } : {}),
    passEnv: options.passEnv,
  };
  switch (runner) {
    case "pytest":
      return createPytestAdapter({ projectRoot: options.projectRoot, ...(options.python !== undefined ? { python: options.python } : {}), ...common });
    case "vitest":
      return createVitestAdapter({ projectRoot: options.projectRoot, ...common });
    case "jest":
      return createJestAdapter({ projectRoot: options.projectRoot, ...common });
  }
}
