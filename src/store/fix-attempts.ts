// Fix-attempt repository: every fix redgreen tried, kept or not, appended to its workflow's fix history too.
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";
import { FixRecordSchema } from "../domain/index.js";
import type { FixRecord } from "../domain/index.js";
import { fromJsonColumn } from "./json-column.js";
import { capStrings } from "./text-cap.js";
import type { RepositoryFactory } from "./repository.js";

/** A stored fix attempt: the FixRecord plus its row identity. */
export const FixAttemptSchema = FixRecordSchema.extend({
  id: z.number().int(),
  workflowId: z.string(),
  createdAt: z.string(),
});
export type FixAttempt = z.infer<typeof FixAttemptSchema>;

interface FixAttemptRow {
  id: number;
  workflow_id: string;
  iteration: number;
  file: string;
  source: string;
  strategy: string;
  status: string;
  risk: string;
  reason: string;
  diff: string;
  rule: string | null;
  evidence: string | null;
  created_at: string;
}

const fromRow = (row: FixAttemptRow): FixAttempt =>
  FixAttemptSchema.parse({
    id: row.id,
    workflowId: row.workflow_id,
    iteration: row.iteration,
    file: row.file,
    source: row.source,
    strategy: row.strategy,
    status: row.status,
    risk: row.risk,
    reason: row.reason,
    diff: row.diff,
    rule: row.rule ?? undefined,
    evidence: row.evidence !== null ? z.array(z.string()).parse(fromJsonColumn(row.evidence, "fix_attempts.evidence")) : undefined,
    createdAt: row.created_at,
  });

/** Typed access to fix_attempts. */
export interface FixAttemptRepository {
  /** Inserts the attempt and appends it to workflows.fix_history in one transaction. */
  record(workflowId: string, record: FixRecord): FixAttempt;
  /** Attempts of one workflow, oldest first. */
  list(workflowId: string): FixAttempt[];
}

/**
 * Builds the repository over an open, migrated database; reasons and diffs are redacted before they are written.
 * @internal the raw connection stays out of the published types
 */
export const createFixAttemptRepository: RepositoryFactory<FixAttemptRepository> = (db, now, redactor) => {
  const insert = db.prepare(`INSERT INTO fix_attempts
    (workflow_id, iteration, file, source, strategy, status, risk, reason, diff, rule, evidence, created_at)
    VALUES (@workflowId, @iteration, @file, @source, @strategy, @status, @risk, @reason, @diff, @rule, @evidence, @createdAt)`);
  const selectHistory = db.prepare("SELECT fix_history FROM workflows WHERE id = ?");
  const updateHistory = db.prepare("UPDATE workflows SET fix_history = ?, updated_at = ? WHERE id = ?");
  const selectOne = db.prepare("SELECT * FROM fix_attempts WHERE id = ?");
  const selectAll = db.prepare("SELECT * FROM fix_attempts WHERE workflow_id = ? ORDER BY id");

  const recordTx = db.transaction((workflowId: string, record: FixRecord): FixAttempt => {
    const row = selectHistory.get(workflowId) as { fix_history: string } | undefined;
    if (row === undefined) throw new RedgreenError("not_found", `no workflow with id ${workflowId}`);
    const history = z.array(FixRecordSchema).parse(fromJsonColumn(row.fix_history, "workflows.fix_history"));
    const at = now();
    const info = insert.run({
      workflowId,
      ...record,
      rule: record.rule ?? null,
      evidence: record.evidence ? JSON.stringify(record.evidence) : null,
      createdAt: at,
    });
    updateHistory.run(JSON.stringify([...history, record]), at, workflowId);
    return fromRow(selectOne.get(info.lastInsertRowid) as FixAttemptRow);
  });

  return {
    record: (workflowId, record) => recordTx.immediate(workflowId, capStrings(redactor.redactValue(FixRecordSchema.parse(record)))),
    list: (workflowId) => (selectAll.all(workflowId) as FixAttemptRow[]).map(fromRow),
  };
};
