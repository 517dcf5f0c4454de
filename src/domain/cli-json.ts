// The CLI's --json documents as zod schemas: `redgreen test --json` and the one error object of a failed --json command.
import { z } from "zod";
import { ERROR_CODES } from "./errors.js";
import { RunnerChoiceSchema } from "./runner-choice.js";
import { TestRunResultSchema } from "./test-run.js";

/** What `redgreen test --json` prints: the TestRunResult plus the runner chosen and why. */
export const TestCommandJsonSchema = TestRunResultSchema.extend({ runner: RunnerChoiceSchema });
export type TestCommandJson = z.infer<typeof TestCommandJsonSchema>;

/** The one object a `--json` command prints on stdout when an error ends it (exit 2). */
export const JsonErrorSchema = z.object({
  /** One line, at most 300 characters (longer texts end with "…"). */
  error: z.string(),
  code: z.enum(ERROR_CODES),
});
export type JsonError = z.infer<typeof JsonErrorSchema>;
