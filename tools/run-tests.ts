// run_tests: runs a project's test suite (or some files), stores the run and returns a compact result.
import { z } from "zod";
import type { RunProgress } from "../src/runners/adapter.js";
import { compactRun, CompactRunSchema } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool, ToolContext } from "./define-tool.js";
import { withRunnerArgs } from "../src/runners/runner-args.js";
import { projectPathField, runnerArgsField } from "./fields.js";
import { checkTestTargets } from "./project-scope.js";
import type { ToolSession } from "./session.js";

export const RunTestsInputSchema = z.strictObject({
  projectPath: projectPathField,
  files: z
    .array(z.string().min(1))
    .max(200)
    .optional()
    .describe(
      "Test files or node ids (pytest `file::test`, vitest/jest `file::suite > test`) to run, relative to the project root (paths " +
        "leading outside it, " +
        "also through symlinks, are refused). Omit to run the whole suite.",
    ),
  coverage: z
    .boolean()
    .optional()
    .describe("Measure line coverage (pytest-cov, or the v8 provider for vitest/jest; slower). Default: false."),
  testTimeoutSeconds: z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe("Per-test time limit in seconds; a test past it fails as a timeout. Default: 10."),
  runnerArgs: runnerArgsField,
});

/** Minimum milliseconds between two progress reports of one run. */
const PROGRESS_INTERVAL_MS = 200;

/** Turns the runner's progress callbacks into throttled tool progress (done tests out of collected). */
export function runProgressReporter(ctx: ToolContext): (p: RunProgress) => void {
  let last = 0;
  let lastDone = -1;
  return (p) => {
    const now = Date.now();
    const finished = p.collected !== null && p.done >= p.collected;
    if (p.done <= lastDone || (!finished && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    lastDone = p.done;
    void ctx.progress({
      progress: p.done,
      ...(p.collected !== null ? { total: p.collected } : {}),
      message:
        `${p.done}${p.collected !== null ? `/${p.collected}` : ""} tests done, ${p.failed} failed` +
        `${p.lastNodeId ? ` (last: ${p.lastNodeId})` : ""}`,
    });
  };
}

/** The run_tests tool. */
export function createRunTestsTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "run_tests",
    description:
      "Run the project's test suite with its runner (pytest, vitest or jest; only some files / node ids when given) and return " +
      "JSON: status, counts, coverage, and each failure's " +
      "nodeId, error type, message, location and (for the first few) stack trace. The run is stored; its runId feeds " +
      "analyze_failure, find_pattern_fix, generate_llm_fix and get_test_report.",
    schema: RunTestsInputSchema,
    outputSchema: CompactRunSchema,
    async run(input, ctx) {
      const projectRoot = session.projectRoot(input.projectPath);
      checkTestTargets(projectRoot, input.files ?? []);
      const adapter = withRunnerArgs(await session.deps.projects.adapter(projectRoot), input.runnerArgs);
      const result = await adapter.runTests({
        files: input.files !== undefined && input.files.length > 0 ? input.files : undefined,
        coverage: input.coverage ?? false,
        testTimeoutSeconds: input.testTimeoutSeconds,
        onProgress: runProgressReporter(ctx),
        signal: ctx.signal,
      });
      const runId = session.deps.store.saveTestRun(result, { projectPath: projectRoot });
      return compactRun(result, runId);
    },
  });
}
