// `redgreen runs`: lists the workflows stored for a project.
import { resolve } from "node:path";
import { existsSync } from "node:fs";
import { openStore, resolveDbPath } from "../../store/index.js";
import { parseCommandArgs, usageError } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";

export const help = `Usage: redgreen runs [PATH] [--db P] [--json] [--limit N]

Lists the workflows (redgreen run) stored in the project's database, newest first.
`;

/** Runs `redgreen runs`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("runs", {
    args,
    allowPositionals: true,
    options: { db: { type: "string" }, json: { type: "boolean" }, limit: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw usageError(`expected one PATH, got ${positionals.length}`);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit needs a positive whole number, got '${values.limit}'`);
  const dbPath = resolveDbPath({ projectRoot: resolve(ctx.cwd, positionals[0] ?? "."), db: values.db, env: ctx.env, cwd: ctx.cwd });
  if (dbPath !== ":memory:" && !existsSync(dbPath)) {
    if (values.json) ctx.stdout.write("[]\n");
    else ctx.stdout.write(`no workflows yet (no database at ${dbPath})\n`);
    return EXIT.ok;
  }
  // Read only: no migration, no -wal/-shm file, so a database on a read-only file system or a read-only file works.
  const store = openStore(dbPath, { readOnly: true });
  try {
    const workflows = store.listWorkflows({ limit });
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify(workflows.map(({ testResults: _t, ...w }) => w))}\n`);
      return EXIT.ok;
    }
    if (workflows.length === 0) ctx.stdout.write("no workflows yet\n");
    for (const w of workflows) {
      const kept = w.fixHistory.filter((f) => f.status === "kept").length;
      ctx.stdout.write(
        `${w.id}  ${w.status.padEnd(14)} ${String(w.iterations).padStart(2)} iteration(s)  ${kept} fix(es) kept  ${w.createdAt}  ` +
          `${w.projectPath}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
