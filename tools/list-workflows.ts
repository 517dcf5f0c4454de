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

const countsOf = (results: unknown): Record<string, unknown> | null => {
  if (typeof results !== "object" || results === null) return null;
  const r = results as Record<string, unknown>;
  return { status: r.status, passed: r.passed, failed: r.failed, errors: r.errors, total: r.total };
};

const row = (w: Workflow): Record<string, unknown> => ({
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
      "stuck, no_tests, error), iterations, last run counts, coverage before/after and how many fixes were kept, rolled back or rejected.",
    schema: ListWorkflowsInputSchema,
    async run(input) {
      // A filter only reads the database, so any path may be named here (no allowed-roots check).
      const projectPath = input.projectPath === undefined ? undefined : resolve(session.deps.projectRoot, input.projectPath);
      const workflows = session.deps.store.listWorkflows({
        ...(projectPath !== undefined ? { projectPath } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        limit: input.limit ?? 20,
      });
      return JSON.stringify({ workflows: workflows.map(row) });
    },
  });
}
