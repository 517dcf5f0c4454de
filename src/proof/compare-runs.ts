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

/** The failure a run reports for the test (by its stable id), else for the innermost class or file that holds it. */
export function failureOf(result: TestRunResult, nodeId: string): Failure | undefined {
  const byId = new Map<string, Failure>();
  for (const f of result.failures) if (!byId.has(stableNodeId(f.nodeId))) byId.set(stableNodeId(f.nodeId), f);
  return holdersOf(stableNodeId(nodeId))
    .map((id) => byId.get(id))
    .find((f) => f !== undefined);
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
