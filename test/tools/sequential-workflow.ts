// A RunWorkflow without the graph, for the tool tests: the auto-fixer's rounds over real pytest, recorded in the store.
import { mkdirSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunCounts, RunSummary, RunSummaryStatus, TestRunResult } from "../../src/domain/index.js";
import { RedgreenError } from "../../src/domain/errors.js";
import { unifiedDiff } from "../../src/fixers/apply.js";
import { fixFailures } from "../../src/fixers/auto-fixer.js";
import type { Store } from "../../src/store/index.js";
import type { ProjectServices, RunWorkflow } from "../../tools/index.js";

const countsOf = (r: TestRunResult): RunCounts => ({
  passed: r.passed,
  failed: r.failed,
  errors: r.errors,
  skipped: r.skipped,
  total: r.total,
  coverage: r.coverage?.percent ?? null,
});

/** Pattern fixes only (no model), validated and proven by pytest, kept or undone; dryRun restores every kept file. */
export function createSequentialWorkflow(deps: { store: Store; projects: ProjectServices }): RunWorkflow {
  return async (request, { onProgress, signal }) => {
    const { projectRoot } = request;
    const maxIterations = request.maxIterations ?? 5;
    const [runner, helper] = await Promise.all([deps.projects.adapter(projectRoot), deps.projects.helper(projectRoot)]);
    const workflow = deps.store.createWorkflow({ projectPath: projectRoot, maxIterations });
    onProgress?.({ message: "running the test suite" });
    const initial = await runner.runTests({ ...(signal ? { signal } : {}) });
    deps.store.saveResultsToWorkflow(workflow.id, initial);
    if (initial.status === "error") throw new RedgreenError("runner_failed", `pytest could not run the suite: ${initial.message ?? "no details"}`);

    const outcome = await fixFailures(initial.failures, {}, {
      projectRoot,
      runner,
      helper,
      baseline: initial,
      allowTestEdits: request.allowTestEdits,
      maxIterations,
      onFixRecord: (record) => {
        deps.store.recordFixAttempt(workflow.id, record);
        onProgress?.({ message: `${record.status}: ${record.source}/${record.strategy} in ${record.file}`, iteration: record.iteration, maxIterations });
      },
    });
    const final = outcome.lastRun;
    deps.store.saveResultsToWorkflow(workflow.id, final);

    const kept = outcome.records.filter((r) => r.status === "kept").length;
    const status: RunSummaryStatus =
      initial.status === "no_tests"
        ? "no_tests"
        : final.status === "passed"
          ? "passed"
          : kept === 0
            ? "stuck"
            : outcome.iterations >= maxIterations
              ? "max_iterations"
              : "failed";
    const reason =
      status === "passed"
        ? `all ${final.total} tests pass`
        : status === "stuck"
          ? "no fix made a failing test pass"
          : `${final.failed + final.errors} test(s) still fail`;
    const patch = outcome.fixesApplied.map((c) => unifiedDiff(c.file, c.original, c.fixed)).join("");
    let patchPath: string | null = null;
    if (patch !== "") {
      mkdirSync(join(projectRoot, ".redgreen"), { recursive: true });
      patchPath = join(projectRoot, ".redgreen", `${workflow.id}.patch`);
      writeFileSync(patchPath, patch);
    }
    if (request.dryRun) {
      for (const c of outcome.fixesApplied) await writeFile(join(projectRoot, c.file), c.original);
    }
    deps.store.updateWorkflow(workflow.id, { status, iterations: outcome.iterations });
    const summary: RunSummary = {
      workflowId: workflow.id,
      status,
      reason,
      iterations: outcome.iterations,
      initial: countsOf(initial),
      final: countsOf(final),
      fixes: outcome.records,
      remainingFailures: final.failures.map((f) => ({ nodeId: f.nodeId, errorType: f.errorType, message: f.errorMessage })),
      flaky: [],
      patch,
      patchPath,
      notes: [...(request.noLlm ? [] : ["LLM step skipped: this runner uses pattern fixes only"]), ...(request.dryRun ? ["dry run: every file was restored"] : [])],
      db: deps.store.path,
    };
    return summary;
  };
}
