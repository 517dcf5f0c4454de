// parse_test_output: pasted pytest, vitest or jest terminal output → the same structured result run_tests returns.
import { z } from "zod";
import { isJsTestPath } from "../src/analysis/language.js";
import { TestRunResultSchema } from "../src/domain/index.js";
import type { TestRunResult } from "../src/domain/index.js";
import { parseJsText } from "../src/parsers/js-text.js";
import { RUNNER_NAMES } from "../src/runners/adapter.js";
import { parsePytestOutput } from "../src/runners/pytest/adapter.js";
import { compactRun, CompactRunSchema } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectPathField } from "./fields.js";
import type { ToolSession } from "./session.js";

/** Pasted logs above this size are refused (a CI log of this size is not a single test run). */
export const MAX_PASTED_CHARS = 2_000_000;

export const ParseTestOutputInputSchema = z.strictObject({
  output: z
    .string()
    .min(1)
    .max(MAX_PASTED_CHARS)
    .describe("The terminal output of a pytest, vitest or jest run, pasted as is (the failures and the summary lines matter most)."),
  runner: z
    .enum(RUNNER_NAMES)
    .optional()
    .describe("The runner that printed the output. Default: the project's own runner (detected from its config and package.json)."),
  projectPath: projectPathField.describe(
    "Project the output belongs to: the parsed run is stored under it, so analyze_failure can read its failures. Omit for the " +
      "default project.",
  ),
  store: z.boolean().optional().describe("Store the parsed run and return its runId. Default: true."),
});

/** The parse_test_output tool. */
export function createParseTestOutputTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "parse_test_output",
    description:
      "Parse pasted pytest, vitest or jest terminal output (e.g. from a CI log) into JSON: status, counts and each failure's " +
      "nodeId, error type, " +
      "message and location. Nothing is run. The parsed run is stored under the project so analyze_failure and the fix tools can use it.",
    schema: ParseTestOutputInputSchema,
    outputSchema: CompactRunSchema.extend({ source: TestRunResultSchema.shape.source }),
    async run(input) {
      const projectRoot = session.projectRoot(input.projectPath);
      const result = await parsePasted(input.output, projectRoot, input.runner, session);
      let runId: number | null = null;
      if (input.store !== false) runId = session.deps.store.saveTestRun(result, { projectPath: projectRoot });
      return { ...compactRun(result, runId), source: result.source };
    },
  });
}

/** The named runner's text parser, or the project's own adapter's when no runner is named. */
async function parsePasted(
  text: string,
  projectRoot: string,
  runner: (typeof RUNNER_NAMES)[number] | undefined,
  session: ToolSession,
): Promise<TestRunResult> {
  if (runner === undefined) return (await session.deps.projects.adapter(projectRoot)).parseOutput(text);
  if (runner === "pytest") return parsePytestOutput(text);
  return parseJsText(text, { projectRoots: [projectRoot], isTestFile: isJsTestPath }, runner);
}
