// Bisecting kept fixes: which of a round's unconfirmed fixes broke tests a full run found failing, and taking it back.
import type { AppliedEdit } from "../domain/index.js";
import { restoreEdits } from "../fixers/apply.js";
import { writeContentsJournaled } from "../fixers/journal.js";
import type { RunProgress, TestRunnerAdapter } from "../runners/adapter.js";
import type { EditJournal, JournalEntry } from "../store/edit-journal.js";
import { failureOf } from "./compare-runs.js";
import { describeError } from "./progress.js";
import type { ProofPhase } from "./prove-fix.js";

export interface BisectDeps {
  projectRoot: string;
  workflowId: string;
  journal: EditJournal;
  runner: TestRunnerAdapter;
  signal?: AbortSignal;
  onProgress?: (phase: ProofPhase, p: RunProgress) => void;
}

/** What the bisection found: the first fix (index into the kept order) after which the tests fail, and how they fail. */
export interface Culprit {
  index: number;
  evidence: string[];
}

/** The kept journal entries of each fix, in the fixes' order (a fix with no entry changed no existing file). */
const entriesOf = (deps: BisectDeps, fixes: readonly string[]): JournalEntry[][] => {
  const kept = deps.journal.list(deps.workflowId, "kept");
  return fixes.map((sig) => kept.filter((e) => e.signature === sig));
};

/**
 * The bytes each file had before the fixes at `indexes` (ascending): per file, the original the earliest of them
 * journaled. With the later fixes that share a file included, this is the tree without those fixes.
 */
function contentsBefore(entries: readonly JournalEntry[][], indexes: readonly number[]): { file: string; bytes: Buffer }[] {
  const out = new Map<string, Buffer>();
  for (const i of indexes) for (const e of entries[i]!) if (!out.has(e.file)) out.set(e.file, Buffer.from(e.originalBase64, "base64"));
  return [...out].map(([file, bytes]) => ({ file, bytes }));
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);

/**
 * Runs `run` with the files as they were after the first `applied` fixes (journaled as pending under `signature`, so
 * a crash mid-run leaves them restorable), then puts the current files back and settles that journal entry.
 */
async function withFixesUpTo<T>(deps: BisectDeps, entries: readonly JournalEntry[][], applied: number, run: () => Promise<T>): Promise<T> {
  if (applied >= entries.length) return run();
  const signature = `bisect:${Date.now().toString(36)}:${applied}`;
  const key = { workflowId: deps.workflowId, signature, projectRoot: deps.projectRoot };
  let written: AppliedEdit[] = [];
  try {
    written = await writeContentsJournaled(deps.journal, key, contentsBefore(entries, range(applied, entries.length)));
    return await run();
  } finally {
    await restoreEdits(deps.projectRoot, written);
    deps.journal.settle(deps.workflowId, signature, "rolled_back");
  }
}

/**
 * Finds which of `fixes` (journal signatures in the order they were kept, all on disk) made `broken` fail: a binary
 * search over the kept order, each step running the broken tests on the files as they were after the first i fixes
 * (with none of them the tests passed: the round's starting run). When the tests pass alone with every fix applied
 * (they fail only beside the rest of the suite), each step runs the whole suite instead. Null when even that does
 * not show them failing. The files are as they were before the search, whatever happens.
 */
export async function findCulprit(deps: BisectDeps, fixes: readonly string[], broken: readonly string[]): Promise<Culprit | null> {
  const entries = entriesOf(deps, fixes);
  const opts = (phase: ProofPhase) => ({
    coverage: false,
    onProgress: deps.onProgress ? (p: RunProgress) => deps.onProgress!(phase, p) : undefined,
    signal: deps.signal,
  });
  const failingAfter = async (applied: number, whole: boolean): Promise<string[]> =>
    withFixesUpTo(deps, entries, applied, async () => {
      const run = await deps.runner.runTests(whole ? opts("full") : { files: [...broken], ...opts("targeted") });
      return broken.flatMap((id) => {
        const f = failureOf(run, id);
        return f ? [`${id} (${describeError(f)})`] : [];
      });
    });
  let whole = false;
  let evidence = await failingAfter(fixes.length, whole);
  if (evidence.length === 0) {
    whole = true;
    evidence = await failingAfter(fixes.length, whole);
    if (evidence.length === 0) return null;
  }
  let [good, bad] = [0, fixes.length];
  while (bad - good > 1) {
    if (deps.signal?.aborted) return null;
    const mid = Math.floor((good + bad) / 2);
    const seen = await failingAfter(mid, whole);
    if (seen.length > 0) [bad, evidence] = [mid, seen];
    else good = mid;
  }
  return { index: bad - 1, evidence };
}

/**
 * The fixes that go back with fixes[index]: it, and every later fix that changed a file one of them changed (its
 * edit was made on top of theirs), as indexes in kept order.
 */
export function rollbackSet(deps: BisectDeps, fixes: readonly string[], index: number): number[] {
  const entries = entriesOf(deps, fixes);
  const files = new Set(entries[index]!.map((e) => e.file));
  const out = [index];
  for (const i of range(index + 1, fixes.length)) {
    if (!entries[i]!.some((e) => files.has(e.file))) continue;
    out.push(i);
    for (const e of entries[i]!) files.add(e.file);
  }
  return out;
}

/**
 * Restores, byte for byte, every file the fixes at `indexes` changed to what it held before the earliest of them. The
 * write is journaled as pending under `signature`; `commit` settles it together with the caller's records (one store
 * transaction), so a crash before the commit puts the files back with the fixes still kept, to be caught again.
 */
export async function rollBackFixes(
  deps: BisectDeps,
  fixes: readonly string[],
  indexes: readonly number[],
  commit: (settleJournal: () => void) => void,
): Promise<string[]> {
  const contents = contentsBefore(
    entriesOf(deps, fixes),
    [...indexes].sort((a, b) => a - b),
  );
  const signature = `rollback:${fixes[indexes[0]!]!}`;
  const key = { workflowId: deps.workflowId, signature, projectRoot: deps.projectRoot };
  const written = await writeContentsJournaled(deps.journal, key, contents);
  // The rollback's own entry is closed as rolled_back: nothing restores its originals (the fixes' versions) again.
  commit(() => deps.journal.settle(deps.workflowId, signature, "rolled_back"));
  return written.map((w) => w.file);
}
