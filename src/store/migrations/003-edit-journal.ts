// 003: edit_journal, the write-ahead record of every file a workflow changes (crash recovery and undo).
import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 3,
  name: "edit-journal",
  sql: `
CREATE TABLE edit_journal (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  workflow_id      TEXT NOT NULL,
  signature        TEXT NOT NULL,
  file             TEXT NOT NULL,
  original_base64  TEXT NOT NULL,
  original_sha256  TEXT NOT NULL,
  written_sha256   TEXT,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'kept', 'rolled_back', 'interrupted', 'undone')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX edit_journal_workflow ON edit_journal (workflow_id, state, id);
`,
};
