// Zod fields shared by several tool schemas: every one carries the description models and MCP clients read.
import { z } from "zod";

/** The project a call works in. */
export const projectPathField = z
  .string()
  .min(1)
  .optional()
  .describe("Project root to work in: absolute, or relative to the default project. Omit to use the default project.");

/** A failing test, as run_tests reported it. */
export const nodeIdField = z
  .string()
  .min(1)
  .describe(
    "The failing test's node id as run_tests reported it (e.g. tests/test_cart.py::test_total, tests/cart.test.ts::cart > totals); a bare test name works when it is unique.",
  );

/** The stored run holding a failure. */
export const runIdField = z
  .number()
  .int()
  .positive()
  .optional()
  .describe("runId of the stored test run holding the failure (from run_tests or parse_test_output). Omit to use the newest stored run of the project that has this failure.");

/** One text edit in a project file. */
export const EditInputSchema = z.strictObject({
  file: z.string().min(1).describe("File to edit, relative to the project root."),
  find: z.string().describe("Exact text currently in the file to replace (a few whole lines); empty string to insert at nearLine."),
  replace: z.string().describe("The new text that replaces `find`."),
  nearLine: z.number().int().positive().optional().describe("1-based line near which `find` occurs; picks the right one when the text repeats."),
});

/** The edits of a fix, given inline. */
export const editsField = z
  .array(EditInputSchema)
  .min(1)
  .max(20)
  .optional()
  .describe("The fix as text edits. Give either edits or proposalId.");

/** A fix proposed earlier in this session. */
export const proposalIdField = z
  .string()
  .min(1)
  .optional()
  .describe("proposalId returned by find_pattern_fix or generate_llm_fix. Give either proposalId or edits.");
