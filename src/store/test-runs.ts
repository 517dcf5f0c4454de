// Test-run repository: one row per run of a suite plus one row per failure, the full result kept as JSON.
import { z } from "zod";
import { TestRunResultSchema, TestRunStatusSchema } from "../domain/index.js";
import type { TestRunResult } from "../domain/index.js";
import { fromJsonColumn } from "./json-column.js";
import { whereClause } from "./where-clause.js";
import { capStrings } from "./text-cap.js";
import type { RepositoryFactory } from "./repository.js";

/** A stored run without its full result: what listings show. */
export const TestRunSummarySchema = z.object({
  id: z.number().int(),
  workflowId: z.string().nullable(),
  projectPath: z.string(),
  status: TestRunStatusSchema,
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
  durationSeconds: z.number(),
  coveragePercent: z.number().nullable(),
  command: z.array(z.string()),
  createdAt: z.string(),
});
export type TestRunSummary = z.infer<typeof TestRunSummarySchema>;

/** A stored run with the TestRunResult it recorded. */
export const TestRunRecordSchema = TestRunSummarySchema.extend({ result: TestRunResultSchema });
export type TestRunRecord = z.infer<typeof TestRunRecordSchema>;

export interface SaveTestRunOptions {
  workflowId?: string | null | undefined;
  projectPath: string;
}

export interface ListTestRunsOptions {
  workflowId?: string;
  projectPath?: string;
  /** Newest first; default 50. */
  limit?: number;
}

interface RunRow {
  id: number;
  workflow_id: string | null;
  project_path: string;
  status: string;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  total: number;
  duration_seconds: number;
  coverage_percent: number | null;
  command: string;
  result_json?: string;
  created_at: string;
}

const SUMMARY_COLUMNS =
  "id, workflow_id, project_path, status, passed, failed, errors, skipped, total, duration_seconds, coverage_percent, command, created_at";

const toSummary = (row: RunRow): TestRunSummary =>
  TestRunSummarySchema.parse({
    id: row.id,
    workflowId: row.workflow_id,
    projectPath: row.project_path,
    status: row.status,
    passed: row.passed,
    failed: row.failed,
    errors: row.errors,
    skipped: row.skipped,
    total: row.total,
    durationSeconds: row.duration_seconds,
    coveragePercent: row.coverage_percent,
    command: fromJsonColumn(row.command, "test_runs.command"),
    createdAt: row.created_at,
  });

/** Typed access to test_runs and failures. */
export interface TestRunRepository {
  /** Inserts the run and its failures atomically; returns the new run id. */
  save(result: TestRunResult, options: SaveTestRunOptions): number;
  get(id: number): TestRunRecord | null;
  list(options?: ListTestRunsOptions): TestRunSummary[];
}

/**
 * Builds the repository over an open, migrated database; every text of a run is redacted before it is written.
 * @internal the raw connection stays out of the published types
 */
export const createTestRunRepository: RepositoryFactory<TestRunRepository> = (db, now, redactor) => {
  const insertRun = db.prepare(
    `INSERT INTO test_runs
    (workflow_id, project_path, status, passed, failed, errors, skipped, total, duration_seconds, coverage_percent, command, ` +
      `result_json, created_at)
    VALUES (@workflowId, @projectPath, @status, @passed, @failed, @errors, @skipped, @total, @durationSeconds, @coveragePercent, ` +
      `@command, @resultJson, @createdAt)`,
  );
  const insertFailure = db.prepare(`INSERT INTO failures
    (run_id, node_id, test_file, test_name, error_type, error_message, line_number, phase, duration_seconds)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectOne = db.prepare(`SELECT ${SUMMARY_COLUMNS}, result_json FROM test_runs WHERE id = ?`);

  const saveTx = db.transaction((result: TestRunResult, options: SaveTestRunOptions): number => {
    const info = insertRun.run({
      workflowId: options.workflowId ?? null,
      projectPath: options.projectPath,
      status: result.status,
      passed: result.passed,
      failed: result.failed,
      errors: result.errors,
      skipped: result.skipped,
      total: result.total,
      durationSeconds: result.durationSeconds,
      coveragePercent: result.coverage?.percent ?? null,
      command: JSON.stringify(result.command),
      resultJson: JSON.stringify(result),
      createdAt: now(),
    });
    const runId = Number(info.lastInsertRowid);
    for (const f of result.failures) {
      insertFailure.run(runId, f.nodeId, f.testFile, f.testName, f.errorType, f.errorMessage, f.lineNumber, f.phase, f.durationSeconds);
    }
    return runId;
  });

  return {
    save: (result, options) => saveTx.immediate(capStrings(redactor.redactValue(TestRunResultSchema.parse(result))), options),
    get(id) {
      const row = selectOne.get(id) as RunRow | undefined;
      if (row === undefined) return null;
      return TestRunRecordSchema.parse({
        ...toSummary(row),
        result: fromJsonColumn(row.result_json ?? null, "test_runs.result_json"),
      });
    },
    list(options = {}) {
      const where = whereClause({ workflow_id: options.workflowId, project_path: options.projectPath });
      const sql = `SELECT ${SUMMARY_COLUMNS} FROM test_runs ${where.sql} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...where.params, options.limit ?? 50) as RunRow[]).map(toSummary);
    },
  };
};
