// Finds a stored workflow for the commands that take a WORKFLOW_ID (resume, undo, report).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { RedgreenError } from "../domain/errors.js";
import type { Workflow } from "../domain/index.js";
import { openStore, resolveDbPath } from "../store/index.js";
import type { Store } from "../store/index.js";
import { parseCommandArgs, usageError } from "./args.js";
import { EXIT } from "./context.js";
import type { CliContext } from "./context.js";

/**
 * A `redgreen COMMAND WORKFLOW_ID [PATH] [--db P] [--json]` command on a stored workflow (report, undo): parses its arguments,
 * prints its help, opens the workflow and closes the store once `body` is done.
 */
export async function runWorkflowCommand(
  command: string,
  help: string,
  args: string[],
  ctx: CliContext,
  body: (opened: { store: Store; workflow: Workflow; json: boolean }) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, {
    args,
    allowPositionals: true,
    options: { db: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const { store, workflow } = openWorkflowFromArgs(command, positionals, ctx, values.db);
  try {
    return await body({ store, workflow, json: values.json === true });
  } finally {
    store.close();
  }
}

/** Opens the workflow named by a command's `WORKFLOW_ID [PATH]` arguments (a usage error for any other shape). */
export function openWorkflowFromArgs(
  command: string,
  positionals: string[],
  ctx: CliContext,
  db: string | undefined,
): { store: Store; workflow: Workflow } {
  const [id, path, ...extra] = positionals;
  if (id === undefined || extra.length > 0) throw usageError(`expected WORKFLOW_ID [PATH] (see redgreen ${command} --help)`);
  return openWorkflow(ctx, id, path, db);
}

/** The database named by --db / $REDGREEN_DB / PATH, opened, with the workflow in it (not_found otherwise). */
export function openWorkflow(
  ctx: CliContext,
  id: string,
  path: string | undefined,
  db: string | undefined,
): { store: Store; workflow: Workflow } {
  const projectRoot = resolve(ctx.cwd, path ?? ".");
  const dbPath = resolveDbPath({ projectRoot, db, env: ctx.env, cwd: ctx.cwd });
  if (dbPath !== ":memory:" && !existsSync(dbPath)) {
    throw new RedgreenError("not_found", `no redgreen database at ${dbPath} (pass the project PATH or --db)`);
  }
  const store = openStore(dbPath);
  const matches = store.listWorkflows({ limit: 1000 }).filter((w) => w.id === id || w.id.startsWith(id));
  if (matches.length !== 1) {
    store.close();
    throw new RedgreenError(
      "not_found",
      matches.length === 0 ? `no workflow ${id} in ${dbPath}` : `workflow id ${id} is ambiguous; give more characters`,
    );
  }
  return { store, workflow: matches[0]! };
}
