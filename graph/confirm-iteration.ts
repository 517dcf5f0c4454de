// Confirming an iteration: the full run after fixes kept on affected runs; a test they broke is bisected and rolled back.
import type { TestRunResult } from "../src/domain/index.js";
import { stableIdSet, stableNodeId } from "../src/domain/node-id.js";
import { findCulprit, rollBackFixes, rollbackSet, type BisectDeps } from "../src/proof/bisect.js";
import { compareRuns } from "../src/proof/compare-runs.js";
import { confirmFlaky, guardAdapter } from "../src/proof/index.js";
import type { TestRunnerAdapter } from "../src/runners/adapter.js";
import type { WorkflowDeps } from "./deps.js";
import { announce, progressTo, throwIfAborted } from "./nodes/shared.js";
import type { UnconfirmedFix, WorkflowStateValue } from "./state.js";

export interface Confirmation {
  /** The last full run: every fix still kept passed it. */
  result: TestRunResult;
  /** Signatures of fixes taken back because they went with a culprit (they may be proposed again). */
  retry: string[];
  /** How many kept fixes were taken back. */
  rolledBack: number;
  newlyFlaky: string[];
}

const unchanged = (result: TestRunResult): Confirmation => ({ result, retry: [], rolledBack: 0, newlyFlaky: [] });

/**
 * Confirms the iteration's unconfirmed fixes with `first`, a full run made after all of them: tests the iteration's
 * starting run passed that fail now (and are not flaky) were broken by one of them. The culprit is bisected in kept
 * order, rolled back byte for byte with every later fix sharing a file with it, recorded as rolled back (broke_tests,
 * with the evidence), and the suite runs again, until a full run shows nothing broken or no unconfirmed fix remains.
 */
export async function confirmIteration(
  deps: WorkflowDeps,
  state: WorkflowStateValue,
  adapter: TestRunnerAdapter,
  first: TestRunResult,
  signal: AbortSignal | undefined,
): Promise<Confirmation> {
  const start = state.iterationStartRunId === null ? null : (deps.store.getTestRun(state.iterationStartRunId)?.result ?? null);
  if (start === null || state.unconfirmed.length === 0) return unchanged(first);
  const { workflowId, projectRoot, iteration } = state;
  const runner = guardAdapter(adapter);
  const bisect: BisectDeps = {
    projectRoot,
    workflowId,
    journal: deps.journal,
    runner,
    signal,
    onProgress: (phase, p) => progressTo(deps, phase)(p),
  };
  const options = { signal };
  let pending: UnconfirmedFix[] = [...state.unconfirmed];
  let result = first;
  const out = { retry: [] as string[], rolledBack: 0, newlyFlaky: [] as string[] };
  while (pending.length > 0) {
    const suspects = compareRuns(start, result, [...state.flaky, ...out.newlyFlaky]).failing;
    const flaky = await confirmFlaky(runner, suspects, { ...options, onProgress: progressTo(deps, "flaky-check") });
    throwIfAborted(signal);
    out.newlyFlaky.push(...flaky);
    const flakySet = stableIdSet(flaky);
    const broken = suspects.filter((id) => !flakySet.has(stableNodeId(id)));
    if (broken.length === 0) break;
    const signatures = pending.map((f) => f.signature);
    const what = `${broken.length} test(s) broken since the iteration started`;
    announce(deps, "run_tests", iteration, `${what}: bisecting ${pending.length} unconfirmed fix(es)`);
    const culprit = await findCulprit(bisect, signatures, broken);
    throwIfAborted(signal);
    // Not reproducible by fix: none of the round's unconfirmed fixes can be shown innocent, so all go back.
    const index = culprit?.index ?? 0;
    const set = culprit === null ? signatures.map((_, i) => i) : rollbackSet(bisect, signatures, index);
    const evidence = culprit?.evidence ?? broken.slice(0, 3).map((id) => `${id} fails in the full run`);
    const taken = set.map((i) => pending[i]!);
    const attempts = new Map(deps.store.listFixAttempts(workflowId).map((a) => [a.id, a]));
    const restored = await rollBackFixes(bisect, signatures, set, (settleJournal) =>
      deps.store.db.transaction(() => {
        settleJournal();
        for (const fix of taken) {
          const isCulprit = culprit !== null && fix === pending[index];
          deps.journal.settle(workflowId, fix.signature, isCulprit || culprit === null ? "rolled_back" : "interrupted", "kept");
          const kept = attempts.get(fix.fixAttemptId);
          if (kept === undefined) continue;
          const { id: _id, workflowId: _w, createdAt: _c, ...record } = kept;
          const reason =
            isCulprit || culprit === null
              ? `the iteration's full run found it broke ${broken.length} passing test(s): ${evidence.join(", ")}`
              : `went back with the fix that broke tests (it changed the same file); it may be proposed again`;
          deps.store.recordFixAttempt(workflowId, { ...record, iteration, status: "rolled_back", reason, rule: "broke_tests", evidence });
        }
      })(),
    );
    out.rolledBack += taken.length;
    if (culprit !== null) out.retry.push(...taken.filter((f) => f !== pending[index]).map((f) => f.signature));
    announce(deps, "run_tests", iteration, `rolled back ${taken.length} fix(es), restoring ${restored.join(", ")}: ${evidence[0] ?? ""}`);
    deps.store.saveTestRun(result, { workflowId, projectPath: projectRoot });
    pending = pending.filter((f) => !taken.includes(f));
    announce(deps, "run_tests", iteration, "running the full test suite again");
    // A re-run after a rollback measures no coverage: the run_tests full run before it already did what was asked.
    result = await adapter.runTests({ coverage: false, onProgress: progressTo(deps, "full"), ...options });
    throwIfAborted(signal);
  }
  return { result, ...out };
}
