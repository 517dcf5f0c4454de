// Edit journal: originals are recorded before a file is written, so a crash or an undo can restore them.
import { hostname } from "node:os";
import type { Database } from "better-sqlite3";
import { z } from "zod";

export const JournalStateSchema = z.enum(["pending", "kept", "rolled_back", "interrupted", "undone"]);
export type JournalState = z.infer<typeof JournalStateSchema>;

export const JournalEntrySchema = z.object({
  id: z.number().int(),
  workflowId: z.string(),
  /** The candidate fix's signature: all files of one fix share it. */
  signature: z.string(),
  file: z.string(),
  originalBase64: z.string(),
  originalSha256: z.string(),
  writtenSha256: z.string().nullable(),
  state: JournalStateSchema,
  /** The process that wrote the entry (null for entries from before version 4). */
  ownerPid: z.number().int().nullable(),
  ownerHost: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

interface JournalRow {
  id: number;
  workflow_id: string;
  signature: string;
  file: string;
  original_base64: string;
  original_sha256: string;
  written_sha256: string | null;
  state: string;
  owner_pid: number | null;
  owner_host: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: JournalRow): JournalEntry =>
  JournalEntrySchema.parse({
    id: r.id,
    workflowId: r.workflow_id,
    signature: r.signature,
    file: r.file,
    originalBase64: r.original_base64,
    originalSha256: r.original_sha256,
    writtenSha256: r.written_sha256,
    state: r.state,
    ownerPid: r.owner_pid,
    ownerHost: r.owner_host,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

/** Typed access to edit_journal. */
export interface EditJournal {
  /** Records the originals of a fix's files as pending (owned by this process), before anything is written. */
  begin(workflowId: string, signature: string, originals: { file: string; originalBase64: string; originalSha256: string }[]): void;
  /** Records what was written for one file of a pending fix. */
  written(workflowId: string, signature: string, file: string, writtenSha256: string): void;
  /**
   * Moves every entry of a fix to a new state: pending ones, or for "undone" (and with `from: "kept"`, a kept fix the
   * workflow's confirming full run took back) kept ones.
   */
  settle(workflowId: string, signature: string, state: JournalState, from?: "pending" | "kept"): void;
  /** Entries of a workflow, oldest first, optionally in one state. */
  list(workflowId: string, state?: JournalState): JournalEntry[];
}

/**
 * Builds the journal over an open, migrated database.
 * @internal the raw connection stays out of the published types
 */
export function createEditJournal(db: Database, now: () => string): EditJournal {
  const insert = db.prepare(`INSERT INTO edit_journal
    (workflow_id, signature, file, original_base64, original_sha256, written_sha256, state, owner_pid, owner_host, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, NULL, 'pending', ?, ?, ?, ?)`);
  const setWritten = db.prepare(
    "UPDATE edit_journal SET written_sha256 = ?, updated_at = ? WHERE workflow_id = ? AND signature = ? AND file = ? AND state = 'pending'",
  );
  const setState = db.prepare(
    "UPDATE edit_journal SET state = ?, updated_at = ? WHERE workflow_id = ? AND signature = ? AND state = 'pending'",
  );
  const setStateFromKept = db.prepare(
    "UPDATE edit_journal SET state = ?, updated_at = ? WHERE workflow_id = ? AND signature = ? AND state = 'kept'",
  );
  const selectAll = db.prepare("SELECT * FROM edit_journal WHERE workflow_id = ? ORDER BY id");
  const selectState = db.prepare("SELECT * FROM edit_journal WHERE workflow_id = ? AND state = ? ORDER BY id");

  const beginTx = db.transaction(
    (workflowId: string, signature: string, originals: { file: string; originalBase64: string; originalSha256: string }[]) => {
      const at = now();
      for (const o of originals)
        insert.run(workflowId, signature, o.file, o.originalBase64, o.originalSha256, process.pid, hostname(), at, at);
    },
  );

  return {
    begin: (workflowId, signature, originals) => beginTx.immediate(workflowId, signature, originals),
    written: (workflowId, signature, file, sha) => void setWritten.run(sha, now(), workflowId, signature, file),
    settle(workflowId, signature, state, from) {
      // "undone" applies to kept entries; every other transition leaves "pending" unless told to leave "kept".
      const stmt = state === "undone" || from === "kept" ? setStateFromKept : setState;
      stmt.run(state, now(), workflowId, signature);
    },
    list: (workflowId, state) =>
      ((state === undefined ? selectAll.all(workflowId) : selectState.all(workflowId, state)) as JournalRow[]).map(fromRow),
  };
}
