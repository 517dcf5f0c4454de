// `redgreen undo`: restores every file a workflow changed to its state before the workflow.
import { undoWorkflow } from "../../fixers/journal.js";
import { withProjectLock } from "../../fixers/project-lock.js";
import { createEditJournal } from "../../store/edit-journal.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { runWorkflowCommand } from "../workflow-lookup.js";

export const help = `Usage: redgreen undo WORKFLOW_ID [PATH] [--db P] [--json]

Restores, byte for byte, every file the workflow's kept fixes changed. A file changed by
someone else since redgreen wrote it is left alone and reported (exit 1).
`;

/** Runs `redgreen undo`. */
export function run(args: string[], ctx: CliContext): Promise<number> {
  return runWorkflowCommand("undo", help, args, ctx, async ({ store, workflow, json }) => {
    const journal = createEditJournal(store.db, () => new Date().toISOString());
    const result = await withProjectLock(workflow.projectPath, { workflowId: workflow.id, command: "undo", note: ctx.stderr }, () =>
      undoWorkflow(journal, workflow.id, workflow.projectPath),
    );
    if (json) ctx.stdout.write(`${JSON.stringify({ workflowId: workflow.id, ...result })}\n`);
    else {
      if (result.restored.length === 0 && result.refused.length === 0)
        ctx.stdout.write(`workflow ${workflow.id} has no kept changes to undo\n`);
      for (const f of result.restored) ctx.stdout.write(`restored ${f}\n`);
      for (const r of result.refused) ctx.stderr.write(`redgreen: ${r.reason}\n`);
    }
    return result.refused.length > 0 ? EXIT.failed : EXIT.ok;
  });
}
