// All schema migrations in order. To add one: create NNN-name.ts (next number) exporting `migration`, import it here, append it.
import type { Migration } from "./migration.js";
import { migration as m001 } from "./001-initial.js";
import { migration as m002 } from "./002-llm-calls.js";
import { migration as m003 } from "./003-edit-journal.js";
import { migration as m004 } from "./004-fix-evidence.js";
import { migration as m005 } from "./005-journal-owner.js";

export type { Migration } from "./migration.js";

/** Every migration, ascending by version; migrate.ts refuses gaps or duplicates. */
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005];
