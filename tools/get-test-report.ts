// get_test_report: the test report of a stored run (summary, failure details, coverage, recommendations).
import { z } from "zod";
import { RedgreenError } from "../src/domain/errors.js";
import { SlowTestSchema, TestRunStatusSchema } from "../src/domain/index.js";
import { summaryLine } from "../src/store/index.js";
import { cutHead, FailureShownSchema, MAX_FAILURES } from "./compact.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import { projectPathField } from "./fields.js";
import type { ToolSession } from "./session.js";

export const GetTestReportInputSchema = z.strictObject({
  runId: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("runId of a stored run (from run_tests). Omit for the newest stored run of the project."),
  projectPath: projectPathField.describe("Project whose newest run to report when runId is omitted. Omit for the default project."),
});

const int = z.number().int();

export const GetTestReportOutputSchema = z.object({
  runId: int,
  summaryLine: z.string(),
  summary: z.object({
    status: TestRunStatusSchema,
    total: int,
    passed: int,
    failed: int,
    errors: int,
    skipped: int,
    xfailed: int,
    xpassed: int,
    durationSeconds: z.number(),
    passRate: z.number().nullable(),
    message: z.string().optional(),
  }),
  failureDetails: z.array(FailureShownSchema.extend({ errorMessage: z.string(), raisedAt: z.string().nullable() })),
  moreFailures: int.optional(),
  coverage: z
    .object({
      percent: z.number(),
      coveredLines: int,
      totalLines: int,
      leastCovered: z.array(z.object({ file: z.string(), percent: z.number(), missingLines: int })),
    })
    .nullable(),
  coverageError: z.string().optional(),
  slowTests: z.array(SlowTestSchema),
  recommendations: z.array(z.string()),
});

/** The get_test_report tool. */
export function createGetTestReportTool(session: ToolSession): RedgreenTool {
  return defineTool({
    name: "get_test_report",
    description:
      "Report on a stored test run: a one-line summary, pass rate, failure details (type, message, location), coverage with the " +
      "least covered files, slow tests and recommendations. Reads the database only; nothing is run.",
    schema: GetTestReportInputSchema,
    outputSchema: GetTestReportOutputSchema,
    async run(input) {
      const { store } = session.deps;
      let runId = input.runId;
      if (runId === undefined) {
        const projectRoot = session.projectRoot(input.projectPath);
        const newest = store.listTestRuns({ projectPath: projectRoot, limit: 1 })[0];
        if (newest === undefined) throw new RedgreenError("not_found", `no stored test run for ${projectRoot}: call run_tests first`);
        runId = newest.id;
      }
      const report = store.generateTestReport(runId);
      return {
        runId,
        summaryLine: summaryLine(report),
        summary: report.summary,
        failureDetails: report.failureDetails.slice(0, MAX_FAILURES).map((d) => ({ ...d, errorMessage: cutHead(d.errorMessage, 300) })),
        ...(report.failureDetails.length > MAX_FAILURES ? { moreFailures: report.failureDetails.length - MAX_FAILURES } : {}),
        coverage: report.coverageSummary,
        ...(report.coverageError !== null ? { coverageError: report.coverageError } : {}),
        slowTests: report.slowTests.slice(0, 10),
        recommendations: report.recommendations,
      };
    },
  });
}
