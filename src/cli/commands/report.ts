// `redgreen report`: prints the stored final report of a workflow.
import { createCheckpointer } from "../../../graph/checkpointer.js";
import { readCheckpointState, summarizeWorkflow } from "../../../graph/run.js";
import type { WorkflowStateValue } from "../../../graph/state.js";
import { EXIT } from "../context.js";
import type { CliContext } from "../context.js";
import { runWorkflowCommand } from "../workflow-lookup.js";
import { printSummary } from "./run.js";

export const help = `Usage: redgreen report WORKFLOW_ID [PATH] [--db P] [--json]

Prints the report of a stored workflow: status, test counts before and after, every fix tried
with its verdict, the remaining failures and the patch. WORKFLOW_ID may be a unique prefix.
`;

/** Runs `redgreen report`. */
export function run(args: string[], ctx: CliContext): Promise<number> {
  return runWorkflowCommand("report", help, args, ctx, async ({ store, workflow, json }) => {
    const state = await readCheckpointState(createCheckpointer(store), workflow.id);
    if (state?.workflowId === undefined) {
      ctx.stdout.write(`workflow ${workflow.id} (${workflow.status}) has no checkpoint yet: it stopped before its first test run\n`);
      return EXIT.failed;
    }
    const summary = await summarizeWorkflow(store, state as WorkflowStateValue);
    return printSummary(ctx, summary, json);
  });
}
