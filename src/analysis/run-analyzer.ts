// runAnalyzer: the one analyzer of a test run's failures — the stack analysis plus suspicious lines (Ochiai) for each.
import type { Analysis } from "../domain/analysis.js";
import type { Failure } from "../domain/failure.js";
import type { TestRunnerAdapter } from "../runners/adapter.js";
import { analyzeFailure } from "./analyze.js";
import { faultLocaliserFor, type FaultLocaliser } from "./fault-localisation.js";
import { createFsSourceReader } from "./source.js";

export type FailureAnalyzer = (failure: Failure) => Analysis;

/**
 * Analyzes the failures of one run of `adapter`'s project whose failing tests are `failing`. The suspicious lines come
 * from `localiser` when the caller built one (the workflow's probe run), else from the per-test coverage the adapter
 * last recorded; a failure whose stack points into project code, or a run with no coverage, gets none.
 */
export function runAnalyzer(
  adapter: Pick<TestRunnerAdapter, "projectRoot" | "isTestFile" | "testCoverage">,
  failing: readonly string[],
  localiser: FaultLocaliser | null = faultLocaliserFor(adapter, failing),
): FailureAnalyzer {
  // One reader for the pass: each file is read, indexed and tokenised once however many failures point at it. The
  // import catalogs (Python's) are read by the first NameError that needs them, once per process.
  const ctx = { projectRoot: adapter.projectRoot, localiser, source: createFsSourceReader(adapter.projectRoot) };
  return (failure) => analyzeFailure(failure, ctx);
}
