// The structured answer the model returns for a fix: edits as exact find/replace pairs, an explanation, a confidence.
import { z } from "zod";

/** The tool the model is asked to call; its arguments follow LlmFixResponseSchema. */
export const FIX_TOOL_NAME = "propose_fix";

export const FIX_TOOL_DESCRIPTION =
  "Propose the minimal edit that makes the failing test pass. Each edit replaces exact text copied from the file with new text.";

// No .default() and no .int() here: zod 4 turns defaults into "required" and ints into huge bounds in the JSON Schema.
/** One replacement in one file, as the model sends it. */
export const LlmEditSchema = z.object({
  file: z.string().describe("Path of the file to change, relative to the project root, exactly as shown in the prompt"),
  find: z.string().describe("Exact text currently in the file, copied with its indentation, a few lines at most, near the reported line"),
  replace: z.string().describe("The text that replaces `find`"),
});
export type LlmEdit = z.infer<typeof LlmEditSchema>;

/** The whole answer: the arguments of the propose_fix tool, or the content of the fenced fallback block. */
export const LlmFixResponseSchema = z.object({
  edits: z.array(LlmEditSchema).describe("The edits, usually one"),
  explanation: z.string().describe("One or two sentences: the root cause and why this edit fixes it"),
  confidence: z.number().min(0).max(1).describe("How sure you are that the edit fixes the test, from 0 to 1"),
});
export type LlmFixResponse = z.infer<typeof LlmFixResponseSchema>;
