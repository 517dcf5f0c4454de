// list_workflows: the stored redgreen workflows (newest first) with their status, iterations and fix counts.
import { resolve } from "node:path";
import { z } from "zod";
import { WorkflowStatusSchema } from "../src/domain/index.js";
import type { Workflow } from "../src/domain/index.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import type { ToolSession } from "./session.js";

export const ListWorkflowsInputSchema = z.strictObject({
  projectPath: z
    .string()
    .min(1)
    .optional()
    .describe("Only workflows of this project (absolute, or relative to the default project). Omit for every project in the database."),
  status: WorkflowStatusSchema.optional().describe("Only workflows with this status."),
  limit: z.number().int().min(1).max(100).optional().describe("How many to return, newest first. Default: 20."),
});

const count = z.number().int().optional();
/** How many of a workflow's fixes were kept, rolled back, or rejected by validation. */
export const FixCountsSchema = z.object({ kept: z.number().int(), rolledBack: z.number().int(), rejected: z.number().int() });

export const ListWorkflowsOutputSchema = z.object({
  workflows: z.array(
    z.object({
      id: z.string(),
      projectPath: z.string(),
      status: WorkflowStatusSchema,
      iterations: z.number().int(),
      maxIterations: z.number().int(),
      /** The counts of the latest stored run (a stored JSON column: fields an old row lacks are absent). */
      lastRun: z.object({ status: z.string().optional(), passed: count, failed: count, errors: count, total: count }).nullable(),
      initialCoverage: z.number().nullable(),
      finalCoverage: z.number().nullable(),
      fixes: FixCountsSchema,
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
});
type WorkflowRow = z.input<typeof ListWorkflowsOutputSchema>["workflows"][number];

const numberOr = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

const countsOf = (results: unknown): WorkflowRow["lastRun"] => {
  if (typeof results !== "object" || results === null) return null;
  const r = results as Record<string, unknown>;
  return {
    ...(typeof r.status === "string" ? { status: r.status } : {}),
    passed: numberOr(r.passed),
    failed: numberOr(r.failed),
    errors: numberOr(r.errors),
    total: numberOr(r.total),
  };
};

const row = (w: Workflow): WorkflowRow => ({
  id: w.id,
  projectPath: w.projectPath,
  status: w.status,
  iterations: w.iterations,
  maxIterations: w.maxIterations,
  lastRun: countsOf(w.testResults),
  initialCoverage: w.initialCoverage,
  finalCoverage: w.finalCoverage,
  fixes: {
    kept: w.fixHistory.filter((f) => f.status === "kept").length,
    rolledBack: w.fixHistory.filter((f) => f.status === "rolled_back").length,
    rejected: w.fixHistory.filter((f) => f.status === "rejected").length,
  },
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

/** The list_workflows tool. */
export function createListWorkflowsTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "list_workflows",
    description:
      "List redgreen workflows stored in the database, newest first: id, project, status (running, passed, failed, max_iterations, " +
      "stuck, no_tests, error, cancelled), iterations, last run counts, coverage before/after and how many fixes were kept, " +
      "rolled back or rejected.",
    schema: ListWorkflowsInputSchema,
    outputSchema: ListWorkflowsOutputSchema,
    async run(input) {
      // A filter only reads the database, so any path may be named here (no allowed-roots check).
      const projectPath = input.projectPath === undefined ? undefined : resolve(session.deps.projectRoot, input.projectPath);
      const workflows = session.deps.store.listWorkflows({
        ...(projectPath !== undefined ? { projectPath } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        limit: input.limit ?? 20,
      });
      return { workflows: workflows.map(row) };
    },
  });
}
