// `redgreen run`: runs the workflow graph on a project until the suite is green, stuck, or out of iterations.
import { randomUUID } from "node:crypto";
import { MAX_ITERATIONS_CEILING } from "../../../graph/routes.js";
import type { RunSummary } from "../../domain/index.js";
import { reportPhase, timePhase } from "../../process/timings.js";
import { parseCommandArgs, splitRunnerArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { startStandbyAhead } from "../../runners/standby-ahead.js";
import { createTerminalApprover, createWorkflowEventPrinter } from "../workflow-console.js";
import { depsInputFromFlags, projectDirFromArg, runnerArgsHelp, workflowFlagHelp, workflowFlagOptions } from "../workflow-flags.js";
import { renderRunSummary } from "../workflow-report.js";
import { resumeCommand } from "../resume-hint.js";
import { untrustedNoTests } from "../runner-choice.js";

export const help = `Usage: redgreen run [PATH] [options] [-- RUNNER_ARGS...]

Runs the tests of the project at PATH (default: the current directory; pytest, vitest or jest), analyses each
failure, applies validated pattern fixes (and LLM fixes when a model is configured), keeps a fix
only when it fixes a failing test and breaks none, and repeats until green or the iteration cap.

Options:
  --max-iterations N fix rounds at most (default 5, at most ${MAX_ITERATIONS_CEILING})
  --no-llm           never call a model, even when one is configured
  --allow-test-edits let fixes edit test files (always risk "high"; weakening tests stays forbidden)
  --allow-risky      accept fixes that break the fix policy (test infrastructure, exec, network, secrets,
                     file writes) or look overfit to the tests: shown as warnings, always risk "high"
  --approve          show each fix's diff and ask before applying it (needs a terminal)
  --dry-run          verify fixes, then restore every file; the patch is reported only
  --coverage         measure coverage: the first full run with per-test contexts (the impact map), and the
                     full run that proves green (the final coverage); slower. --no-coverage (the default) measures none
${workflowFlagHelp}
${runnerArgsHelp}

Exit codes: 0 the suite ends green (or has no tests); 1 failures remain; 2 usage or environment error
(also: no tests, when pytest was only the default and PATH has a package.json).
The report (and --json's "runner") names the runner chosen and why.
`;

/** The exit code for a finished workflow. */
export const exitCodeForSummary = (s: RunSummary): number =>
  s.status === "passed" || s.status === "no_tests" ? EXIT.ok : s.status === "error" ? EXIT.usage : EXIT.failed;

/** Prints the summary (JSON or text) and returns the exit code. */
export function printSummary(ctx: CliContext, summary: RunSummary, json: boolean): number {
  ctx.stdout.write(json ? `${JSON.stringify(summary)}\n` : renderRunSummary(summary, ctx.colour.stdout));
  return exitCodeForSummary(summary);
}

/** Runs `redgreen run` with the arguments after the command name. */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  reportPhase("start-up: node and the run command's modules", 0);
  const { own: args, runnerArgs } = splitRunnerArgs(argv);
  const { values, positionals } = parseCommandArgs("run", {
    args,
    allowPositionals: true,
    options: {
      ...workflowFlagOptions,
      "max-iterations": { type: "string" },
      "no-llm": { type: "boolean" },
      "allow-test-edits": { type: "boolean" },
      "allow-risky": { type: "boolean" },
      approve: { type: "boolean" },
      "dry-run": { type: "boolean" },
      coverage: { type: "boolean" },
      "no-coverage": { type: "boolean" },
    },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (values.coverage && values["no-coverage"]) throw usageError("--coverage and --no-coverage contradict each other: give one");
  if (positionals.length > 1) throw usageError(`expected one PATH, got ${positionals.length}: ${positionals.join(" ")}`);
  const maxText = values["max-iterations"];
  const maxIterations = maxText === undefined ? 5 : Number(maxText);
  if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > MAX_ITERATIONS_CEILING) {
    throw usageError(`--max-iterations needs a whole number from 1 to ${MAX_ITERATIONS_CEILING}, got '${maxText}'`);
  }
  if (values.approve && !process.stdin.isTTY) {
    throw usageError(
      "--approve asks before each fix and needs an interactive terminal; run without --approve (or with --dry-run) in scripts",
    );
  }
  const projectRoot = projectDirFromArg(ctx, positionals[0]);
  const flags = depsInputFromFlags(values);
  const workflowId = randomUUID();
  // A pytest or vitest project's first run gets its process now, loading the runner while the runtime's modules load.
  await startStandbyAhead({ projectRoot, runner: flags.runner, python: flags.python, passEnv: flags.passEnv });
  const { createWorkflowRuntime } = await import("../../../graph/runtime.js");
  const runtime = await timePhase("open: store, runner, helper, language service, model", () =>
    createWorkflowRuntime({
      projectRoot,
      ...flags,
      runnerArgs,
      env: ctx.env,
      cwd: ctx.cwd,
      lock: { workflowId, command: "run", note: ctx.stderr },
      // The first full run starts once the store is open, while the graph's modules load (below).
      prestartRun: true,
      signal: ctx.signal,
      options: {
        noLlm: values["no-llm"] === true,
        allowTestEdits: values["allow-test-edits"] === true,
        allowRisky: values["allow-risky"] === true,
        approve: values.approve === true,
        dryRun: values["dry-run"] === true,
        coverage: values.coverage === true,
      },
      onEvent: values.quiet ? undefined : createWorkflowEventPrinter(ctx, false)!,
    }),
  );
  const resumeWith = resumeCommand(ctx, workflowId, projectRoot, values.db);
  if (!values.quiet) ctx.stderr.write(`redgreen: workflow ${workflowId} on ${projectRoot} (resume with: ${resumeWith})\n`);
  try {
    const { runWorkflow } = await timePhase("load: the workflow graph's modules", () => import("../../../graph/run.js"));
    const summary = await timePhase("workflow", () =>
      runWorkflow(
        runtime.deps,
        {
          projectRoot,
          maxIterations,
          workflowId,
          python: runtime.python ?? undefined,
          runner: runtime.deps.adapter.name,
          testTimeoutSeconds: flags.testTimeoutSeconds,
          runTimeoutSeconds: flags.runTimeoutSeconds,
          runnerArgs,
          parallel: flags.parallel,
        },
        { checkpointer: runtime.checkpointer, signal: ctx.signal, onApproval: values.approve ? createTerminalApprover(ctx) : undefined },
      ),
    );
    const code = printSummary(ctx, { ...summary, runner: runtime.runnerChoice }, values.json === true);
    const untrusted = summary.status === "no_tests" ? untrustedNoTests(runtime.runnerChoice, projectRoot) : null;
    if (untrusted === null) return code;
    ctx.stderr.write(`redgreen: ${untrusted}\n`);
    return EXIT.usage;
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
    ctx.stderr.write(`redgreen: interrupted; continue with: ${resumeWith}\n`);
    return EXIT.interrupted;
  } finally {
    await runtime.close();
  }
}
