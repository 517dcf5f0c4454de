// `redgreen chat`: an interactive REPL about a project's failures — slash commands, and a chat model when configured.
import { join, resolve } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { resolveDbPath } from "../../store/index.js";
import { parseCommandArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { createChatAgent } from "../chat/agent.js";
import type { ChatAgent } from "../chat/agent.js";
import { renderOpening } from "../chat/render.js";
import { runRepl } from "../chat/repl.js";
import { currentFailures, latestRun, undoneSince } from "../chat/session.js";
import type { ChatSession } from "../chat/session.js";
import { createWorkflowRuntime } from "../../../graph/runtime.js";
import type { WorkflowRuntime } from "../../../graph/runtime.js";
import { depsInputFromFlags, passEnvHelp, projectDirFromArg, serviceFlagOptions } from "../workflow-flags.js";

export const help = `Usage: redgreen chat [PATH] [options]

An interactive session about the failing tests of the project at PATH (default: the current
directory). It opens on the project's latest workflow (or --workflow ID) with a summary.

Slash commands (no model needed): /run /failures /show N /analyze N /fix N /undo /diff
/history /graph /runs /help /quit. Anything else is a question for the chat model, answered
with the failures and the fix history in its context; the conversation is saved per workflow,
so \`redgreen chat --workflow ID\` continues it.

Options:
  --workflow ID      the workflow to talk about (default: the project's newest)
  --runner R         pytest, vitest or jest (default: detected from the project)
  --python P         Python interpreter (default: PATH/.venv or PATH/venv, else python3 on PATH)
  --db P             database file (default: PATH/.redgreen/redgreen.db, or $REDGREEN_DB)
  --test-timeout S   per-test timeout in seconds (default: pytest max(60, 5x slowest test), vitest/jest the project's own)
  --model M          chat and fix model (or $REDGREEN_MODEL); "provider:model" for non-OpenAI providers
  --base-url U       OpenAI-compatible server (or $OPENAI_BASE_URL), e.g. http://localhost:11434/v1
  --api-key K        API key (or $OPENAI_API_KEY)
${passEnvHelp}
  -h, --help         show this help

Keys: Tab completes commands, up-arrow recalls earlier input (kept in .redgreen/chat_history),
Ctrl-C cancels the running action, Ctrl-D leaves.
`;

/** Runs `redgreen chat`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("chat", {
    args,
    allowPositionals: true,
    options: { ...serviceFlagOptions, workflow: { type: "string" } },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`expected one PATH, got ${positionals.length}: ${positionals.join(" ")}`);
  let projectRoot = projectDirFromArg(ctx, positionals[0]);
  const db = resolveDbPath({ projectRoot, db: values.db, env: ctx.env, cwd: ctx.cwd });
  const open = (root: string): Promise<WorkflowRuntime> =>
    // The REPL shows coverage with each run, as `redgreen test` does: it opts in (the workflow's default is off).
    createWorkflowRuntime({
      ...depsInputFromFlags(values),
      projectRoot: root,
      db,
      env: ctx.env,
      cwd: ctx.cwd,
      options: { coverage: true },
    });

  let runtime = await open(projectRoot);
  let agent: ChatAgent | null = null;
  try {
    let workflowId: string | null;
    if (values.workflow !== undefined) {
      const wf = runtime.deps.store.getWorkflow(values.workflow);
      if (wf === null) throw new RedgreenError("not_found", `no workflow with id ${values.workflow} in ${db}`);
      if (resolve(wf.projectPath) !== projectRoot) {
        // The workflow belongs to another project folder: its files are what /fix, /undo and /run work on.
        await runtime.close();
        projectRoot = wf.projectPath;
        runtime = await open(projectRoot);
      }
      workflowId = wf.id;
    } else {
      workflowId = runtime.deps.store.listWorkflows({ projectPath: projectRoot, limit: 1 })[0]?.id ?? null;
    }
    const model = runtime.deps.llm.model;
    const session: ChatSession = {
      projectRoot,
      runtime,
      workflowId,
      currentRun: null,
      runStale: null,
      paint: ctx.colour.stdout,
      noModelReason: model.kind === "skipped" ? model.reason : null,
    };
    session.currentRun = latestRun(session);
    session.runStale = undoneSince(session, session.currentRun);
    if (model.kind === "ready") {
      agent = createChatAgent({
        model: model.streamingChat ?? model.chat,
        checkpointer: runtime.checkpointer,
        runner: runtime.deps.adapter.name,
        python: values.python || undefined,
      });
    }
    ctx.stdout.write(
      renderOpening({
        projectRoot,
        workflow: workflowId === null ? null : runtime.deps.store.getWorkflow(workflowId),
        run: session.currentRun,
        failures: currentFailures(session),
        model: model.kind === "ready" ? model.name : null,
        stale: session.runStale,
        paint: session.paint,
      }),
    );
    const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
    // The REPL owns Ctrl-C while it runs (it cancels the current action); main's handler would end the process.
    const mainHandlers = process.listeners("SIGINT");
    process.removeAllListeners("SIGINT");
    try {
      await runRepl(session, {
        input: process.stdin,
        output: process.stdout,
        terminal,
        historyFile: join(projectRoot, ".redgreen", "chat_history"),
        agent,
        handleProcessSigint: true,
        debug: ctx.env.REDGREEN_DEBUG === "1",
      });
    } finally {
      for (const h of mainHandlers) process.on("SIGINT", h as NodeJS.SignalsListener);
    }
    return EXIT.ok;
  } finally {
    await agent?.close();
    await runtime.close();
  }
}
