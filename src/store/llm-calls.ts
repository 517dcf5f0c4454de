// LLM-call repository: the llm_calls table behind the LlmCallLog interface the LLM fixer records to and budgets from.
import type { Database } from "better-sqlite3";
import { LlmCallInputSchema, LlmCallSchema } from "../fixers/llm/call-log.js";
import type { LlmCall, LlmCallLog } from "../fixers/llm/call-log.js";
import type { SecretRedactor } from "../fixers/llm/redact.js";
import { capNullable } from "./text-cap.js";

interface LlmCallRow {
  id: number;
  workflow_id: string;
  purpose: string;
  node_id: string | null;
  model: string;
  attempt: number;
  prompt_tokens: number;
  completion_tokens: number;
  tokens_estimated: number;
  latency_ms: number;
  outcome: string;
  error: string | null;
  prompt: string | null;
  completion: string | null;
  created_at: string;
}

const fromRow = (row: LlmCallRow): LlmCall =>
  LlmCallSchema.parse({
    id: row.id,
    workflowId: row.workflow_id,
    purpose: row.purpose,
    nodeId: row.node_id,
    model: row.model,
    attempt: row.attempt,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    tokensEstimated: row.tokens_estimated === 1,
    latencyMs: row.latency_ms,
    outcome: row.outcome,
    error: row.error,
    prompt: row.prompt,
    completion: row.completion,
    createdAt: row.created_at,
  });

/** Typed access to llm_calls; satisfies LlmCallLog so generateFixWithLlm records straight into SQLite. */
export interface LlmCallRepository extends LlmCallLog {
  get(id: number): LlmCall | null;
}

/**
 * Builds the repository over a store migrated to version 2 or later; texts are redacted with the store's redactor before they are written.
 * @internal the raw connection stays out of the published types
 */
export function createLlmCallRepository(
  store: { db: Database; redactor: Pick<SecretRedactor, "redactValue"> },
  now: () => string,
): LlmCallRepository {
  const { db, redactor } = store;
  const insert = db.prepare(
    `INSERT INTO llm_calls
    (workflow_id, purpose, node_id, model, attempt, prompt_tokens, completion_tokens, tokens_estimated, latency_ms, outcome, error, ` +
      `prompt, completion, created_at)
    VALUES (@workflowId, @purpose, @nodeId, @model, @attempt, @promptTokens, @completionTokens, @tokensEstimated, @latencyMs, @outcome, ` +
      `@error, @prompt, @completion, @createdAt)`,
  );
  const selectOne = db.prepare("SELECT * FROM llm_calls WHERE id = ?");
  const selectByWorkflow = db.prepare("SELECT * FROM llm_calls WHERE workflow_id = ? ORDER BY id");
  const sumTokens = db.prepare("SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS spent FROM llm_calls WHERE workflow_id = ?");
  return {
    record(raw) {
      const c = redactor.redactValue(LlmCallInputSchema.parse(raw));
      const texts = { error: capNullable(c.error), prompt: capNullable(c.prompt), completion: capNullable(c.completion) };
      const info = insert.run({ ...c, ...texts, tokensEstimated: c.tokensEstimated ? 1 : 0, createdAt: now() });
      return fromRow(selectOne.get(info.lastInsertRowid) as LlmCallRow);
    },
    tokensSpent: (workflowId) => (sumTokens.get(workflowId) as { spent: number }).spent,
    list: (workflowId) => (selectByWorkflow.all(workflowId) as LlmCallRow[]).map(fromRow),
    get(id) {
      const row = selectOne.get(id) as LlmCallRow | undefined;
      return row === undefined ? null : fromRow(row);
    },
  };
}
