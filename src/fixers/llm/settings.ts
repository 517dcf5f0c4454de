// LlmSettings: the knobs of the LLM fix step (budgets, retries, timeout) with their defaults.
import { z } from "zod";

export const LlmSettingsSchema = z.object({
  /** Tokens one prompt (system + user message) may use; the builder trims by rule to fit. */
  promptTokenBudget: z.number().int().positive(),
  /** Tokens (prompt + completion) one workflow may spend in total; further calls are skipped once spent. */
  workflowTokenBudget: z.number().int().positive(),
  /** Cap on one completion's tokens, sent to the model as max_tokens and reserved in the budget check before each call. */
  maxTokens: z.number().int().positive(),
  /** Retries on 429, 5xx, timeouts and dropped connections (so maxRetries + 1 calls at most). */
  maxRetries: z.number().int().nonnegative(),
  /** First backoff; doubles per retry, capped by maxBackoffMs. */
  backoffMs: z.number().nonnegative(),
  maxBackoffMs: z.number().nonnegative(),
  /** Deadline of one model call. */
  timeoutMs: z.number().positive(),
  /** Whether the model may propose edits to test files (the validator enforces it either way). */
  allowTestEdits: z.boolean(),
  /** "force" names the propose_fix tool in tool_choice, "auto" lets the model choose, "none" sends no tools. */
  toolChoice: z.enum(["force", "auto", "none"]),
  /** Keep the (redacted) prompt and completion text in llm_calls. */
  storeTranscripts: z.boolean(),
  /** An answer (text plus tool-call arguments) larger than this many UTF-8 bytes is rejected unread. */
  maxAnswerBytes: z.number().int().positive(),
  /** An answer with more lines than this is rejected unread. */
  maxAnswerLines: z.number().int().positive(),
  /** A line of new text in an edit longer than this many characters rejects the answer. */
  maxEditLineChars: z.number().int().positive(),
});
export type LlmSettings = z.infer<typeof LlmSettingsSchema>;

/** Defaults sized for a local 7-14B coder model as much as for a hosted one. */
export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  promptTokenBudget: 6000,
  workflowTokenBudget: 200_000,
  maxTokens: 2048,
  maxRetries: 2,
  backoffMs: 1000,
  maxBackoffMs: 10_000,
  timeoutMs: 120_000,
  allowTestEdits: false,
  toolChoice: "force",
  storeTranscripts: true,
  maxAnswerBytes: 256 * 1024,
  maxAnswerLines: 5000,
  maxEditLineChars: 2000,
};

/** Defaults overridden by the given values, validated. */
export const resolveLlmSettings = (overrides: Partial<LlmSettings> = {}): LlmSettings =>
  LlmSettingsSchema.parse({ ...DEFAULT_LLM_SETTINGS, ...overrides });
