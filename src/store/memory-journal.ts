// createMemoryJournal: the edit journal over a private in-memory database, for callers without a store file.
import Database from "better-sqlite3";
import { createEditJournal, type EditJournal } from "./edit-journal.js";
import { applyMigrations } from "./migrate.js";
import { migrations } from "./migrations/index.js";

/** The same journal as a store's, kept in memory for the life of the process (the auto-fixer library API uses it). */
export function createMemoryJournal(): EditJournal {
  const now = (): string => new Date().toISOString();
  const db = new Database(":memory:");
  applyMigrations(db, migrations, now);
  return createEditJournal(db, now);
}
