// RepositoryFactory: the one signature the store's table repositories are built with (database, clock, redactor).
import type { Database } from "better-sqlite3";
import type { SecretRedactor } from "../fixers/llm/redact.js";

/**
 * Builds one table's repository over an open, migrated database; `now` stamps the rows it writes, `redactor` cleans their texts.
 * @internal the raw connection stays out of the published types
 */
export type RepositoryFactory<R> = (db: Database, now: () => string, redactor: Pick<SecretRedactor, "redactValue">) => R;
