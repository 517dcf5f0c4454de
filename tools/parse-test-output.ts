// parse_test_output: pasted pytest terminal output → the same structured result run_tests returns.
import { z } from "zod";
import { parsePytestOutput } from "../src/runners/pytest/adapter.js";
import { compactRun } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectPathField } from "./fields.js";
import type { ToolSession } from "./session.js";

/** Pasted logs above this size are refused (a CI log of this size is not a single pytest run). */
export const MAX_PASTED_CHARS = 2_000_000;

export const ParseTestOutputInputSchema = z.strictObject({
  output: z
    .string()
    .min(1)
    .max(MAX_PASTED_CHARS)
    .describe("The terminal output of a pytest run, pasted as is (the FAILURES section and the short test summary matter most)."),
  projectPath: projectPathField.describe(
    "Project the output belongs to: the parsed run is stored under it, so analyze_failure can read its failures. Omit for the default project.",
  ),
  store: z.boolean().optional().describe("Store the parsed run and return its runId. Default: true."),
});

/** The parse_test_output tool. */
export function createParseTestOutputTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "parse_test_output",
    description:
      "Parse pasted pytest terminal output (e.g. from a CI log) into JSON: status, counts and each failure's nodeId, error type, " +
      "message and location. Nothing is run. The parsed run is stored under the project so analyze_failure and the fix tools can use it.",
    schema: ParseTestOutputInputSchema,
    async run(input) {
      const result = parsePytestOutput(input.output);
      let runId: number | null = null;
      if (input.store !== false) {
        const projectRoot = session.projectRoot(input.projectPath);
        runId = session.deps.store.saveTestRun(result, { projectPath: projectRoot });
      }
      return JSON.stringify({ ...compactRun(result, runId), source: result.source });
    },
  });
}
