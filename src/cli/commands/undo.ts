// `redgreen undo`: restores every file a workflow changed to its state before the workflow.
import { undoWorkflow } from "../../fixers/journal.js";
import { withProjectLock } from "../../fixers/project-lock.js";
import { createEditJournal } from "../../store/edit-journal.js";
import { parseCommandArgs } from "../args.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { openWorkflowFromArgs } from "../workflow-lookup.js";

export const help = `Usage: redgreen undo WORKFLOW_ID [PATH] [--db P]

Restores, byte for byte, every file the workflow's kept fixes changed. A file changed by
someone else since redgreen wrote it is left alone and reported (exit 1).
`;

/** Runs `redgreen undo`. */
export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs("undo", {
    args,
    allowPositionals: true,
    options: { db: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const { store, workflow } = openWorkflowFromArgs("undo", positionals, ctx, values.db);
  try {
    const journal = createEditJournal(store.db, () => new Date().toISOString());
    const result = await withProjectLock(workflow.projectPath, { workflowId: workflow.id, command: "undo", note: ctx.stderr }, () =>
      undoWorkflow(journal, workflow.id, workflow.projectPath),
    );
    if (values.json) ctx.stdout.write(`${JSON.stringify({ workflowId: workflow.id, ...result })}\n`);
    else {
      if (result.restored.length === 0 && result.refused.length === 0) ctx.stdout.write(`workflow ${workflow.id} has no kept changes to undo\n`);
      for (const f of result.restored) ctx.stdout.write(`restored ${f}\n`);
      for (const r of result.refused) ctx.stderr.write(`redgreen: ${r.reason}\n`);
    }
    return result.refused.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    store.close();
  }
}
