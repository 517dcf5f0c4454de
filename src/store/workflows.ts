// Workflow repository: the workflows table, one row per redgreen run on a project.
import { randomUUID } from "node:crypto";
import { RedgreenError } from "../domain/errors.js";
import { WorkflowSchema } from "../domain/index.js";
import type { Workflow, WorkflowStatus } from "../domain/index.js";
import { fromJsonColumn, toJsonColumn } from "./json-column.js";
import { whereClause } from "./where-clause.js";
import { capStrings } from "./text-cap.js";
import type { RepositoryFactory } from "./repository.js";

export interface CreateWorkflowInput {
  /** Chosen by the caller (e.g. a LangGraph thread id); a random UUID otherwise. */
  id?: string;
  projectPath: string;
  /** Default 5: the iteration cap. */
  maxIterations?: number;
  status?: WorkflowStatus;
}

/** Fields a running workflow changes; fix history grows only through recordFixAttempt. */
export type WorkflowPatch = Partial<
  Pick<Workflow, "status" | "iterations" | "maxIterations" | "testResults" | "initialCoverage" | "finalCoverage">
>;

export interface ListWorkflowsOptions {
  projectPath?: string;
  status?: WorkflowStatus;
  /** Newest first; default 50. */
  limit?: number;
}

interface WorkflowRow {
  id: string;
  project_path: string;
  status: string;
  iterations: number;
  max_iterations: number;
  test_results: string | null;
  initial_coverage: number | null;
  final_coverage: number | null;
  fix_history: string;
  created_at: string;
  updated_at: string;
}

const workflowFromRow = (row: WorkflowRow): Workflow =>
  WorkflowSchema.parse({
    id: row.id,
    projectPath: row.project_path,
    status: row.status,
    iterations: row.iterations,
    maxIterations: row.max_iterations,
    testResults: fromJsonColumn(row.test_results, "workflows.test_results"),
    initialCoverage: row.initial_coverage,
    finalCoverage: row.final_coverage,
    fixHistory: fromJsonColumn(row.fix_history, "workflows.fix_history"),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

const PATCH_COLUMNS = {
  status: "status",
  iterations: "iterations",
  maxIterations: "max_iterations",
  testResults: "test_results",
  initialCoverage: "initial_coverage",
  finalCoverage: "final_coverage",
} as const satisfies Record<keyof WorkflowPatch, string>;

const PatchSchema = WorkflowSchema.pick({
  status: true,
  iterations: true,
  maxIterations: true,
  testResults: true,
  initialCoverage: true,
  finalCoverage: true,
}).partial();

/** Typed access to workflows. */
export interface WorkflowRepository {
  create(input: CreateWorkflowInput): Workflow;
  /** Applies the patch and bumps updated_at; throws not_found for an unknown id. */
  update(id: string, patch: WorkflowPatch): Workflow;
  get(id: string): Workflow | null;
  list(options?: ListWorkflowsOptions): Workflow[];
}

/**
 * Builds the repository over an open, migrated database; the stored test results are redacted before they are written.
 * @internal the raw connection stays out of the published types
 */
export const createWorkflowRepository: RepositoryFactory<WorkflowRepository> = (db, now, redactor) => {
  const insert = db.prepare(
    `INSERT INTO workflows
    (id, project_path, status, iterations, max_iterations, test_results, initial_coverage, final_coverage, fix_history, created_at, ` +
      `updated_at)
    VALUES (?, ?, ?, 0, ?, NULL, NULL, NULL, '[]', ?, ?)`,
  );
  const selectOne = db.prepare("SELECT * FROM workflows WHERE id = ?");
  const get = (id: string): Workflow | null => {
    const row = selectOne.get(id) as WorkflowRow | undefined;
    return row === undefined ? null : workflowFromRow(row);
  };

  return {
    create(input) {
      const maxIterations = input.maxIterations ?? 5;
      if (!Number.isInteger(maxIterations) || maxIterations < 1) {
        throw new RedgreenError("usage", `maxIterations must be a positive integer, got ${maxIterations}`);
      }
      const id = input.id ?? randomUUID();
      const at = now();
      try {
        insert.run(id, input.projectPath, input.status ?? "running", maxIterations, at, at);
      } catch (e) {
        if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
          throw new RedgreenError("conflict", `a workflow with id ${id} already exists`, { cause: e });
        }
        throw e;
      }
      return get(id)!;
    },
    update(id, rawPatch) {
      const patch = redactor.redactValue(PatchSchema.parse(rawPatch));
      const sets: string[] = [];
      const params: (string | number | null)[] = [];
      for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof WorkflowPatch, string][]) {
        if (!(key in patch)) continue;
        const value = patch[key];
        sets.push(`${column} = ?`);
        params.push(key === "testResults" ? toJsonColumn(capStrings(value ?? null)) : ((value ?? null) as string | number | null));
      }
      sets.push("updated_at = ?");
      params.push(now());
      const info = db.prepare(`UPDATE workflows SET ${sets.join(", ")} WHERE id = ?`).run(...params, id);
      if (info.changes === 0) throw new RedgreenError("not_found", `no workflow with id ${id}`);
      return get(id)!;
    },
    get,
    list(options = {}) {
      const where = whereClause({ project_path: options.projectPath, status: options.status });
      const sql = `SELECT * FROM workflows ${where.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
      return (db.prepare(sql).all(...where.params, options.limit ?? 50) as WorkflowRow[]).map(workflowFromRow);
    },
  };
};
