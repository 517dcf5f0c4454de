// Run counts: how many full, affected and targeted test runs a workflow made (the report says, the bench reads it).
import type { z } from "zod";
import { RunSummarySchema } from "../src/domain/run-summary.js";
import { selectedOnly } from "../src/proof/targets.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../src/runners/adapter.js";
import { wrapAdapter } from "../src/runners/wrap-adapter.js";
import { reportPhase } from "../src/process/timings.js";
import type { WorkflowDeps } from "./deps.js";

export const RunCountsSchema = RunSummarySchema.shape.testRuns.unwrap();
export type WorkflowRunCounts = z.infer<typeof RunCountsSchema>;

export const NO_RUNS: WorkflowRunCounts = { full: 0, affected: 0, targeted: 0 };

/** The kind of one run: given files or ids, the tests affected by changed files (no fallback), or the whole suite. */
const kindOf = (options: RunTestsOptions | undefined, selectedAffected: boolean): keyof WorkflowRunCounts =>
  options?.files !== undefined && options.files.length > 0 ? "targeted" : selectedAffected ? "affected" : "full";

interface CountingAdapter {
  adapter: TestRunnerAdapter;
  counts: WorkflowRunCounts;
}

const counting = new WeakMap<WorkflowDeps, CountingAdapter>();

/**
 * The workflow's adapter with its runs counted, one per workflow services (so the proof's guard, cached per adapter,
 * stays the same between nodes and sees the files change between runs).
 */
export function countedAdapter(deps: WorkflowDeps): CountingAdapter {
  const known = counting.get(deps);
  if (known) return known;
  const inner = deps.adapter;
  const counts = { ...NO_RUNS };
  // Counting is no second guard: over a guarded adapter the proof's guardAdapter takes it as it is (wrapAdapter keeps
  // the inner adapter's marker).
  const adapter = wrapAdapter(inner, {
    runTests: async (options) => {
      const started = performance.now();
      const result = await inner.runTests(options);
      const kind = kindOf(options, options?.affectedBy !== undefined && selectedOnly(result));
      counts[kind] += 1;
      reportPhase(`test run: ${kind}${options?.coverage ? " with coverage" : ""}, ${result.total} tests`, started);
      return result;
    },
    runSpecificTest: async (file, testName, options) => {
      const started = performance.now();
      const result = await inner.runSpecificTest(file, testName, options);
      counts.targeted += 1;
      reportPhase(`test run: targeted, ${result.total} tests`, started);
      return result;
    },
  });
  const made = { adapter, counts };
  counting.set(deps, made);
  return made;
}

/** Runs `work` and adds the runs it made to `before` (the counts in graph state, so a resumed workflow keeps them). */
export async function countingRuns<T>(deps: WorkflowDeps, before: WorkflowRunCounts, work: (adapter: TestRunnerAdapter) => Promise<T>) {
  const { adapter, counts } = countedAdapter(deps);
  const start = { ...counts };
  const value = await work(adapter);
  const runCounts = {
    full: before.full + counts.full - start.full,
    affected: before.affected + counts.affected - start.affected,
    targeted: before.targeted + counts.targeted - start.targeted,
  };
  return { value, runCounts };
}
