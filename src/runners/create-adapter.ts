// createRunnerAdapter: the TestRunnerAdapter for a project: the runner named by --runner, else the one detected.
import type { RunnerChoice } from "../domain/runner-choice.js";
import type { RunnerName, TestRunnerAdapter } from "./adapter.js";
import { guardAdapter } from "../proof/guard.js";
import { detectRunner } from "./detect.js";
import { withRunnerArgs } from "./runner-args.js";
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
  /** The user's runner args (`redgreen run -- -k smoke`), checked against the runner's allow-list and put on every run. */
  runnerArgs?: readonly string[] | undefined;
  /** false keeps pytest off pytest-xdist (`--no-parallel`); by default big runs get `-n auto` when xdist is installed. */
  parallel?: boolean | undefined;
  /** pytest only: false for an adapter that runs once (no standby process for a next run; see PytestAdapterOptions). */
  standby?: boolean | undefined;
}

/** The runner to drive and why: the one named by --runner, else the one detected (throws `config` when workspaces disagree). */
export async function chooseRunner(projectRoot: string, runner?: RunnerName): Promise<RunnerChoice> {
  return runner !== undefined ? { runner, reason: "named by --runner", fallback: false } : detectRunner(projectRoot);
}

/**
 * Builds the adapter for the chosen (or detected) runner, every run guarded (src/proof/guard.ts) and given the runner
 * args; throws the runner's own one-line error when it cannot run, a usage error for a refused runner arg.
 */
export async function createRunnerAdapter(options: CreateRunnerAdapterOptions): Promise<TestRunnerAdapter> {
  return withRunnerArgs(guardAdapter(await createInnerAdapter(options)), options.runnerArgs);
}

async function createInnerAdapter(options: CreateRunnerAdapterOptions): Promise<TestRunnerAdapter> {
  const { runner } = await chooseRunner(options.projectRoot, options.runner);
  const common = {
    testTimeoutSeconds: options.testTimeoutSeconds,
    runTimeoutSeconds: options.runTimeoutSeconds,
    passEnv: options.passEnv,
  };
  switch (runner) {
    case "pytest":
      return createPytestAdapter({
        projectRoot: options.projectRoot,
        python: options.python,
        parallel: options.parallel ?? true,
        standby: options.standby ?? true,
        ...common,
      });
    case "vitest":
      return createVitestAdapter({ projectRoot: options.projectRoot, standby: options.standby ?? true, ...common });
    case "jest":
      return createJestAdapter({ projectRoot: options.projectRoot, ...common });
  }
}
