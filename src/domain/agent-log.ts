// AgentLog rows: one audit-log entry per agent action.
import { z } from "zod";

export const AgentLogStatusSchema = z.enum(["started", "success", "failure", "skipped", "error"]);
export type AgentLogStatus = z.infer<typeof AgentLogStatusSchema>;

export const AgentLogInputSchema = z.object({
  workflowId: z.string().nullable(),
  agentId: z.string(),
  phase: z.string(),
  action: z.string(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  status: AgentLogStatusSchema,
  errorMessage: z.string().nullable().optional(),
  durationMs: z.number().nonnegative().nullable().optional(),
});
export type AgentLogInput = z.infer<typeof AgentLogInputSchema>;

export const AgentLogSchema = AgentLogInputSchema.extend({
  id: z.number().int(),
  createdAt: z.string(),
});
export type AgentLog = z.infer<typeof AgentLogSchema>;
