// `redgreen resume`: continues a workflow from its last checkpoint (after a crash, kill or Ctrl-C).
import { createCheckpointer } from "../../../graph/checkpointer.js";
import { readCheckpointState, resumeWorkflow } from "../../../graph/run.js";
import { parseCommandArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { createWorkflowRuntime } from "../../../graph/runtime.js";
import { createTerminalApprover, createWorkflowEventPrinter } from "../workflow-console.js";
import { depsInputFromFlags, workflowFlagHelp, workflowFlagOptions } from "../workflow-flags.js";
import { openWorkflowFromArgs } from "../workflow-lookup.js";
import { resumeCommand } from "../resume-hint.js";
import { printSummary } from "./run.js";

export const help = `Usage: redgreen resume WORKFLOW_ID [PATH] [options]

Continues the workflow from its last checkpoint with the switches it was started with
(--no-llm, --allow-test-edits, the runner args after --, ...). A fix that was half-applied when the run stopped is
restored first; fixes already kept are not applied again. PATH is the project (default: .),
used to find the database when --db is not given. WORKFLOW_ID may be a unique prefix.

Options:
${workflowFlagHelp}
`;

/** Runs `redgreen resume`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  if (args.includes("--")) throw usageError("resume runs with the runner args the workflow started with; start a new run to change them");
  const { values, positionals } = parseCommandArgs("resume", { args, allowPositionals: true, options: { ...workflowFlagOptions } });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  // Flags are checked before the database is looked up: a bad value is a usage error whatever the workflow.
  const flags = depsInputFromFlags(values);
  const { store, workflow } = openWorkflowFromArgs("resume", positionals, ctx, values.db);
  const dbPath = store.path;
  let switches;
  try {
    switches = (await readCheckpointState(createCheckpointer(store), workflow.id))?.switches ?? null;
  } finally {
    store.close();
  }
  if (switches?.approve && !process.stdin.isTTY)
    throw usageError("this workflow was started with --approve and needs an interactive terminal to resume");
  const runtime = await createWorkflowRuntime({
    projectRoot: workflow.projectPath,
    ...flags,
    // The runner, interpreter and timeout the workflow started with, unless given again.
    python: flags.python ?? switches?.python ?? undefined,
    testTimeoutSeconds: flags.testTimeoutSeconds ?? switches?.testTimeoutSeconds ?? undefined,
    runTimeoutSeconds: flags.runTimeoutSeconds ?? switches?.runTimeoutSeconds ?? undefined,
    runner: flags.runner ?? switches?.runner ?? undefined,
    runnerArgs: switches?.runnerArgs,
    parallel: flags.parallel ?? switches?.parallel,
    db: dbPath,
    env: ctx.env,
    cwd: ctx.cwd,
    lock: { workflowId: workflow.id, command: "resume", note: ctx.stderr },
    options: switches ?? undefined,
    onEvent: values.quiet ? undefined : createWorkflowEventPrinter(ctx, false)!,
  });
  try {
    const summary = await resumeWorkflow(runtime.deps, workflow.id, {
      checkpointer: runtime.checkpointer,
      signal: ctx.signal,
      onApproval: switches?.approve ? createTerminalApprover(ctx) : undefined,
    });
    return printSummary(ctx, summary, values.json === true);
  } catch (e) {
    if (!ctx.signal.aborted) throw e;
    ctx.stderr.write(`redgreen: interrupted; continue with: ${resumeCommand(ctx, workflow.id, workflow.projectPath, values.db)}\n`);
    return EXIT.interrupted;
  } finally {
    await runtime.close();
  }
}
