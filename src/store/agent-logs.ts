// Agent-log repository: the audit log, one row per agent action with its input, output and outcome.
import { AgentLogInputSchema, AgentLogSchema } from "../domain/index.js";
import type { AgentLog, AgentLogInput, AgentLogStatus } from "../domain/index.js";
import { fromJsonColumn, toJsonColumn } from "./json-column.js";
import { capNullable, capStrings } from "./text-cap.js";
import { whereClause } from "./where-clause.js";
import type { RepositoryFactory } from "./repository.js";

export interface ListAgentLogsOptions {
  workflowId?: string;
  agentId?: string;
  status?: AgentLogStatus;
  /** Oldest first; default 500. */
  limit?: number;
}

interface AgentLogRow {
  id: number;
  workflow_id: string | null;
  agent_id: string;
  phase: string;
  action: string;
  input: string | null;
  output: string | null;
  status: string;
  error_message: string | null;
  duration_ms: number | null;
  created_at: string;
}

const fromRow = (row: AgentLogRow): AgentLog => {
  const input = fromJsonColumn(row.input, "agent_logs.input");
  const output = fromJsonColumn(row.output, "agent_logs.output");
  return AgentLogSchema.parse({
    id: row.id,
    workflowId: row.workflow_id,
    agentId: row.agent_id,
    phase: row.phase,
    action: row.action,
    input: input ?? undefined,
    output: output ?? undefined,
    status: row.status,
    errorMessage: row.error_message,
    durationMs: row.duration_ms,
    createdAt: row.created_at,
  });
};

/** Typed access to agent_logs. */
export interface AgentLogRepository {
  create(entry: AgentLogInput): AgentLog;
  list(options?: ListAgentLogsOptions): AgentLog[];
}

/**
 * Builds the repository over an open, migrated database; every text of an entry is redacted before it is written.
 * @internal the raw connection stays out of the published types
 */
export const createAgentLogRepository: RepositoryFactory<AgentLogRepository> = (db, now, redactor) => {
  const insert = db.prepare(`INSERT INTO agent_logs
    (workflow_id, agent_id, phase, action, input, output, status, error_message, duration_ms, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectOne = db.prepare("SELECT * FROM agent_logs WHERE id = ?");
  return {
    create(raw) {
      const e = redactor.redactValue(AgentLogInputSchema.parse(raw));
      const info = insert.run(
        e.workflowId,
        e.agentId,
        e.phase,
        e.action,
        toJsonColumn(capStrings(e.input)),
        toJsonColumn(capStrings(e.output)),
        e.status,
        capNullable(e.errorMessage),
        e.durationMs ?? null,
        now(),
      );
      return fromRow(selectOne.get(info.lastInsertRowid) as AgentLogRow);
    },
    list(options = {}) {
      const where = whereClause({ workflow_id: options.workflowId, agent_id: options.agentId, status: options.status });
      const sql = `SELECT * FROM agent_logs ${where.sql} ORDER BY id LIMIT ?`;
      return (db.prepare(sql).all(...where.params, options.limit ?? 500) as AgentLogRow[]).map(fromRow);
    },
  };
};
