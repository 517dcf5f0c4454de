// RunnerChoice: which test runner redgreen drives for a project, and why (shown in text output and in --json).
import { z } from "zod";
import { RUNNER_NAMES } from "./runner-names.js";

export { RUNNER_NAMES };
export const RunnerNameSchema = z.enum(RUNNER_NAMES);
export type RunnerName = z.infer<typeof RunnerNameSchema>;

export const RunnerChoiceSchema = z.object({
  runner: RunnerNameSchema,
  /** Why, in a short sentence: "vitest.config.ts found", "named by --runner", ... */
  reason: z.string(),
  /** True when nothing in the project named a runner and pytest was taken as the default. */
  fallback: z.boolean(),
});
export type RunnerChoice = z.infer<typeof RunnerChoiceSchema>;
