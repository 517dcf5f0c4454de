// get_workflow / cancel_workflow: poll a workflow start_fix started (status, progress, result) or stop it cleanly.
import { RedgreenError } from "../src/domain/errors.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import type { ToolSession } from "./session.js";
import type { WorkflowJobs } from "./workflow-jobs.js";
import { summarizeView, viewWorkflow, WorkflowIdInputSchema, WorkflowViewSchema } from "./workflow-view.js";

/** The get_workflow tool: reads the store and this process's jobs; never waits for the workflow. */
export function createGetWorkflowTool(session: ToolSession, jobs: WorkflowJobs): RedgreenTool {
  return defineTool({
    name: "get_workflow",
    description:
      'Status of a workflow (from start_fix, or any workflow of the served projects): status ("running" until it ends), progress ' +
      "(steps so far, the last step's message, iteration), fix counts, and once a workflow this server started has ended, the full " +
      "run summary fix_failing_tests would have returned (result). Returns at once; poll it every few seconds.",
    schema: WorkflowIdInputSchema,
    outputSchema: WorkflowViewSchema,
    summarize: summarizeView,
    async run(input) {
      return viewWorkflow(session, input.workflowId, jobs.get(input.workflowId));
    },
  });
}

/** The cancel_workflow tool: stops a running workflow of this server, cleanly, and returns its final view. */
export function createCancelWorkflowTool(session: ToolSession, jobs: WorkflowJobs): RedgreenTool {
  return defineTool({
    name: "cancel_workflow",
    description:
      "Stop a workflow start_fix started: a fix being proven is rolled back byte for byte, the files stay at the last kept fix, the " +
      'patch of the kept fixes is written and the status becomes "cancelled". It can be resumed later with `redgreen resume ' +
      "WORKFLOW_ID`. Returns what get_workflow returns, with the run summary.",
    schema: WorkflowIdInputSchema,
    outputSchema: WorkflowViewSchema,
    summarize: summarizeView,
    async run(input) {
      const job = jobs.get(input.workflowId);
      const before = viewWorkflow(session, input.workflowId, job);
      if (job === undefined || !job.running) {
        throw new RedgreenError(
          "usage",
          `workflow ${input.workflowId} is not running in this server (status ${before.status}): nothing to cancel`,
        );
      }
      await jobs.cancel(job);
      return viewWorkflow(session, input.workflowId, job);
    },
  });
}
