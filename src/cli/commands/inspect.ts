// `redgreen inspect`: a local web app showing a workflow's graph path, checkpoints, state diffs, fixes and log; forks replay.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { resumeWorkflow } from "../../../graph/run.js";
import { RedgreenError } from "../../domain/errors.js";
import { createSecretRedactor } from "../../fixers/llm/redact.js";
import { createEditJournal } from "../../store/edit-journal.js";
import { openStore, resolveDbPath } from "../../store/index.js";
import { createCheckpointer } from "../../../graph/checkpointer.js";
import { parseCommandArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { startInspectorServer } from "../inspect/server.js";
import { createWorkflowRuntime } from "../../../graph/runtime.js";
import { depsInputFromFlags, storedServiceFlagOptions } from "../workflow-flags.js";

export const help = `Usage: redgreen inspect [WORKFLOW_ID] [options]

Serves a local web app (127.0.0.1 only, no network needed) for debugging workflows: the graph with
the path the workflow took, every checkpoint (node, iteration, time, test counts), the state at a
checkpoint and its diff from the previous one, the fix diffs with their validation verdicts, the
agent log, tests/coverage per iteration, why the workflow stopped (status, reason, notes) and
every model call with its prompt and answer (secrets redacted). From any checkpoint you can fork the workflow into a
new one and replay it from there (LangGraph time travel). Runs until Ctrl-C.

Open the URL it prints: it carries a random token, new at every start, that every API call must
send; requests naming another host (DNS rebinding), from another origin, or POSTs that are not JSON
are refused.

Options:
  --port P           port to listen on (default 7357; 0 picks a free one)
  -C, --project P    project whose database to open (default: the current directory)
  --db P             database file (default: PROJECT/.redgreen/redgreen.db, or $REDGREEN_DB)
  --python P         interpreter for replays (default: the project's .venv/venv, else python3)
  --test-timeout S   per-test timeout for replays (default: pytest max(60, 5x slowest test), vitest/jest the project's own)
  --model M          model for LLM fixes in replays (or $REDGREEN_MODEL)
  --base-url U       OpenAI-compatible server (or $OPENAI_BASE_URL)
  --api-key K        API key (or $OPENAI_API_KEY)
  --no-llm           replays never call a model
  -h, --help         show this help
`;

const DEFAULT_PORT = 7357;

/** Runs `redgreen inspect`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("inspect", {
    args,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      project: { type: "string", short: "C" },
      ...storedServiceFlagOptions,
      "no-llm": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`expected at most one WORKFLOW_ID, got ${positionals.length} (see redgreen inspect --help)`);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port needs a port number from 0 to 65535, got '${values.port}'`);
  const projectRoot = resolve(ctx.cwd, values.project ?? ".");
  const dbPath = resolveDbPath({ projectRoot, db: values.db, env: ctx.env, cwd: ctx.cwd });
  if (dbPath !== ":memory:" && !existsSync(dbPath)) {
    throw new RedgreenError("not_found", `no redgreen database at ${dbPath} (run redgreen run first, or pass --db / -C PROJECT)`);
  }
  const shared = depsInputFromFlags(values);
  // What the page shows (model calls included) is redacted again with this environment's secrets and --api-key.
  const store = openStore(dbPath, { redactor: createSecretRedactor({ env: ctx.env, apiKey: shared.apiKey }) });
  try {
    const workflowId = positionals[0];
    if (workflowId !== undefined && store.getWorkflow(workflowId) === null)
      throw new RedgreenError("not_found", `no workflow with id ${workflowId} in ${dbPath}`);
    if (store.listWorkflows({ limit: 1 }).length === 0)
      throw new RedgreenError("not_found", `${dbPath} holds no workflow yet (run redgreen run first)`);
    const server = await startInspectorServer({
      store,
      journal: createEditJournal(store.db, () => new Date().toISOString()),
      checkpointer: createCheckpointer(store),
      port,
      initialWorkflowId: workflowId,
      replay: async (id, root) => {
        const runtime = await createWorkflowRuntime({
          ...shared,
          projectRoot: root,
          db: dbPath,
          env: ctx.env,
          cwd: ctx.cwd,
          lock: { workflowId: id, command: "inspect replay" },
          options: { noLlm: values["no-llm"] === true },
        });
        try {
          return await resumeWorkflow(runtime.deps, id, { checkpointer: runtime.checkpointer, signal: ctx.signal });
        } finally {
          await runtime.close();
        }
      },
    });
    const open = `${server.pageUrl}${workflowId !== undefined ? `&workflow=${encodeURIComponent(workflowId)}` : ""}`;
    ctx.stdout.write(`redgreen inspector: ${open}\n(open this URL: its token is new at every start; Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      if (ctx.signal.aborted) done();
      else ctx.signal.addEventListener("abort", () => done(), { once: true });
    });
    await server.close();
    return EXIT.ok;
  } finally {
    store.close();
  }
}
