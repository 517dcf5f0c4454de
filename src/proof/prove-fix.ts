// proveFix: the one procedure that decides whether a fix is kept: static checks, approval, journaled apply, guarded runs.
import { violationText } from "../domain/index.js";
import type { AppliedEdit, FixProposal, ProofRule, Risk, TestRunResult } from "../domain/index.js";
import { readFile } from "node:fs/promises";
import { splitNodeId, stableIdSet, stableNodeId } from "../domain/node-id.js";
import { resolveProjectFile, restoreEdits } from "../fixers/apply.js";
import { checkFix, type FileChange } from "../fixers/check-fix.js";
import { applyJournaled } from "../fixers/journal.js";
import { languageServicesOf, type LanguageServices } from "../languages/services.js";
import type { RunProgress, TestRunnerAdapter } from "../runners/adapter.js";
import type { EditJournal } from "../store/edit-journal.js";
import type { FailingTestText } from "../validation/context.js";
import { compareRuns, failureOf } from "./compare-runs.js";
import { confirmFlaky } from "./flaky.js";
import { guardAdapter } from "./guard.js";
import { judgeRun } from "./judge-run.js";
import { lineMapping } from "../fixers/diff.js";
import { reportPhase } from "../process/timings.js";
import { describeError, newFailures, progressOf, type LineMap } from "./progress.js";
import { isTargetFixedIn, proofTargets, reportsTarget, selectedOnly, targetedSelection, type ProofTarget } from "./targets.js";

/** The verdict on one fix. Kept fixes stay on disk; every other outcome left the files as they were. */
export interface ProofOutcome {
  status: "kept" | "rolled_back" | "rejected";
  reason: string;
  /** The rule that decided a fix not kept; "progress" for a fix kept as progress; null for a fix kept as a fix. */
  rule: ProofRule | string | null;
  /** Kept without fixing a target: a target's failure moved further on and nothing else broke (src/proof/progress.ts). */
  progress: boolean;
  /** What the rule saw. */
  evidence: string[];
  risk: Risk;
  warnings: string[];
  /** Unified diff of the fix (empty when its edits did not apply). */
  diff: string;
  changes: FileChange[];
  /** Target tests that pass after the fix, in the targeted and the full run. */
  fixedNodeIds: string[];
  /** The full run after the fix, when one ran: the new baseline of a kept fix. */
  fullRun: TestRunResult | null;
  /** The affected-tests run after the fix (scope "affected", when the runner selected tests), else null. */
  affectedRun: TestRunResult | null;
  /**
   * False for a fix kept on an affected run only: no full run has judged it yet and the caller owns confirming it (the
   * graph's end-of-iteration full run). True for every other outcome.
   */
  confirmed: boolean;
  /** Tests that failed after the fix but pass on an unchanged re-run. */
  newlyFlaky: string[];
  /** What was written, for an undo (kept fixes only). */
  applied: AppliedEdit[];
  /** Whether the edits were ever written (and the journal holds the fix): false for a fix refused before that. */
  written: boolean;
}

/** The runs a proof makes, as progress phases. */
export type ProofPhase = "targeted" | "affected" | "full" | "flaky-check";

/** What an approver sees before anything is written. */
export interface ProofApproval {
  files: string[];
  risk: Risk;
  diff: string;
  warnings: string[];
}

/** The language services are needed only for the files of their language (the helper for Python files). */
export interface ProofDeps extends Partial<LanguageServices> {
  projectRoot: string;
  /** The project's runner; its runs are guarded (src/proof/guard.ts) whether or not it came guarded. */
  adapter: TestRunnerAdapter;
  /**
   * Release `typescript`'s language service once the static checks are done, before any run: a caller about to run
   * the whole suite does not hold the program's memory through it (its next call starts a new service).
   */
  releaseTypescript?: boolean;
  journal: EditJournal;
  /** The journal key of this fix: its originals are recorded under it before anything is written. */
  journalKey: { workflowId: string; signature: string };
  allowTestEdits: boolean;
  /** Accept content-policy and overfitting findings as warnings (risk "high"); edit scope and test integrity still hold. */
  allowRisky?: boolean;
  /** Measure coverage on the full run. */
  coverage: boolean;
  /** With coverage: also record the per-test map (RunTestsOptions.perTestCoverage). Default: true. */
  perTestCoverage?: boolean;
  signal?: AbortSignal;
  onProgress?: (phase: ProofPhase, p: RunProgress) => void;
  /**
   * What runs after the targeted run: "full" (default) the whole suite; "affected" only the tests the runner finds
   * affected by the changed files, for a caller that confirms the fix with a full run later (a run that fell back to
   * the whole suite is judged as a full run).
   */
  scope?: "full" | "affected";
  /**
   * Run the whole suite first, in place of the targeted run (scope "full" only): for a caller whose suite is quick, one
   * run instead of two. The full run is authoritative: the baseline failure was seen in a full run, so a target that
   * passes in the full suite is fixed even if it would fail run alone (which the targeted run would have rolled back).
   */
  fullFirst?: boolean;
  /**
   * Keep a fix that fixes no target but moves a target's failure further on (the next round builds on it), as status
   * "kept" with rule "progress". Default: such a fix is rolled back as still failing.
   */
  keepProgress?: boolean;
  /** Told right before the edits are written (after the static checks and the approval). */
  onApply?: (files: string[]) => void;
  /** Asked after the static checks pass and before anything is written; false rejects the fix as declined. */
  approve?: (request: ProofApproval) => Promise<boolean> | boolean;
  /**
   * Called with every outcome, to record it: for a fix that was written, together with settling its journal entry in
   * one step (a store transaction), so a crash never leaves a settled fix without its record; for a fix refused before
   * anything was written, `settleJournal` does nothing. Default: the journal is settled alone.
   */
  settle?: (outcome: ProofOutcome, settleJournal: () => void) => void;
}

export interface ProofInput {
  proposal: FixProposal;
  /** The failing node ids the fix is meant to fix. */
  targets: readonly string[];
  /** The last full run before the fix: what passed, what was collected, which files define the tests. */
  baseline: TestRunResult;
  /** Tests already known to be flaky (never counted as broken). */
  knownFlaky?: readonly string[];
}

/** Thrown out of proveFix when the caller's signal aborts a run: the fix stays pending in the journal for a resume. */
export class ProofInterrupted extends Error {}

const describeFailure = (result: TestRunResult, nodeId: string): string => {
  const f = failureOf(result, nodeId);
  return f ? describeError(f) : (result.message ?? "did not pass");
};

/**
 * Proves one fix. Before anything is written: the edits apply in memory, every changed file passes the FixValidator
 * (with the runner's own test files protected) and the approver agrees. Then the originals are journaled, the edits
 * written, and the target tests run, then the whole suite, every run guarded. The fix is kept only when each run is
 * trustworthy (no file changed under it, the runner's channels agree, no test reported otherwise than it ran, no
 * test vanished), at least one target is fixed in both runs (a test passes; a collection error is gone and the tests
 * it blocked are collected), and no test that passed before fails (a test that passes on an unchanged re-run is flaky,
 * not broken). With scope "affected" the second run is the tests affected by the changed files, compared only where
 * it reported, and a fix kept on it is kept unconfirmed (`confirmed: false`) for the caller's full run.
 * With fullFirst (scope "full") the full run is made first and replaces the targeted run: it alone decides, so a target
 * that fails only when run alone but passes in the full suite is kept (the baseline failure was seen in a full run too).
 * With keepProgress, a fix that fixes no target but moves a target's failure further on in both runs,
 * with no other test newly failing, is kept as progress. Anything else restores every file byte for byte.
 */
export async function proveFix(input: ProofInput, deps: ProofDeps): Promise<ProofOutcome> {
  const { proposal, targets, baseline } = input;
  const runner = guardAdapter(deps.adapter);
  const unwritten = (o: ProofOutcome): ProofOutcome => {
    deps.settle?.(o, () => undefined);
    return o;
  };
  const protectedFiles = new Set(baseline.testFiles);
  const isTestFile = (rel: string): boolean => protectedFiles.has(rel) || runner.isTestFile(rel);
  const checksStarted = performance.now();
  const check = await checkFix(proposal.edits, {
    projectRoot: deps.projectRoot,
    ...languageServicesOf(deps),
    allowTestEdits: deps.allowTestEdits,
    allowRisky: deps.allowRisky ?? false,
    failingTests: await failingTestTexts(deps.projectRoot, targets),
    isTestFile,
  });
  reportPhase(
    `proof checks (${check.valid ? "valid" : "invalid"}): ${[...new Set(proposal.edits.map((e) => e.file))].join(", ")}`,
    checksStarted,
  );
  if (deps.releaseTypescript) deps.typescript?.dispose?.();
  const base = {
    ...{ progress: false, risk: check.risk, warnings: check.warnings, diff: check.diff, changes: check.changes, fixedNodeIds: [] },
    ...{ fullRun: null, affectedRun: null, confirmed: true, newlyFlaky: [], applied: [], written: false },
  };
  if (!check.valid) {
    const reason = check.changes.length === 0 ? check.reasons.join("; ") : `validation failed: ${check.reasons.join("; ")}`;
    // The first structured finding names the rule (policy.*, overfit.*, scope.*); other static checks are "validation".
    // Findings accepted as warnings (--allow-risky) did not decide it.
    const decisive = check.violations.filter((v) => check.reasons.some((r) => r.endsWith(violationText(v))));
    const evidence = decisive.length > 0 ? decisive.map((v) => `${v.file}:${v.line} ${v.rule}: ${v.evidence}`) : check.reasons;
    return unwritten({ ...base, status: "rejected", reason, rule: decisive[0]?.rule ?? "validation", evidence });
  }
  if (deps.approve) {
    const ok = await deps.approve({
      files: check.changes.map((c) => c.file),
      risk: check.risk,
      diff: check.diff,
      warnings: check.warnings,
    });
    if (!ok) return unwritten({ ...base, status: "rejected", reason: "declined by the user", rule: "declined", evidence: [] });
  }

  const { workflowId, signature } = deps.journalKey;
  deps.onApply?.(check.changes.map((c) => c.file));
  const applied = await applyJournaled(deps.journal, workflowId, signature, deps.projectRoot, proposal.edits);
  let outcome: ProofOutcome | null = null;
  const settle = (status: "kept" | "rolled_back", o: ProofOutcome): ProofOutcome => {
    const settleJournal = (): void => deps.journal.settle(workflowId, signature, status);
    if (deps.settle) deps.settle(o, settleJournal);
    else settleJournal();
    return o;
  };
  type Seen = Pick<ProofOutcome, "fullRun" | "affectedRun"> & { newlyFlaky?: string[] };
  type NotKept = "rolled_back" | "rejected";
  const notKept = async (status: NotKept, rule: ProofRule, reason: string, evidence: string[], seen?: Seen): Promise<ProofOutcome> => {
    await restoreEdits(deps.projectRoot, applied);
    return settle("rolled_back", { ...base, status, rule, reason, evidence, ...seen, written: true });
  };
  try {
    const written = await readBackDiffers(deps.projectRoot, check.changes);
    if (written !== null)
      return (outcome = await notKept("rejected", "tamper", `${written} as written differs from the validated content`, [written]));

    const proofSet = proofTargets(targets, baseline);
    const measure = { coverage: deps.coverage, perTestCoverage: deps.perTestCoverage };
    const runFull = (): Promise<TestRunResult> => runner.runTests({ ...measure, ...progress(deps, "full") });
    // fullFirst: the full run comes first and stands in for the targeted run (its verdict is the full run's).
    const fullFirst = deps.fullFirst === true && deps.scope !== "affected";
    const targeted = fullFirst
      ? await runFull()
      : await runner.runTests({ files: targetedSelection(proofSet), coverage: false, ...progress(deps, "targeted") });
    if (deps.signal?.aborted) throw new ProofInterrupted("the proof was interrupted");
    const firstSeen = fullFirst ? { fullRun: targeted, affectedRun: null } : undefined;
    const targetedVerdict = judgeRun(targeted, { baseline, isTestFile, scope: fullFirst ? "full" : "targeted" });
    if (targetedVerdict) {
      const { status, rule, reason, evidence } = targetedVerdict;
      return (outcome = await notKept(status, rule, reason, evidence, firstSeen));
    }
    const passing = proofSet.filter((t) => isTargetFixedIn(targeted, t));
    const where = linesAfter(check.changes);
    const moving = deps.keepProgress ? targets.filter((id) => progressOf(baseline, targeted, id, where) !== null) : [];
    if (passing.length === 0 && moving.length === 0) {
      const id = targets[0]!;
      const why = describeFailure(targeted, id);
      return (outcome = await notKept("rolled_back", "still_failing", `${id} still fails: ${why}`, [why], firstSeen));
    }

    const changedFiles = check.changes.map((c) => c.file);
    const full = fullFirst
      ? targeted
      : deps.scope === "affected"
        ? await runner.runTests({ affectedBy: changedFiles, ...measure, ...progress(deps, "affected") })
        : await runFull();
    if (deps.signal?.aborted) throw new ProofInterrupted("the proof was interrupted");
    // An affected run reports only the tests it selected: one it did not report is neither absent nor failing, and a
    // target it did not select is judged by the targeted run. A run that fell back to the whole suite is a full run.
    const selective = selectedOnly(full);
    const seen = selective ? { fullRun: null, affectedRun: full } : { fullRun: full, affectedRun: null };
    const runOf = (t: ProofTarget): TestRunResult => (selective && !reportsTarget(full, t) ? targeted : full);
    const fullVerdict = judgeRun(full, { baseline, isTestFile, scope: selective ? "affected" : "full" });
    if (fullVerdict) return (outcome = await notKept(fullVerdict.status, fullVerdict.rule, fullVerdict.reason, fullVerdict.evidence, seen));
    // Only a test the full run reports failing can be broken; one it does not report at all is absent (a whole
    // suite that shrank is the tests_vanished rule's, above).
    const { failing, absent } = compareRuns(baseline, full, input.knownFlaky ?? []);
    // A baseline the runner crashed in never ran the tests after the crash: any test failing now that did not fail then
    // may be broken by the fix, so it is a suspect too (the targets are not: they are judged below).
    const unseen = baseline.crash === undefined ? [] : newFailures(baseline, full, new Set([...(input.knownFlaky ?? []), ...targets]));
    const suspects = [...failing, ...unseen];
    const newlyFlaky = await confirmFlaky(runner, suspects, {
      signal: deps.signal,
      ...progress(deps, "flaky-check"),
    });
    if (deps.signal?.aborted) throw new ProofInterrupted("the proof was interrupted");
    const flakyNow = stableIdSet(newlyFlaky);
    const broken = suspects.filter((id) => !flakyNow.has(stableNodeId(id)));
    if (broken.length > 0) {
      const shown = broken.slice(0, 3).map((id) => `${id} (${describeFailure(full, id)})`);
      const what = unseen.length > 0 ? "test(s) passing or not run before (the baseline run crashed)" : "passing test(s)";
      const reason = `broke ${broken.length} ${what}: ${shown.join(", ")}${broken.length > 3 ? `, and ${broken.length - 3} more` : ""}`;
      return (outcome = await notKept("rolled_back", "broke_tests", reason, shown, { ...seen, newlyFlaky }));
    }
    const fixedNodeIds = passing.filter((t) => isTargetFixedIn(runOf(t), t)).map((t) => t.nodeId);
    if (fixedNodeIds.length === 0 && moving.length > 0) {
      const moved = moving.flatMap((id) => progressOf(baseline, runOf(proofSet.find((t) => t.nodeId === id)!), id, where) ?? []);
      const added = newFailures(baseline, full, new Set([...(input.knownFlaky ?? []), ...newlyFlaky]));
      if (moved.length > 0 && added.length === 0) {
        const reason = `progress on ${moved.length} of ${targets.length} failing test(s), none fixed yet: ${moved[0]}`;
        const kept = { ...base, status: "kept" as const, progress: true, rule: "progress" as const, reason, evidence: moved };
        return (outcome = settle("kept", { ...kept, ...seen, confirmed: !selective, newlyFlaky, applied, written: true }));
      }
      const why =
        added.length > 0
          ? `its progress made ${added.length} other test(s) fail: ${added.slice(0, 3).join(", ")}`
          : "its progress did not hold in the full suite";
      const evidence = added.length > 0 ? added : moving;
      return (outcome = await notKept("rolled_back", "still_failing", `${targets[0]!} still fails and ${why}`, evidence, seen));
    }
    if (fixedNodeIds.length === 0) {
      const ids = passing.map((t) => t.nodeId);
      const why = "the target tests pass alone but not in the full suite";
      return (outcome = await notKept("rolled_back", "not_in_full_suite", why, ids, seen));
    }
    const reason = `fixed ${fixedNodeIds.length} of ${targets.length} failing test(s): ${fixedNodeIds.slice(0, 3).join(", ")}`;
    const warnings = absent.length === 0 || selective ? base.warnings : [...base.warnings, absentNote(absent)];
    const kept = { ...base, warnings, status: "kept" as const, rule: null, reason, evidence: [], fixedNodeIds, ...seen, newlyFlaky };
    return (outcome = settle("kept", { ...kept, confirmed: !selective, applied, written: true }));
  } finally {
    // A fault or an interrupt between apply and verdict: an interrupt leaves the fix pending (resume restores it);
    // any other fault restores the files now.
    if (outcome === null && !deps.signal?.aborted) {
      await restoreEdits(deps.projectRoot, applied);
      deps.journal.settle(workflowId, signature, "rolled_back");
    }
  }
}

const absentNote = (absent: readonly string[]): string =>
  `${absent.length} test(s) that passed before were not reported by the full run (absent, not failing): ` +
  `${absent.slice(0, 3).join(", ")}${absent.length > 3 ? `, and ${absent.length - 3} more` : ""}`;

const progress = (deps: ProofDeps, phase: ProofPhase): { onProgress?: (p: RunProgress) => void; signal?: AbortSignal } => ({
  onProgress: deps.onProgress ? (p: RunProgress) => deps.onProgress!(phase, p) : undefined,
  signal: deps.signal,
});

/** The text of each target's test file, for the overfitting rule (a file that cannot be read is left out). */
async function failingTestTexts(projectRoot: string, targets: readonly string[]): Promise<FailingTestText[]> {
  const out: FailingTestText[] = [];
  const texts = new Map<string, string | null>();
  for (const nodeId of targets) {
    const file = splitNodeId(nodeId).testFile;
    if (!texts.has(file)) {
      texts.set(
        file,
        await resolveProjectFile(projectRoot, file)
          .then((f) => readFile(f.real, "utf8"))
          .catch(() => null),
      );
    }
    const source = texts.get(file);
    if (source != null) out.push({ nodeId, file, source });
  }
  return out;
}

/** Where the fix moved each line of the files it changed (other files keep their line numbers). */
function linesAfter(changes: readonly FileChange[]): LineMap {
  const maps = new Map(changes.map((c) => [c.file, lineMapping(c.original, c.fixed)]));
  return (file, line) => maps.get(file)?.get(line) ?? line;
}

/** The first changed file whose bytes on disk are not the validated text, or null. */
async function readBackDiffers(projectRoot: string, changes: readonly FileChange[]): Promise<string | null> {
  for (const c of changes) {
    const written = await readFile((await resolveProjectFile(projectRoot, c.file)).real, "utf8");
    if (written !== c.fixed) return c.file;
  }
  return null;
}
