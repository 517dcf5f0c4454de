// The store's public surface: openStore, the database-path rule, reports and the row types.
export { openStore } from "./store.js";
export type { OpenStoreOptions, Store } from "./store.js";
export { resolveDbPath, ignoreStateDir, DEFAULT_DB_RELATIVE } from "./db-path.js";
export type { ResolveDbPathOptions } from "./db-path.js";
export { buildTestReport, calculateCoverageDelta, COVERAGE_TARGET_PERCENT } from "./report.js";
export type { CoverageDelta, CoverageSummary, FailureDetail, ReportSummary, TestReport } from "./report.js";
export { renderTestReport, summaryLine } from "./report-text.js";
export { TestRunRecordSchema, TestRunSummarySchema } from "./test-runs.js";
export type { ListTestRunsOptions, SaveTestRunOptions, TestRunRecord, TestRunSummary } from "./test-runs.js";
export type { CreateWorkflowInput, ListWorkflowsOptions, WorkflowPatch } from "./workflows.js";
export { FixAttemptSchema } from "./fix-attempts.js";
export type { FixAttempt } from "./fix-attempts.js";
export type { ListAgentLogsOptions } from "./agent-logs.js";
export { migrations } from "./migrations/index.js";
export type { Migration } from "./migrations/index.js";
