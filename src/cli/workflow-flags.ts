// The flags `run` and `resume` share: interpreter, database, timeouts and the model.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { RedgreenError } from "../domain/errors.js";
import type { RunnerName } from "../domain/runner-choice.js";
import { RUNNER_NAMES } from "../domain/runner-names.js";
import { ENV_NAME } from "../runners/test-env.js";
import { parseSeconds, usageError } from "./args.js";
import type { CliContext } from "./context.js";
import type { WorkflowDepsInput } from "../../graph/runtime.js";

/** parseArgs declarations of the service flags inspect's replays take too: interpreter, database, timeout, model. */
export const storedServiceFlagOptions = {
  python: { type: "string" },
  db: { type: "string" },
  "test-timeout": { type: "string" },
  model: { type: "string" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
} as const;

/** parseArgs declarations of the flags that configure the services: runner, interpreter, database, timeout, model. */
export const serviceFlagOptions = {
  runner: { type: "string" },
  ...storedServiceFlagOptions,
  "pass-env": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** parseArgs declarations for the flags `run` and `resume` share. */
export const workflowFlagOptions = {
  ...serviceFlagOptions,
  "run-timeout": { type: "string" },
  "no-parallel": { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** The project folder named by a command's PATH argument (default: the current directory); path_not_found otherwise. */
export function projectDirFromArg(ctx: Pick<CliContext, "cwd">, path: string | undefined): string {
  const dir = resolve(ctx.cwd, path ?? ".");
  if (!existsSync(dir)) throw new RedgreenError("path_not_found", `no such directory: ${path ?? dir}`);
  if (!statSync(dir).isDirectory()) throw new RedgreenError("path_not_found", `${path ?? dir} is a file, not a project directory`);
  return dir;
}

/** Help line for --pass-env, which every command that runs tests takes. */
export const passEnvHelp = `  --pass-env NAME    let the tests see this model credential (repeatable); by default the test process gets
                     none of OPENAI_*, ANTHROPIC_*, REDGREEN_MODEL and the other providers' API keys`;

/** The --pass-env names, each checked to be an environment variable name. */
export function parsePassEnv(names: readonly string[] | undefined): string[] | undefined {
  for (const name of names ?? [])
    if (!ENV_NAME.test(name)) throw usageError(`--pass-env needs an environment variable name, got '${name}'`);
  return names === undefined ? undefined : [...names];
}

/** Help line for --no-parallel, which every command that runs tests takes. */
export const noParallelHelp = `  --no-parallel      keep pytest off pytest-xdist (by default the suite and big selections run with -n auto
                     when the project's interpreter has xdist and neither the args nor the project's addopts set -n)`;

/** Help lines for the runner args of `run` and `test`. */
export const runnerArgsHelp =
  `  -- ARGS...         arguments for the test runner on every run (allow-listed: pytest -k -m -n --dist ` +
  `--deselect
                     --ignore --ignore-glob -W --runxfail --strict-markers --import-mode and paths/node ids;
                     vitest -t --project --pool --maxWorkers and filters; jest -t --testPathPattern(s)
                     --selectProjects -w -i and patterns); anything that could fake a green is refused`;

/** Help lines for the shared flags. */
export const workflowFlagHelp = `  --json             print one JSON object (the run summary) on stdout; progress stays on stderr
  --runner R         pytest, vitest or jest (default: detected from the project's config and package.json)
  --python P         Python interpreter (default: PATH/.venv or PATH/venv, else python3 on PATH)
  --db P             database file (default: PATH/.redgreen/redgreen.db, or $REDGREEN_DB)
  --test-timeout S   per-test timeout in seconds, exact (default: pytest max(60, 5x slowest test), vitest/jest the project's own; 0 = off)
  --run-timeout S    hard limit for each run of the test suite in seconds (default 900)
  --model M          model for LLM fixes (or $REDGREEN_MODEL); "provider:model" for non-OpenAI providers
  --base-url U       OpenAI-compatible server (or $OPENAI_BASE_URL), e.g. http://localhost:11434/v1
  --api-key K        API key (or $OPENAI_API_KEY)
${passEnvHelp}
${noParallelHelp}
  -q, --quiet        no progress lines on stderr
  -h, --help         show this help`;

interface SharedValues {
  runner?: string | undefined;
  python?: string | undefined;
  db?: string | undefined;
  "test-timeout"?: string | undefined;
  "run-timeout"?: string | undefined;
  model?: string | undefined;
  "base-url"?: string | undefined;
  "api-key"?: string | undefined;
  "pass-env"?: string[] | undefined;
  "no-parallel"?: boolean | undefined;
}

/** The WorkflowDepsInput fields the shared flags set. */
export function depsInputFromFlags(values: SharedValues): Omit<WorkflowDepsInput, "projectRoot"> {
  return {
    runner: parseRunner(values.runner),
    python: values.python,
    db: values.db,
    testTimeoutSeconds: parseSeconds("--test-timeout", values["test-timeout"], { allowZero: true }),
    runTimeoutSeconds: parseSeconds("--run-timeout", values["run-timeout"], { allowZero: false }),
    model: values.model,
    baseUrl: values["base-url"],
    apiKey: values["api-key"],
    passEnv: parsePassEnv(values["pass-env"]),
    parallel: values["no-parallel"] === true ? false : undefined,
  };
}

/** The --runner value checked against the runners redgreen drives (undefined: detect from the project). */
export function parseRunner(value: string | undefined): RunnerName | undefined {
  if (value === undefined) return undefined;
  if ((RUNNER_NAMES as readonly string[]).includes(value)) return value as RunnerName;
  throw new RedgreenError("usage", `--runner must be one of ${RUNNER_NAMES.join(", ")}, got '${value}'`);
}
