// start_fix: fix_failing_tests without holding the call open — starts the workflow in the background and returns its id.
import { z } from "zod";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { FixFailingTestsInputSchema, workflowCall } from "./fix-failing-tests.js";
import type { OptionalRunner } from "./fix-failing-tests.js";
import type { WorkflowJobs } from "./workflow-jobs.js";

export const StartFixOutputSchema = z.object({
  workflowId: z.string(),
  status: z.literal("running"),
  projectPath: z.string(),
});

/** The start_fix tool: the workflow runs in this process until it ends, is cancelled, or the server closes. */
export function createStartFixTool(deps: OptionalRunner, jobs: WorkflowJobs): RedgreenTool {
  return defineTool({
    name: "start_fix",
    description:
      'Start fix_failing_tests in the background and return at once with its workflowId (status "running"). Poll get_workflow ' +
      "for status, progress and, when it ended, the full run summary; cancel_workflow stops it cleanly. Same input as " +
      "fix_failing_tests; use this when a call may outlast the client's request timeout. If the client disconnects, the " +
      'workflow is stopped cleanly (status "cancelled", files at the last kept fix) and can be resumed with `redgreen resume`.',
    schema: FixFailingTestsInputSchema,
    outputSchema: StartFixOutputSchema,
    async run(input) {
      const { runWorkflow, request } = workflowCall(deps, input, "start_fix");
      const job = await jobs.start(runWorkflow, request);
      return { workflowId: job.workflowId, status: "running" as const, projectPath: job.projectRoot };
    },
  });
}
