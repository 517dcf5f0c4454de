// fix_failing_tests: runs the whole red-to-green workflow through the injected runner and returns a short summary.
import { z } from "zod";
import { RedgreenError } from "../src/domain/errors.js";
import { RunSummarySchema } from "../src/domain/index.js";
import { defineTool } from "./define-tool.js";
import type { RedgreenTool } from "./define-tool.js";
import type { FixFailingTestsDeps, RunWorkflow, WorkflowProgress, WorkflowRequest } from "./deps.js";
import { projectPathField, runnerArgsField } from "./fields.js";
import { formatRunSummary } from "./format-run-summary.js";
import { resolveProjectRoot } from "./project-scope.js";

export const FixFailingTestsInputSchema = z.strictObject({
  projectPath: projectPathField,
  maxIterations: z.number().int().min(1).max(20).optional().describe("Fix rounds at most before stopping. Default: 5."),
  noLlm: z.boolean().optional().describe("Use only the deterministic pattern fixes, never the LLM. Default: false."),
  dryRun: z
    .boolean()
    .optional()
    .describe("Find and verify fixes, then restore every file: only the patch is reported, nothing stays changed. Default: false."),
  coverage: z
    .boolean()
    .optional()
    .describe(
      "Measure line coverage: the first full run with per-test contexts (the impact map) and the full run that proves green " +
        "(the summary's final coverage). Slower (pytest: 2-4x a run). Default: the server's setting (off unless it opted in), " +
        "coverage null (not measured).",
    ),
  runnerArgs: runnerArgsField,
});

/** Minimum milliseconds between two transient progress updates (per-test counts); steps always go through. */
const TRANSIENT_INTERVAL_MS = 250;

/** Deps without a runner: the tool exists but answers with a configuration error. */
export type OptionalRunner = Omit<FixFailingTestsDeps, "runWorkflow"> & { runWorkflow?: RunWorkflow | undefined };

/** The runner and the request for a fix_failing_tests / start_fix input (the project checked, the switches the deps set). */
export function workflowCall(
  deps: OptionalRunner,
  input: z.output<typeof FixFailingTestsInputSchema>,
  tool: string,
): { runWorkflow: RunWorkflow; request: WorkflowRequest } {
  if (deps.runWorkflow === undefined) {
    throw new RedgreenError("config", `${tool} is not available here: no workflow runner was configured`);
  }
  const request: WorkflowRequest = {
    projectRoot: resolveProjectRoot(deps, input.projectPath),
    maxIterations: input.maxIterations,
    allowTestEdits: deps.allowTestEdits ?? false,
    allowRisky: deps.allowRisky,
    noLlm: input.noLlm ?? false,
    dryRun: input.dryRun ?? false,
    coverage: input.coverage,
    runnerArgs: input.runnerArgs !== undefined && input.runnerArgs.length > 0 ? input.runnerArgs : undefined,
  };
  return { runWorkflow: deps.runWorkflow, request };
}

/** A workflow progress line as the caller sees it: "[iteration 1/5] validate: …". */
export const progressLine = (p: WorkflowProgress): string =>
  `${p.iteration !== undefined ? `[iteration ${p.iteration}${p.maxIterations !== undefined ? `/${p.maxIterations}` : ""}] ` : ""}` +
  `${p.message}`;

/** Calls `report` with each step and at most one transient update (per-test counts) per TRANSIENT_INTERVAL_MS. */
export function throttledProgress(report: (p: WorkflowProgress) => void): (p: WorkflowProgress) => void {
  let lastTransient = 0;
  return (p) => {
    if (p.transient) {
      const now = Date.now();
      if (now - lastTransient < TRANSIENT_INTERVAL_MS) return;
      lastTransient = now;
    }
    report(p);
  };
}

/** The fix_failing_tests tool: the sub-agent entry point for a supervisor that just wants the suite green. */
export function createFixFailingTestsTool(deps: OptionalRunner): RedgreenTool {
  return defineTool({
    name: "fix_failing_tests",
    description:
      "Take the project's failing test suite (pytest, vitest or jest) to green on its own: run the tests, analyze each failure, " +
      "try deterministic pattern " +
      "fixes then LLM fixes, validate each, keep only fixes that make a failing test pass without breaking others (the rest are " +
      "rolled back byte for byte), and repeat up to maxIterations. Tests are never weakened. Returns the run summary (structured: " +
      "status, iterations, kept fixes, remaining failures, patch) and a short text of it. Can take minutes: start_fix and " +
      "get_workflow do the same without holding the call open.",
    schema: FixFailingTestsInputSchema,
    outputSchema: RunSummarySchema,
    summarize: formatRunSummary,
    async run(input, ctx) {
      const { runWorkflow, request } = workflowCall(deps, input, "fix_failing_tests");
      let step = 0;
      return runWorkflow(request, {
        onProgress: throttledProgress((p) => void ctx.progress({ progress: ++step, message: progressLine(p) })),
        signal: ctx.signal,
      });
    },
  });
}
