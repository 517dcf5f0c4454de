// overlayRun: the baseline after a fix kept on an affected run: the last full picture with the affected run's tests on top.
import { holdersOf, stableIdSet, stableNodeId } from "../domain/node-id.js";
import type { Failure, TestRunResult } from "../domain/index.js";

/** Whether `id` names a reported test or holds one (a module or class whose tests the affected run reported). */
const coveredBy =
  (reported: ReadonlySet<string>, reportedHolders: ReadonlySet<string>) =>
  (id: string): boolean => {
    const stable = stableNodeId(id);
    return reported.has(stable) || reportedHolders.has(stable);
  };

const isError = (f: Failure): boolean => f.phase !== "call";

/**
 * The baseline with every test the affected run reported (passed, failed or skipped; ids compared stable) taken from
 * that run, and every other test as the baseline had it. A baseline failure on a module or class that the affected run
 * reported tests of is replaced by them (its collection now succeeds). Counts are adjusted by what was replaced; the
 * baseline's anomalies, volatile files and crash stay (the tests it did not run are still unseen). The result carries
 * the affected run's selection, so a reader knows it is a composed picture and not one run of the whole suite.
 */
export function overlayRun(baseline: TestRunResult, affected: TestRunResult): TestRunResult {
  const reportedIds = [...affected.passedNodeIds, ...(affected.skippedNodeIds ?? []), ...affected.failures.map((f) => f.nodeId)];
  const reported = stableIdSet(reportedIds);
  // The classes and files holding a reported test: a failure recorded on one is replaced by its tests.
  const holders = new Set([...reported].flatMap((id) => holdersOf(id).slice(1)));
  const replaced = coveredBy(reported, holders);

  const keptPassed = baseline.passedNodeIds.filter((id) => !replaced(id));
  const keptSkipped = (baseline.skippedNodeIds ?? []).filter((id) => !replaced(id));
  const droppedFailures = baseline.failures.filter((f) => replaced(f.nodeId));
  const keptFailures = baseline.failures.filter((f) => !replaced(f.nodeId));
  const droppedTests = (failures: readonly Failure[]): number => new Set(failures.map((f) => stableNodeId(f.nodeId))).size;
  const removed = {
    passed: baseline.passedNodeIds.length - keptPassed.length,
    skipped: (baseline.skippedNodeIds ?? []).length - keptSkipped.length,
    failed: droppedTests(droppedFailures.filter((f) => !isError(f))),
    errors: droppedTests(droppedFailures.filter(isError)),
  };
  const count = (before: number, gone: number, added: number): number => Math.max(0, before - gone) + added;
  const passed = count(baseline.passed, removed.passed, affected.passed);
  const failed = count(baseline.failed, removed.failed, affected.failed);
  const errors = count(baseline.errors, removed.errors, affected.errors);
  const skipped = count(baseline.skipped, removed.skipped, affected.skipped);
  const gone = removed.passed + removed.skipped + removed.failed + removed.errors;
  const failures = [...keptFailures, ...affected.failures];
  const total = count(baseline.total, gone, affected.total);
  return {
    ...baseline,
    status: failures.length > 0 || failed + errors > 0 ? "failed" : total === 0 ? "no_tests" : "passed",
    passed,
    failed,
    errors,
    skipped,
    total,
    failures,
    passedNodeIds: [...keptPassed, ...affected.passedNodeIds],
    ...(baseline.skippedNodeIds !== undefined || affected.skippedNodeIds !== undefined
      ? { skippedNodeIds: [...keptSkipped, ...(affected.skippedNodeIds ?? [])] }
      : {}),
    testFiles: [...new Set([...baseline.testFiles, ...affected.testFiles])],
    anomalies: [...baseline.anomalies, ...affected.anomalies],
    command: affected.command,
    durationSeconds: affected.durationSeconds,
    ...(affected.selection !== undefined ? { selection: affected.selection } : {}),
  };
}
