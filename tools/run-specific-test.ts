// run_specific_test: runs one test (a file plus a test name) and returns its compact result.
import { z } from "zod";
import { compactRun, CompactRunSchema } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectPathField } from "./fields.js";
import { checkTestTargets } from "./project-scope.js";
import { runProgressReporter } from "./run-tests.js";
import type { ToolSession } from "./session.js";

export const RunSpecificTestInputSchema = z.strictObject({
  projectPath: projectPathField,
  testFile: z
    .string()
    .min(1)
    .describe("The test file, relative to the project root (e.g. tests/test_cart.py); it must lie inside the project."),
  testName: z
    .string()
    .min(1)
    .describe("The test inside the file: a function name, Class::method, or a parametrized id such as test_add[1-2]."),
});

/** The run_specific_test tool. */
export function createRunSpecificTestTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "run_specific_test",
    description:
      "Run a single test and return JSON with its status and, when it fails, the error type, message, location and stack trace. " +
      "Use it to check one failure quickly after a fix. The run is stored and its runId returned.",
    schema: RunSpecificTestInputSchema,
    outputSchema: CompactRunSchema,
    async run(input, ctx) {
      const projectRoot = session.projectRoot(input.projectPath);
      checkTestTargets(projectRoot, [input.testFile]);
      const adapter = await session.deps.projects.adapter(projectRoot);
      const result = await adapter.runSpecificTest(input.testFile, input.testName, {
        onProgress: runProgressReporter(ctx),
        signal: ctx.signal,
      });
      const runId = session.deps.store.saveTestRun(result, { projectPath: projectRoot });
      return compactRun(result, runId);
    },
  });
}
