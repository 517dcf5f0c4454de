// 002: llm_calls, one row per chat-model call (or refused call) with its tokens, latency and outcome.
import type { Migration } from "./migration.js";

// workflow_id has no foreign key: REPL and tool sessions record calls under ids that are not workflows.
export const migration: Migration = {
  version: 2,
  name: "llm-calls",
  sql: `
CREATE TABLE llm_calls (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow_id       TEXT NOT NULL,
  purpose           TEXT NOT NULL,
  node_id           TEXT,
  model             TEXT NOT NULL,
  attempt           INTEGER NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  tokens_estimated  INTEGER NOT NULL,
  latency_ms        REAL NOT NULL,
  outcome           TEXT NOT NULL,
  error             TEXT,
  prompt            TEXT,
  completion        TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX llm_calls_workflow ON llm_calls (workflow_id, id);
`,
};
