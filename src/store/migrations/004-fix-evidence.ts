// 004: fix_attempts gains the rule that decided a fix not kept and the evidence it saw.
import type { Migration } from "./migration.js";

export const migration: Migration = {
  version: 4,
  name: "fix-evidence",
  sql: `
ALTER TABLE fix_attempts ADD COLUMN rule TEXT;
ALTER TABLE fix_attempts ADD COLUMN evidence TEXT;
`,
};
