// 005: the process that wrote each edit_journal entry, so recovery never restores another live process's pending fix.
import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 5,
  name: "journal-owner",
  sql: `
ALTER TABLE edit_journal ADD COLUMN owner_pid INTEGER;
ALTER TABLE edit_journal ADD COLUMN owner_host TEXT;
`,
};
