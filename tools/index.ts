// createTools: every redgreen service as a zod-typed LangChain tool, sharing one session (projects, proposals, fixes).
import type { ToolDeps } from "./deps.js";
import type { RedgreenTool } from "./define-tool.js";
import { createAnalyzeFailureTool } from "./analyze-failure.js";
import { createApplyFixTool } from "./apply-fix.js";
import { createFindPatternFixTool } from "./find-pattern-fix.js";
import { createFixFailingTestsTool } from "./fix-failing-tests.js";
import { createGenerateLlmFixTool } from "./generate-llm-fix.js";
import { createGetTestReportTool } from "./get-test-report.js";
import { createListWorkflowsTool } from "./list-workflows.js";
import { createParseTestOutputTool } from "./parse-test-output.js";
import { createRollbackFixTool } from "./rollback-fix.js";
import { createRunSpecificTestTool } from "./run-specific-test.js";
import { createRunTestsTool } from "./run-tests.js";
import { ToolSession } from "./session.js";
import { createValidateFixTool } from "./validate-fix.js";
import { createStartFixTool } from "./start-fix.js";
import { createCancelWorkflowTool, createGetWorkflowTool } from "./get-workflow.js";
import { WorkflowJobs } from "./workflow-jobs.js";

export type {
  FixFailingTestsDeps,
  ProjectScope,
  ProjectServices,
  RunWorkflow,
  RunWorkflowOptions,
  ToolDeps,
  WorkflowProgress,
  WorkflowRequest,
} from "./deps.js";
export { defineTool, describeIssues, errorJson, isErrorResult, PROGRESS_EVENT } from "./define-tool.js";
export type { RedgreenTool, ToolContext, ToolProgress, ToolProgressEvent, ToolSpec } from "./define-tool.js";
export { createProjectServices } from "./project-services.js";
export type { ClosableHelper, ProjectServicesOptions } from "./project-services.js";
export { createFixFailingTestsTool, FixFailingTestsInputSchema } from "./fix-failing-tests.js";
export { formatRunSummary } from "./format-run-summary.js";
export { StartFixOutputSchema } from "./start-fix.js";
export { WorkflowViewSchema } from "./workflow-view.js";
export type { WorkflowView } from "./workflow-view.js";
export { WorkflowJobs } from "./workflow-jobs.js";
export { resolveProjectRoot } from "./project-scope.js";

/** Where start_fix runs its workflows: give one to stop them all later (the MCP server does, when it closes). */
export interface CreateToolsOptions {
  jobs?: WorkflowJobs;
}

/** Every tool, in the order a model would use them: run, inspect, fix step by step, report, or the whole workflow. */
export function createTools(deps: ToolDeps, options: CreateToolsOptions = {}): RedgreenTool[] {
  const session = new ToolSession(deps);
  const jobs = options.jobs ?? new WorkflowJobs();
  return [
    createRunTestsTool(session),
    createRunSpecificTestTool(session),
    createParseTestOutputTool(session),
    createAnalyzeFailureTool(session),
    createFindPatternFixTool(session),
    createGenerateLlmFixTool(session),
    createValidateFixTool(session),
    createApplyFixTool(session),
    createRollbackFixTool(session),
    createGetTestReportTool(session),
    createListWorkflowsTool(session),
    createFixFailingTestsTool(deps),
    createStartFixTool(deps, jobs),
    createGetWorkflowTool(session, jobs),
    createCancelWorkflowTool(session, jobs),
  ];
}
