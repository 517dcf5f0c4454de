// startStandbyAhead: `redgreen run` starts its first run's standby at start-up, while the rest of redgreen loads.
import { resolve } from "node:path";
import type { RunnerName } from "../domain/runner-choice.js";
import { uncheckedInterpreter } from "../python/interpreter.js";
import { detectRunner } from "./detect.js";
import { findRunnerBin } from "./js/project-files.js";
import { pytestStartEnv } from "./pytest/command.js";
import { pytestStandbyLauncher } from "./pytest/standby.js";
import { startStandbyAheadWith } from "./standby.js";
import { jsRunnerEnv, testProcessEnv } from "./test-env.js";
import { vitestStandbyLauncher } from "./vitest/standby.js";

/** What `redgreen run` knows of its project at start-up (its flags). */
export interface StandbyAheadOptions {
  projectRoot: string;
  runner?: RunnerName | undefined;
  python?: string | undefined;
  passEnv?: readonly string[] | undefined;
}

/**
 * Starts the standby of a project's first run before its adapter exists, for pytest (the interpreter known without
 * starting it) and vitest, named or detected; the environment is the one the adapter's runs get (the --pass-env choice
 * included). The adapter's first run takes it, and it refuses a run it could run differently.
 */
export async function startStandbyAhead(options: StandbyAheadOptions): Promise<void> {
  const projectRoot = resolve(options.projectRoot);
  const runner = options.runner ?? (await detectRunner(projectRoot).catch(() => null))?.runner;
  const env = testProcessEnv(process.env, options.passEnv);
  if (runner === "pytest") {
    const python = uncheckedInterpreter(projectRoot, options.python);
    if (python !== null) startStandbyAheadWith(pytestStandbyLauncher(python), projectRoot, pytestStartEnv(env));
  } else if (runner === "vitest") {
    const bin = findRunnerBin(projectRoot, "vitest");
    const launcher = bin === null ? null : vitestStandbyLauncher(bin);
    if (launcher !== null) startStandbyAheadWith(launcher, projectRoot, jsRunnerEnv(env));
  }
}
