// LlmCallLog: where every model call is recorded (the store's llm_calls table, or memory) and the token budget is read.
import { z } from "zod";

export const LlmCallOutcomeSchema = z.enum([
  /** The answer parsed into a fix proposal. */
  "proposal",
  /** The server answered, but not with a usable fix (empty, garbage, schema mismatch). */
  "invalid_answer",
  "rate_limited",
  "server_error",
  "timeout",
  "connection",
  /** The server rejected the tool-calling request; the call was repeated without tools. */
  "tools_unsupported",
  "error",
  /** Not sent: the workflow's token budget was spent. */
  "skipped_budget",
]);
export type LlmCallOutcome = z.infer<typeof LlmCallOutcomeSchema>;

/** One model call (or one refusal to call), as recorded. Prompt and completion are redacted before they get here. */
export const LlmCallInputSchema = z.object({
  workflowId: z.string(),
  /** What the call was for ("fix", later "chat", "explain"). */
  purpose: z.string(),
  /** The failing test the call was about, when there is one. */
  nodeId: z.string().nullable(),
  model: z.string(),
  /** 1 for the first try, 2.. for retries. */
  attempt: z.number().int().positive(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** True when the server sent no usage and the counts are chars/4 estimates. */
  tokensEstimated: z.boolean(),
  latencyMs: z.number().nonnegative(),
  outcome: LlmCallOutcomeSchema,
  error: z.string().nullable(),
  prompt: z.string().nullable(),
  completion: z.string().nullable(),
});
export type LlmCallInput = z.infer<typeof LlmCallInputSchema>;

export const LlmCallSchema = LlmCallInputSchema.extend({ id: z.number().int(), createdAt: z.string() });
export type LlmCall = z.infer<typeof LlmCallSchema>;

/** The recorder generateFixWithLlm writes to; the SQLite repository (src/store/llm-calls.ts) implements it. */
export interface LlmCallLog {
  record(call: LlmCallInput): LlmCall;
  /** Prompt + completion tokens spent by a workflow so far (survives a resumed run when backed by SQLite). */
  tokensSpent(workflowId: string): number;
  list(workflowId: string): LlmCall[];
}

/** A process-local LlmCallLog for runs without a database (and for unit tests). */
export function createMemoryLlmCallLog(now: () => string = () => new Date().toISOString()): LlmCallLog {
  const rows: LlmCall[] = [];
  return {
    record(call) {
      const row = LlmCallSchema.parse({ ...call, id: rows.length + 1, createdAt: now() });
      rows.push(row);
      return row;
    },
    tokensSpent: (workflowId) =>
      rows.filter((r) => r.workflowId === workflowId).reduce((sum, r) => sum + r.promptTokens + r.completionTokens, 0),
    list: (workflowId) => rows.filter((r) => r.workflowId === workflowId),
  };
}
