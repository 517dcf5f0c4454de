// confirmFlaky: which tests that failed once pass when the unchanged suite runs again (flaky, never "fixed" or "broken").
import { stableIdSet, stableNodeId } from "../domain/node-id.js";
import type { RunProgress, TestRunnerAdapter } from "../runners/adapter.js";

/**
 * Which of `candidates` are flaky: they pass when run alone and again in an unchanged full run (a failure that depends
 * on test order is not flaky). Stops early, returning [], when the signal aborts.
 */
export async function confirmFlaky(
  runner: TestRunnerAdapter,
  candidates: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (p: RunProgress) => void } = {},
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
