// resolveDbPath: the one rule for where redgreen's database lives (flag, then REDGREEN_DB, then the project).
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface ResolveDbPathOptions {
  /** The target project; the default database is <projectRoot>/.redgreen/redgreen.db. */
  projectRoot: string;
  /** An explicit path (the --db flag); wins over everything. */
  db?: string | undefined;
  env: Record<string, string | undefined>;
  /** Relative --db and REDGREEN_DB values resolve against this (the user's shell directory). */
  cwd: string;
}

/** The database file's directory and name inside a project, when nothing overrides it. */
export const DEFAULT_DB_RELATIVE = join(".redgreen", "redgreen.db");

/** Absolute path of the database file (":memory:" passes through). */
export function resolveDbPath({ projectRoot, db, env, cwd }: ResolveDbPathOptions): string {
  const chosen = db !== undefined && db !== "" ? db : env.REDGREEN_DB !== undefined && env.REDGREEN_DB !== "" ? env.REDGREEN_DB : undefined;
  if (chosen === ":memory:") return chosen;
  if (chosen !== undefined) return resolve(cwd, chosen);
  return resolve(projectRoot, DEFAULT_DB_RELATIVE);
}

/** Puts a `*` .gitignore next to a database kept in a `.redgreen/` folder (when it has none), so the state is never committed. */
export function ignoreStateDir(dbPath: string): void {
  const dir = dirname(dbPath);
  const gitignore = join(dir, ".gitignore");
  if (basename(dir) === ".redgreen" && existsSync(dir) && !existsSync(gitignore)) writeFileSync(gitignore, "# redgreen's local state\n*\n");
}
