// Proof targets: what a targeted run selects for each failing node id, and what counts as that target being fixed.
import { posix } from "node:path";
import type { TestRunResult } from "../domain/index.js";
import { liesWithin, scopesHolding, stableIdSet, stableNodeId } from "../domain/node-id.js";

/** One target of a proof: a failing test, or a file whose collection failed (a test module, a conftest, a package). */
export interface ProofTarget {
  nodeId: string;
  /** The baseline failed it while collecting: it is fixed when collection succeeds, whatever its tests then do. */
  collect: boolean;
  /** What the targeted run selects: the node id, or for a conftest/package __init__ the directory it governs. */
  scope: string;
}

/** Files whose collection error blocks a whole directory rather than one module. */
const DIRECTORY_FILES = new Set(["conftest.py", "__init__.py"]);

/** The proof targets of `nodeIds`, told apart by the baseline's failures (a collect-phase failure is a collection error). */
export function proofTargets(nodeIds: readonly string[], baseline: TestRunResult): ProofTarget[] {
  const collectErrors = new Set(baseline.failures.filter((f) => f.phase === "collect").map((f) => f.nodeId));
  return nodeIds.map((nodeId) => {
    const collect = collectErrors.has(nodeId);
    const scope = collect && DIRECTORY_FILES.has(posix.basename(nodeId)) ? posix.dirname(nodeId) : nodeId;
    return { nodeId, collect, scope };
  });
}

/** The paths the targeted run selects, without repeats. */
export const targetedSelection = (targets: readonly ProofTarget[]): string[] => [...new Set(targets.map((t) => t.scope))];

/** What a proof asks of one run, indexed once per run: a proof of 6,000 targets asks it 6,000 times. */
interface RunIndex {
  /** Stable ids of the failures. */
  failed: Set<string>;
  /** Every scope holding a passed test, in stable ids. */
  passedScopes: Set<string>;
  /** Every scope holding a reported test (passed, skipped or failed), ids as reported. */
  reportedScopes: Set<string>;
}

const runIndexes = new WeakMap<TestRunResult, RunIndex>();

function runIndex(result: TestRunResult): RunIndex {
  let index = runIndexes.get(result);
  if (!index) {
    const reported = [...result.passedNodeIds, ...(result.skippedNodeIds ?? []), ...result.failures.map((f) => f.nodeId)];
    index = {
      failed: stableIdSet(result.failures.map((f) => f.nodeId)),
      passedScopes: scopesHolding(stableIdSet(result.passedNodeIds)),
      reportedScopes: scopesHolding(reported),
    };
    runIndexes.set(result, index);
  }
  return index;
}

/** Whether a run shows `nodeId` fixed: no failure for it, and it (or, for a module, a test in it) passed; ids compared stable. */
export const isFixedIn = (result: TestRunResult, nodeId: string): boolean => {
  const id = stableNodeId(nodeId);
  const index = runIndex(result);
  return !index.failed.has(id) && index.passedScopes.has(id);
};

/** Test node ids the run collected inside `scope`: those that passed, and those that failed after collection. */
const collectedWithin = (result: TestRunResult, scope: string): string[] => [
  ...result.passedNodeIds.filter((id) => liesWithin(scope, id)),
  ...result.failures.filter((f) => f.phase !== "collect" && f.nodeId.includes("::") && liesWithin(scope, f.nodeId)).map((f) => f.nodeId),
];

/**
 * Whether a run shows the target fixed. A test: it passed. A collection error: the error is gone and the run
 * collected at least one test that the file governs (passing or not: what they then do is their own failure).
 */
export function isTargetFixedIn(result: TestRunResult, target: ProofTarget): boolean {
  if (!target.collect) return isFixedIn(result, target.nodeId);
  return !result.failures.some((f) => f.nodeId === target.nodeId) && collectedWithin(result, target.scope).length > 0;
}

/** Whether a run reported only the tests affected by changed files (not a fallback to the whole suite). */
export const selectedOnly = (result: TestRunResult): boolean =>
  result.selection?.kind === "affected" && result.selection.fallback === undefined;

/** Whether a run reported anything of the target: a test within its scope passed, failed or was skipped. */
export function reportsTarget(result: TestRunResult, target: ProofTarget): boolean {
  const { reportedScopes } = runIndex(result);
  return reportedScopes.has(target.scope) || reportedScopes.has(target.nodeId);
}
