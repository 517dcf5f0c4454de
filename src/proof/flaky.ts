// confirmFlaky: which tests that failed once pass when the unchanged suite runs again (flaky, never "fixed" or "broken").
import type { Failure } from "../domain/failure.js";
import { stableIdSet, stableNodeId } from "../domain/node-id.js";
import type { RunProgress, TestRunnerAdapter } from "../runners/adapter.js";
import { FLAKY_SAMPLE_MAX, sampleFlakyCandidates } from "./flaky-sample.js";

type FlakyOptions = { signal?: AbortSignal; onProgress?: (p: RunProgress) => void };

/**
 * Which of `candidates` are flaky: they pass when run alone and again in an unchanged full run (a failure that depends
 * on test order is not flaky). Stops early, returning [], when the signal aborts.
 */
export async function confirmFlaky(
  runner: TestRunnerAdapter,
  candidates: readonly string[],
  options: FlakyOptions = {},
): Promise<string[]> {
  if (candidates.length === 0) return [];
  const alone = await runner.runTests({ files: [...candidates], coverage: false, ...options });
  if (options.signal?.aborted) return [];
  // Ids compared stable: a name carrying a seed or a timestamp has a new one in each run.
  const passedAlone = stableIdSet(alone.passedNodeIds);
  const passAlone = candidates.filter((id) => passedAlone.has(stableNodeId(id)));
  if (passAlone.length === 0) return [];
  const again = await runner.runTests({ coverage: false, ...options });
  if (options.signal?.aborted) return [];
  const passedAgain = stableIdSet(again.passedNodeIds);
  return passAlone.filter((id) => passedAgain.has(stableNodeId(id)));
}

/** What a bounded flakiness check found: the flaky tests, and how many tests it re-ran. */
export interface FlakyCheck {
  flaky: string[];
  rerun: number;
}

/**
 * Which failing `candidates` are flaky, re-running only a sample: failures that cannot flake (collection, import, name
 * and syntax errors) are not re-run, and at most a few tests of each root-cause group are. A group whose sample holds a
 * flaky test has its other members checked in a second round; the rest of a group whose sample failed again is taken
 * as failing for the same reason.
 */
export async function findFlaky(
  runner: TestRunnerAdapter,
  failures: readonly Failure[],
  candidates: readonly string[],
  options: FlakyOptions = {},
): Promise<FlakyCheck> {
  const { sample, groupOf } = sampleFlakyCandidates(failures, candidates);
  const flaky = await confirmFlaky(runner, sample, options);
  const sampled = new Set(sample);
  const rest = [...new Set(flaky.flatMap((id) => groupOf.get(id) ?? []))].filter((id) => !sampled.has(id)).slice(0, FLAKY_SAMPLE_MAX);
  const more = rest.length > 0 && !options.signal?.aborted ? await confirmFlaky(runner, rest, options) : [];
  return { flaky: [...flaky, ...more], rerun: sample.length + rest.length };
}
