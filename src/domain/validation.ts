// ValidationResult: the FixValidator's verdict on one proposed change.
import { z } from "zod";

export const RiskSchema = z.enum(["low", "medium", "high"]);
export type Risk = z.infer<typeof RiskSchema>;

export const ValidationResultSchema = z.object({
  valid: z.boolean(),
  reasons: z.array(z.string()),
  warnings: z.array(z.string()),
  risk: RiskSchema,
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;
