// 001: workflows, test runs and their failures, fix attempts, and the agent audit log.
import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 1,
  name: "initial",
  sql: `
CREATE TABLE workflows (
  id               TEXT PRIMARY KEY,
  project_path     TEXT NOT NULL,
  status           TEXT NOT NULL,
  iterations       INTEGER NOT NULL DEFAULT 0,
  max_iterations   INTEGER NOT NULL,
  test_results     TEXT,
  initial_coverage REAL,
  final_coverage   REAL,
  fix_history      TEXT NOT NULL DEFAULT '[]',
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX workflows_project ON workflows (project_path, created_at);

CREATE TABLE test_runs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow_id      TEXT REFERENCES workflows (id) ON DELETE CASCADE,
  project_path     TEXT NOT NULL,
  status           TEXT NOT NULL,
  passed           INTEGER NOT NULL,
  failed           INTEGER NOT NULL,
  errors           INTEGER NOT NULL,
  skipped          INTEGER NOT NULL,
  total            INTEGER NOT NULL,
  duration_seconds REAL NOT NULL,
  coverage_percent REAL,
  command          TEXT NOT NULL,
  result_json      TEXT NOT NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX test_runs_workflow ON test_runs (workflow_id, id);
CREATE INDEX test_runs_project ON test_runs (project_path, id);

CREATE TABLE failures (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id           INTEGER NOT NULL REFERENCES test_runs (id) ON DELETE CASCADE,
  node_id          TEXT NOT NULL,
  test_file        TEXT NOT NULL,
  test_name        TEXT NOT NULL,
  error_type       TEXT NOT NULL,
  error_message    TEXT NOT NULL,
  line_number      INTEGER,
  phase            TEXT NOT NULL,
  duration_seconds REAL NOT NULL
);
CREATE INDEX failures_run ON failures (run_id);
CREATE INDEX failures_node ON failures (node_id);

CREATE TABLE fix_attempts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow_id      TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  iteration        INTEGER NOT NULL,
  file             TEXT NOT NULL,
  source           TEXT NOT NULL,
  strategy         TEXT NOT NULL,
  status           TEXT NOT NULL,
  risk             TEXT NOT NULL,
  reason           TEXT NOT NULL,
  diff             TEXT NOT NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX fix_attempts_workflow ON fix_attempts (workflow_id, id);

CREATE TABLE agent_logs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow_id      TEXT REFERENCES workflows (id) ON DELETE CASCADE,
  agent_id         TEXT NOT NULL,
  phase            TEXT NOT NULL,
  action           TEXT NOT NULL,
  input            TEXT,
  output           TEXT,
  status           TEXT NOT NULL,
  error_message    TEXT,
  duration_ms      REAL,
  created_at       TEXT NOT NULL
);
CREATE INDEX agent_logs_workflow ON agent_logs (workflow_id, id);
`,
};
