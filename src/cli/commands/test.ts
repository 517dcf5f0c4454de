// `redgreen test`: runs a project's tests, stores the run, prints a report (or the TestRunResult as JSON).
import type { TestRunResult } from "../../domain/index.js";
import { chooseRunner, createRunnerAdapter } from "../../runners/create-adapter.js";
import { buildTestReport, ignoreStateDir, openStore, renderTestReport, resolveDbPath } from "../../store/index.js";
import { runnerArgsNote } from "../../runners/runner-args.js";
import { parseCommandArgs, parseSeconds, splitGreedyPositionals, splitRunnerArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { createProgressReporter } from "../progress.js";
import { runnerLine, untrustedNoTests } from "../runner-choice.js";
import { noParallelHelp, parsePassEnv, parseRunner, passEnvHelp, projectDirFromArg, runnerArgsHelp } from "../workflow-flags.js";

export const help = `Usage: redgreen test [PATH] [options] [-- RUNNER_ARGS...]

Runs the tests of the project at PATH (default: the current directory) with its runner
(pytest, vitest or jest, detected from the project), measuring coverage, stores the run
in redgreen's database and prints a report.

Options:
  --files F...       run only these test files or node ids (relative to PATH)
  --runner R         pytest, vitest or jest (default: detected from config files and package.json)
  --json             print the TestRunResult as JSON on stdout, with "runner" (the runner chosen and why);
                     nothing else goes to stdout
  --no-coverage      do not measure coverage (faster)
  --python P         Python interpreter (default: PATH/.venv or PATH/venv, else python3 on PATH)
  --db P             database file (default: PATH/.redgreen/redgreen.db, or $REDGREEN_DB)
  --test-timeout S   per-test timeout in seconds, exact (default: pytest max(60, 5x slowest test), vitest/jest the project's own; 0 = off)
  --run-timeout S    hard limit for the whole run in seconds (default 900)
${passEnvHelp}
${noParallelHelp}
${runnerArgsHelp}
  -q, --quiet        no progress lines on stderr
  -h, --help         show this help

Exit codes: 0 all tests passed, or no tests were found (status "no_tests"; but 2 when pytest was only the
default and PATH has a package.json);
1 tests failed or the run timed out; 2 usage or environment error (missing path,
Python, pytest, vitest or jest, database problem, the runner could not run the suite).
`;

/** The exit code a finished run maps to. */
export function exitCodeFor(result: TestRunResult): number {
  switch (result.status) {
    case "passed":
    case "no_tests":
      return EXIT.ok;
    case "failed":
    case "timeout":
      return EXIT.failed;
    case "error":
      return EXIT.usage;
  }
}

/** One line from a status-"error" message: its lead ("pytest exited with code 3") and the last line of pytest's output. */
export function errorGist(message: string | undefined): string {
  const lines = (message ?? "no details")
    .split("\n")
    .map((l) => l.replace(/^INTERNALERROR>\s?/, "").trim())
    .filter((l) => l !== "" && !/^(no tests ran|=+|[\^~\s]+$)/.test(l));
  const last = lines.at(-1) ?? "no details";
  return lines.length <= 1 ? last : `${lines[0]!.split(": ")[0]}: ${last}`;
}

/** Runs `redgreen test` with the arguments after the command name. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { own: args, runnerArgs } = splitRunnerArgs(argv);
  const { values, tokens } = parseCommandArgs("test", {
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      files: { type: "string", multiple: true },
      json: { type: "boolean" },
      "no-coverage": { type: "boolean" },
      runner: { type: "string" },
      python: { type: "string" },
      db: { type: "string" },
      "test-timeout": { type: "string" },
      "run-timeout": { type: "string" },
      "pass-env": { type: "string", multiple: true },
      "no-parallel": { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const { taken, rest } = splitGreedyPositionals(tokens, "files");
  if (rest.length > 1) throw usageError(`expected one PATH, got ${rest.length}: ${rest.join(" ")} (use --files for test files)`);
  const testTimeoutSeconds = parseSeconds("--test-timeout", values["test-timeout"], { allowZero: true });
  const runTimeoutSeconds = parseSeconds("--run-timeout", values["run-timeout"], { allowZero: false });
  const files = [...(values.files ?? []), ...taken];
  const runner = parseRunner(values.runner);
  const passEnv = parsePassEnv(values["pass-env"]);

  // Checked before the database opens, which would otherwise create PATH/.redgreen/.
  const projectRoot = projectDirFromArg(ctx, rest[0]);

  const store = openStore(resolveDbPath({ projectRoot, db: values.db, env: ctx.env, cwd: ctx.cwd }));
  try {
    ignoreStateDir(store.path);
    const choice = await chooseRunner(projectRoot, runner);
    const adapter = await createRunnerAdapter({
      projectRoot,
      runner: choice.runner,
      python: values.python,
      testTimeoutSeconds,
      runTimeoutSeconds,
      passEnv,
      runnerArgs,
      parallel: values["no-parallel"] !== true,
      // One run: no standby for a next one.
      standby: false,
    });
    const progress = values.quiet ? null : createProgressReporter({ stream: ctx.stderr, tty: ctx.stderr.isTTY, paint: ctx.colour.stderr });
    let result: TestRunResult;
    try {
      result = await adapter.runTests({
        coverage: values["no-coverage"] !== true,
        files: files.length > 0 ? files : undefined,
        onProgress: progress ? (p) => progress.update(p) : undefined,
        signal: ctx.signal,
      });
    } finally {
      progress?.done();
    }
    // An interrupted run is incomplete: it is neither stored nor reported.
    if (ctx.signal.aborted) return EXIT.interrupted;
    const runId = store.saveTestRun(result, { projectPath: projectRoot });
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ ...result, runner: choice, runnerArgs: runnerArgs.length > 0 ? runnerArgs : undefined })}\n`);
    } else {
      const note = runnerArgsNote(runnerArgs);
      ctx.stdout.write(renderTestReport(buildTestReport(result)));
      ctx.stdout.write(`\n${runnerLine(choice)}\n${note === null ? "" : `${note}\n`}Saved as run ${runId} in ${store.path}\n`);
    }
    const untrusted = result.status === "no_tests" ? untrustedNoTests(choice, projectRoot) : null;
    if (untrusted !== null) {
      ctx.stderr.write(`redgreen: ${untrusted}\n`);
      return EXIT.usage;
    }
    const code = exitCodeFor(result);
    if (code === EXIT.usage) ctx.stderr.write(`redgreen: ${adapter.name} could not run the tests: ${errorGist(result.message)}\n`);
    return code;
  } finally {
    store.close();
  }
}
