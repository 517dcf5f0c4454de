// openStore: redgreen's storage — workflows, test runs, fix attempts and agent logs in one SQLite file.
import type { Database } from "better-sqlite3";
import { RedgreenError } from "../domain/errors.js";
import type { AgentLog, AgentLogInput, Coverage, FixRecord, TestRunResult, Workflow } from "../domain/index.js";
import { createSecretRedactor } from "../fixers/llm/redact.js";
import type { SecretRedactor } from "../fixers/llm/redact.js";
import { openDatabase, toDbError } from "./connection.js";
import { applyMigrations, checkSchemaCurrent } from "./migrate.js";
import { migrations as allMigrations } from "./migrations/index.js";
import type { Migration } from "./migrations/index.js";
import { createAgentLogRepository } from "./agent-logs.js";
import type { ListAgentLogsOptions } from "./agent-logs.js";
import { createFixAttemptRepository } from "./fix-attempts.js";
import type { FixAttempt } from "./fix-attempts.js";
import { buildTestReport, calculateCoverageDelta } from "./report.js";
import type { CoverageDelta, TestReport } from "./report.js";
import { createTestRunRepository } from "./test-runs.js";
import type { ListTestRunsOptions, SaveTestRunOptions, TestRunRecord, TestRunSummary } from "./test-runs.js";
import { createWorkflowRepository } from "./workflows.js";
import type { CreateWorkflowInput, ListWorkflowsOptions, WorkflowPatch } from "./workflows.js";

export interface OpenStoreOptions {
  /** Source of created_at / updated_at timestamps; the system clock by default. */
  clock?: () => Date;
  /** Schema migrations to apply; all of src/store/migrations by default. */
  migrations?: readonly Migration[];
  /** For commands that only read: opens an existing file without writing or creating anything (no migration either). */
  readOnly?: boolean;
  /** Redacts every text before it is written (and serves the prompts too); default: over process.env and the catalog. */
  redactor?: SecretRedactor;
}

/** Everything redgreen persists, behind typed methods that validate rows on the way out. */
export interface Store {
  /** Absolute path of the database file (or ":memory:"). */
  readonly path: string;
  /**
   * The connection, for the LangGraph SqliteSaver to share the same file.
   * @internal the raw connection stays out of the published types
   */
  readonly db: Database;
  /** What every repository redacts with before writing; prompts use the same one. */
  readonly redactor: SecretRedactor;
  /** Stores one run (and its failures); returns the run id. */
  saveTestRun(result: TestRunResult, options: SaveTestRunOptions): number;
  /** Stores a run linked to the workflow and records it as the workflow's latest results and coverage. */
  saveResultsToWorkflow(workflowId: string, result: TestRunResult): number;
  getTestRun(id: number): TestRunRecord | null;
  listTestRuns(options?: ListTestRunsOptions): TestRunSummary[];
  createWorkflow(input: CreateWorkflowInput): Workflow;
  updateWorkflow(id: string, patch: WorkflowPatch): Workflow;
  getWorkflow(id: string): Workflow | null;
  listWorkflows(options?: ListWorkflowsOptions): Workflow[];
  recordFixAttempt(workflowId: string, record: FixRecord): FixAttempt;
  listFixAttempts(workflowId: string): FixAttempt[];
  createAgentLog(entry: AgentLogInput): AgentLog;
  listAgentLogs(options?: ListAgentLogsOptions): AgentLog[];
  /** The report for a result, or for a stored run by id (not_found when there is none). */
  generateTestReport(resultOrRunId: TestRunResult | number): TestReport;
  calculateCoverageDelta(before: Coverage | null, after: Coverage | null): CoverageDelta;
  close(): void;
}

/** Wraps every method so a SQLite fault surfaces as one db_error sentence naming the file. */
const guarded = <T extends object>(path: string, target: T): T => {
  const out = {} as Record<string, unknown>;
  for (const [key, value] of Object.entries(target)) {
    out[key] =
      typeof value === "function"
        ? (...args: unknown[]): unknown => {
            try {
              return (value as (...a: unknown[]) => unknown)(...args);
            } catch (e) {
              if (e instanceof RedgreenError || !(e instanceof Error) || !("code" in e)) throw e;
              throw toDbError(path, e);
            }
          }
        : value;
  }
  return out as T;
};

/** Opens (creating and migrating as needed) the database at `dbPath`. */
export function openStore(dbPath: string, options: OpenStoreOptions = {}): Store {
  const clock = options.clock ?? ((): Date => new Date());
  const now = (): string => clock().toISOString();
  const db = openDatabase(dbPath, { readOnly: options.readOnly === true });
  try {
    if (options.readOnly) checkSchemaCurrent(db, options.migrations ?? allMigrations);
    else applyMigrations(db, options.migrations ?? allMigrations, now);
  } catch (e) {
    db.close();
    throw toDbError(dbPath, e);
  }
  const redactor = options.redactor ?? createSecretRedactor({ env: process.env });
  const runs = createTestRunRepository(db, now, redactor);
  const workflows = createWorkflowRepository(db, now, redactor);
  const fixes = createFixAttemptRepository(db, now, redactor);
  const logs = createAgentLogRepository(db, now, redactor);

  const saveResultsToWorkflow = db.transaction((workflowId: string, result: TestRunResult): number => {
    const wf = workflows.get(workflowId);
    if (wf === null) throw new RedgreenError("not_found", `no workflow with id ${workflowId}`);
    const runId = runs.save(result, { workflowId, projectPath: wf.projectPath });
    const percent = result.coverage?.percent ?? null;
    workflows.update(workflowId, {
      testResults: result,
      ...(wf.initialCoverage === null && percent !== null ? { initialCoverage: percent } : {}),
      ...(percent !== null ? { finalCoverage: percent } : {}),
    });
    return runId;
  });

  const store: Store = {
    path: dbPath,
    db,
    redactor,
    saveTestRun: (result, opts) => runs.save(result, opts),
    saveResultsToWorkflow: (workflowId, result) => saveResultsToWorkflow.immediate(workflowId, result),
    getTestRun: (id) => runs.get(id),
    listTestRuns: (opts) => runs.list(opts),
    createWorkflow: (input) => workflows.create(input),
    updateWorkflow: (id, patch) => workflows.update(id, patch),
    getWorkflow: (id) => workflows.get(id),
    listWorkflows: (opts) => workflows.list(opts),
    recordFixAttempt: (workflowId, record) => fixes.record(workflowId, record),
    listFixAttempts: (workflowId) => fixes.list(workflowId),
    createAgentLog: (entry) => logs.create(entry),
    listAgentLogs: (opts) => logs.list(opts),
    generateTestReport(resultOrRunId) {
      if (typeof resultOrRunId !== "number") return buildTestReport(resultOrRunId);
      const run = runs.get(resultOrRunId);
      if (run === null) throw new RedgreenError("not_found", `no test run with id ${resultOrRunId}`);
      return buildTestReport(run.result);
    },
    calculateCoverageDelta,
    close: () => db.close(),
  };
  return guarded(dbPath, store);
}
