// compareRuns: what became of a baseline's passing tests in a later run — still passing, failing, or absent —
// matched by stable node id (a test whose name carries a seed or a timestamp is the same test in every run).
import { holdersOf, stableIdSet, stableNodeId } from "../domain/node-id.js";
import type { Failure } from "../domain/failure.js";
import type { TestRunResult } from "../domain/test-run.js";

export interface RunComparison {
  /** Baseline-passing tests the later run reported failing (themselves, or through their file or class failing). */
  failing: string[];
  /** Baseline-passing tests the later run did not report at all: not run, skipped or renamed; never "broken". */
  absent: string[];
}

/**
 * Each run's failures by stable node id, grouped once per failures list: a proof looks its tests up one by one, and
 * grouping (or filtering) every failure per lookup was quadratic (parse5 with 2,822 failing targets: 17 s of an 88 s run).
 */
const byStableId = new WeakMap<readonly Failure[], Map<string, Failure[]>>();

/** A run's failures grouped by stable node id (made once per failures list). */
function groupsOf(result: TestRunResult): Map<string, Failure[]> {
  let groups = byStableId.get(result.failures);
  if (groups === undefined) {
    groups = new Map();
    for (const f of result.failures) {
      const id = stableNodeId(f.nodeId);
      const group = groups.get(id);
      if (group) group.push(f);
      else groups.set(id, [f]);
    }
    byStableId.set(result.failures, groups);
  }
  return groups;
}

/** A run's failures of the test with this node id (the test itself, not what holds it; ids compared stable), in the run's order. */
export const failuresWithStableId = (result: TestRunResult, nodeId: string): Failure[] => groupsOf(result).get(stableNodeId(nodeId)) ?? [];

/** The failure a run reports for the test (by its stable id), else for the innermost class or file that holds it. */
export function failureOf(result: TestRunResult, nodeId: string): Failure | undefined {
  const groups = groupsOf(result);
  for (const id of holdersOf(stableNodeId(nodeId))) {
    const f = groups.get(id)?.[0];
    if (f !== undefined) return f;
  }
  return undefined;
}

/** Splits the baseline's passing tests that `after` did not pass (ids as the baseline spelt them; `ignore`d ones left out). */
export function compareRuns(baseline: TestRunResult, after: TestRunResult, ignore: readonly string[] = []): RunComparison {
  const passedAfter = stableIdSet(after.passedNodeIds);
  const failedAfter = stableIdSet(after.failures.map((f) => f.nodeId));
  const ignored = stableIdSet(ignore);
  const out: RunComparison = { failing: [], absent: [] };
  for (const id of baseline.passedNodeIds) {
    const stable = stableNodeId(id);
    if (ignored.has(stable) || passedAfter.has(stable)) continue;
    (holdersOf(stable).some((h) => failedAfter.has(h)) ? out.failing : out.absent).push(id);
  }
  return out;
}
