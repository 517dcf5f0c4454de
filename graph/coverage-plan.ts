// Which of the workflow's full runs measure coverage (opt-in): the first, with the per-test map, and one expected green.
import type { RunTestsOptions } from "../src/runners/adapter.js";
import { stableIdSet, stableNodeId } from "../src/domain/node-id.js";
import type { WorkflowOptions } from "./deps.js";
import type { RunDigest } from "./state.js";

type Measure = Required<Pick<RunTestsOptions, "coverage" | "perTestCoverage">>;

/** A run that measures no coverage. */
export const NO_COVERAGE: Measure = { coverage: false, perTestCoverage: false };

/**
 * A full run's coverage: none unless the workflow opted in. The first full run (no run before it) measures it with
 * per-test contexts, which build the impact map; a later full run measures the totals only, and only when it should
 * end green (`expectGreen`), so the report's final coverage comes from the run that proves green.
 */
export function fullRunCoverage(options: Pick<WorkflowOptions, "coverage">, last: RunDigest | null, expectGreen: boolean): Measure {
  if (!options.coverage) return NO_COVERAGE;
  if (last === null) return { coverage: true, perTestCoverage: true };
  return expectGreen ? { coverage: true, perTestCoverage: false } : NO_COVERAGE;
}

/** True when a fix for `targets` leaves nothing failing: every failing test of `last` is one of them. */
export function fixesEverything(last: RunDigest | null, targets: readonly string[]): boolean {
  if (last === null) return false;
  const fixed = stableIdSet(targets);
  return last.failing.every((id) => fixed.has(stableNodeId(id)));
}
