// applyMigrations: brings a database up to the newest schema, safely when several processes open it at once.
import type { Database } from "better-sqlite3";
import { RedgreenError } from "../domain/errors.js";
import type { Migration } from "./migrations/index.js";

/** Throws when versions are not exactly 1..n in order (a mis-numbered migration file is a programming error). */
export function checkMigrationOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new RedgreenError("internal", `migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
    }
  });
}

const newerSchema = (version: number, latest: number): RedgreenError =>
  new RedgreenError("db_error", `the database was created by a newer redgreen (schema version ${version}, this one knows ${latest})`);

/**
 * Applies every migration newer than the database's version; returns the versions applied.
 * @internal the raw connection stays out of the published types
 */
export function applyMigrations(db: Database, list: readonly Migration[], now: () => string): number[] {
  checkMigrationOrder(list);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (): number => (db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").get() as { v: number }).v;
  const latest = list.length;
  if (current() > latest) throw newerSchema(current(), latest);
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  // IMMEDIATE takes the write lock before re-reading the version, so two processes never apply the same migration.
  const run = db.transaction((): number[] => {
    const applied: number[] = [];
    for (const m of list.slice(current())) {
      db.exec(m.sql);
      record.run(m.version, m.name, now());
      applied.push(m.version);
    }
    return applied;
  });
  return current() === latest ? [] : run.immediate();
}

/**
 * Fails unless the schema is exactly `list`'s latest version (a read-only open can apply no migration).
 * @internal the raw connection stays out of the published types
 */
export function checkSchemaCurrent(db: Database, list: readonly Migration[]): void {
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const version =
    row === undefined ? 0 : (db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").get() as { v: number }).v;
  if (version > list.length) throw newerSchema(version, list.length);
  if (version < list.length) {
    throw new RedgreenError(
      "db_error",
      `the database has schema version ${version} and needs ${list.length}: a command that writes (redgreen test or run) upgrades it`,
    );
  }
}
