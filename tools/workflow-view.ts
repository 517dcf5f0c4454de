// WorkflowViewSchema: what get_workflow and cancel_workflow return about one workflow — status, live progress, the summary.
import { z } from "zod";
import { RedgreenError } from "../src/domain/errors.js";
import { RunSummarySchema, WorkflowStatusSchema } from "../src/domain/index.js";
import type { RunSummary } from "../src/domain/index.js";
import { formatRunSummary } from "./format-run-summary.js";
import { FixCountsSchema } from "./list-workflows.js";
import { resolveProjectRoot } from "./project-scope.js";
import type { ToolSession } from "./session.js";
import type { WorkflowJob } from "./workflow-jobs.js";

export const WorkflowIdInputSchema = z.strictObject({
  workflowId: z.string().min(1).describe("The workflowId start_fix returned (or one list_workflows lists)."),
});

export const WorkflowViewSchema = z.object({
  workflowId: z.string(),
  projectPath: z.string(),
  /** "running" until the workflow ended; then its final status ("cancelled" when stopped by the caller, resumable). */
  status: WorkflowStatusSchema,
  /** Whether this server process runs (or ran) it: only then are live progress and the full result known. */
  inThisProcess: z.boolean(),
  progress: z.object({
    steps: z.number().int(),
    message: z.string().nullable(),
    iteration: z.number().int().nullable(),
    maxIterations: z.number().int().nullable(),
  }),
  fixes: FixCountsSchema,
  /** The whole RunSummary (what fix_failing_tests returns) once a workflow of this process ended, else null. */
  result: RunSummarySchema.nullable(),
  /** The fault that ended it instead of a result, as `{error, code}`. */
  error: z.object({ error: z.string(), code: z.string() }).nullable(),
});
export type WorkflowView = z.infer<typeof WorkflowViewSchema>;

/**
 * A workflow of the served projects as get_workflow shows it. A workflow of any other project in the database is
 * "not found", exactly like one that does not exist: its existence is not the caller's business.
 */
export function viewWorkflow(session: ToolSession, workflowId: string, job: WorkflowJob | undefined): WorkflowView {
  const wf = session.deps.store.getWorkflow(workflowId);
  const missing = new RedgreenError("not_found", `no workflow ${workflowId} in the projects this server serves`);
  if (wf === null) throw missing;
  try {
    resolveProjectRoot(session.deps, wf.projectPath);
  } catch {
    throw missing;
  }
  const attempts = session.deps.store.listFixAttempts(workflowId);
  const count = (status: string): number => attempts.filter((a) => a.status === status).length;
  const result: RunSummary | null = job?.result ?? null;
  return {
    workflowId,
    projectPath: wf.projectPath,
    // The report node stores the final status before the run returns: "running" holds until the result is there.
    status: job?.running ? "running" : (result?.status ?? wf.status),
    inThisProcess: job !== undefined,
    progress: job ? { ...job.progress } : { steps: 0, message: null, iteration: wf.iterations, maxIterations: wf.maxIterations },
    fixes: { kept: count("kept"), rolledBack: count("rolled_back"), rejected: count("rejected") },
    result,
    error: job?.error ?? null,
  };
}

/** get_workflow's text: the run summary's text once there is one, else a line of status and progress. */
export function summarizeView(v: WorkflowView): string {
  if (v.result !== null) return formatRunSummary(v.result);
  const where = v.progress.message !== null ? ` — ${v.progress.message}` : "";
  const fixes = `${v.fixes.kept} kept, ${v.fixes.rolledBack} rolled back, ${v.fixes.rejected} rejected`;
  const tail = v.error !== null ? `\nError (${v.error.code}): ${v.error.error}` : "";
  return `workflow ${v.workflowId}: ${v.status}${where} (fixes: ${fixes})${tail}`;
}
