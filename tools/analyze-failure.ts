// analyze_failure: the StackTraceAnalyzer's verdict on one stored failure (category, root cause, where and how to fix).
import { z } from "zod";
import { analyzeFailure } from "../src/analysis/index.js";
import { AnalysisSchema } from "../src/domain/index.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { nodeIdField, projectPathField, runIdField } from "./fields.js";
import type { ToolSession } from "./session.js";

export const AnalyzeFailureInputSchema = z.strictObject({
  projectPath: projectPathField,
  nodeId: nodeIdField,
  runId: runIdField,
});

/** Failures of the same run compared for a shared root cause. */
const MAX_COMPARED = 50;

/** The analyze_failure tool. */
export function createAnalyzeFailureTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "analyze_failure",
    description:
      "Analyze one failing test from a stored run: error category, root cause, the file and line to fix, the fix strategy, a " +
      "suggestion and a confidence, plus the other failures of that run sharing the root cause (fix those once). When the error is " +
      "an assertion in the test itself and the last full run_tests measured coverage (pytest: per-test contexts), suspiciousLines " +
      "ranks the project lines the failing tests ran more than the passing ones (Ochiai). No files change.",
    schema: AnalyzeFailureInputSchema,
    outputSchema: AnalysisSchema.omit({ groupKey: true }).extend({
      runId: z.number().int(),
      nodeId: z.string(),
      sameRootCause: z.array(z.string()).describe("Other failures of the run with the same root cause: one fix should fix them too."),
    }),
    async run(input) {
      const ref = session.findFailure(input);
      const analysis = await session.analyze(ref);
      const sameRootCause = ref.result.failures
        .slice(0, MAX_COMPARED)
        .filter(
          (f) => f.nodeId !== ref.failure.nodeId && analyzeFailure(f, { projectRoot: ref.projectRoot }).groupKey === analysis.groupKey,
        )
        .map((f) => f.nodeId);
      const { groupKey: _groupKey, ...shown } = analysis;
      return { runId: ref.runId, nodeId: ref.failure.nodeId, ...shown, sameRootCause };
    },
  });
}
