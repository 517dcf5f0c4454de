// AutoFixerService: fixes failures with pattern fixes first and the LLM second, keeping only fixes the proof service keeps.
import { readFile } from "node:fs/promises";
import type { Analysis, Failure, FixProposal, FixRecord, TestRunResult } from "../domain/index.js";
import { RedgreenError } from "../domain/errors.js";
import { languageServicesOf, type LanguageServices } from "../languages/services.js";
import type { TestRunnerAdapter } from "../runners/adapter.js";
import { faultLocaliserFor } from "../analysis/fault-localisation.js";
import { runAnalyzer } from "../analysis/run-analyzer.js";
import { fixRecordOf, patchSignature, proveFix } from "../proof/index.js";
import type { ProofOutcome } from "../proof/index.js";
import type { EditJournal } from "../store/edit-journal.js";
import { createMemoryJournal } from "../store/memory-journal.js";
import { resolveProjectFile } from "./apply.js";
import { createPatternContext, findPatternFix } from "./patterns/index.js";
import { generateFixWithLlm } from "./llm/generate-fix.js";
import type { LlmFixDeps, LlmFixOutcome } from "./llm/generate-fix.js";
import type { PreviousAttempt, SourceFiles } from "./llm/prompt.js";

export type { FileChange } from "./check-fix.js";
import type { FileChange } from "./check-fix.js";

/** What trying one proposal came to: the proof service's outcome. */
export type ProposalOutcome = ProofOutcome;

/** Finds a deterministic pattern fix for an analysed failure (src/fixers/patterns), or null. */
export type PatternFinder = (input: {
  failure: Failure;
  analysis: Analysis;
  projectRoot: string;
}) => Promise<FixProposal | null> | FixProposal | null;

export interface TryProposalDeps extends LanguageServices {
  projectRoot: string;
  runner: TestRunnerAdapter;
  allowTestEdits?: boolean;
  /** Accept content-policy and overfitting findings as warnings (risk "high"). */
  allowRisky?: boolean;
  /** The full run before the fix: none of its passing tests may fail afterwards, none of its test files change. */
  baseline: TestRunResult;
  /** Where originals are journaled (an in-memory journal by default) and under which workflow id. */
  journal?: EditJournal;
  journalWorkflowId?: string;
}

export interface AutoFixerDeps extends Omit<TryProposalDeps, "baseline"> {
  /** The last full run; when absent the suite is run once to learn which tests pass. */
  baseline?: TestRunResult;
  /** The LLM step (model, call log, redactor, workflow id, settings); absent means pattern fixes only. */
  llm?: Omit<LlmFixDeps, "relatedFailures" | "previousAttempts" | "projectRoot">;
  /** Pattern fixes: the CommonFixPatterns registry by default, null for the LLM only. */
  findPatternFix?: PatternFinder | null;
  /** The analyzer; by default runAnalyzer over the runner's project and the baseline's failures (with suspicious lines). */
  analyze?: (failure: Failure) => Analysis;
  /** LLM proposals tried per failure (each after the previous one was undone); default 2. */
  maxLlmAttempts?: number;
  /** Full rounds in fixFailures; default 5. */
  maxIterations?: number;
  /** Iteration number written into fix records (fixFailures sets it). */
  iteration?: number;
  /** Called with every attempt as it is decided (the workflow stores these). */
  onFixRecord?: (record: FixRecord) => void;
  log?: (line: string) => void;
}

/** fixSingleFailure's result: whether the failure is fixed, what changed, and every attempt on the way. */
export interface SingleFixResult {
  fixed: boolean;
  changes: FileChange[];
  records: FixRecord[];
  /** The full run after the kept fix (the new baseline), or null when nothing was kept. */
  afterRun: TestRunResult | null;
  /** Why the LLM step did not run, when it was skipped (no model, budget spent). */
  llmSkipped?: string;
}

/** fixFailures' result: what was fixed, what was not, and why. */
export interface FixFailuresResult {
  fixesApplied: FileChange[];
  remainingFailures: Failure[];
  iterations: number;
  records: FixRecord[];
  /** The last full run. */
  lastRun: TestRunResult;
}

/**
 * Proves one proposal with the proof service (src/proof): static checks, journaled apply, the target tests then the
 * full suite, every run guarded; kept only when a target passes and nothing that passed breaks, else restored.
 */
export async function tryProposal(
  proposal: FixProposal,
  targetNodeIds: readonly string[],
  deps: TryProposalDeps,
): Promise<ProposalOutcome> {
  const outcome = await proveFix(
    { proposal, targets: targetNodeIds, baseline: deps.baseline },
    {
      projectRoot: deps.projectRoot,
      adapter: deps.runner,
      ...languageServicesOf(deps),
      journal: deps.journal ?? createMemoryJournal(),
      journalKey: { workflowId: deps.journalWorkflowId ?? "auto-fixer", signature: patchSignature(proposal.edits) },
      allowTestEdits: deps.allowTestEdits ?? false,
      allowRisky: deps.allowRisky ?? false,
      coverage: false,
    },
  );
  return outcome;
}

const attemptOf = (p: FixProposal, o: ProposalOutcome): PreviousAttempt => ({
  source: p.source,
  strategy: p.strategy,
  edits: p.edits,
  outcome: `${o.status === "rejected" ? "rejected" : "rolled back"}: ${o.reason}`,
});

/** Reads the files an LLM prompt needs when the caller's map lacks them (never outside the project). */
async function loadSources(projectRoot: string, given: SourceFiles, files: (string | null)[]): Promise<Record<string, string>> {
  const out: Record<string, string> = { ...given };
  for (const f of files) {
    if (f === null || f in out) continue;
    try {
      out[f] = await readFile((await resolveProjectFile(projectRoot, f)).real, "utf8");
    } catch {
      /* the prompt goes without it */
    }
  }
  return out;
}

/** The CommonFixPatterns registry as a PatternFinder over the auto-fixer's helper and runner. */
export const registryPatternFinder =
  (deps: Pick<AutoFixerDeps, "helper" | "typescript" | "runner" | "allowTestEdits" | "log">): PatternFinder =>
  async ({ failure, analysis, projectRoot }) => {
    const ctx = createPatternContext({
      failure,
      analysis,
      projectRoot,
      ...languageServicesOf(deps),
      allowTestEdits: deps.allowTestEdits ?? false,
      isTestFile: (rel) => deps.runner.isTestFile(rel),
    });
    const onDecline = (_id: string, reason: string): void => deps.log?.(`fix: ${reason} for ${failure.nodeId}`);
    return (await findPatternFix(ctx, { onDecline }))?.proposal ?? null;
  };

interface SingleFixOptions {
  relatedFailures?: readonly Failure[];
  sourceFiles?: SourceFiles;
  triedSignatures?: Set<string>;
}

/** Fixes one failure: the pattern fix first, then up to maxLlmAttempts LLM proposals, each proven or undone. */
export async function fixSingleFailure(failure: Failure, deps: AutoFixerDeps, options: SingleFixOptions = {}): Promise<SingleFixResult> {
  const log = deps.log ?? ((): void => undefined);
  const iteration = deps.iteration ?? 1;
  const baseline = deps.baseline ?? (await deps.runner.runTests());
  const analysis = (
    deps.analyze ??
    runAnalyzer(
      deps.runner,
      baseline.failures.map((f) => f.nodeId),
    )
  )(failure);
  const tried = options.triedSignatures ?? new Set<string>();
  const records: FixRecord[] = [];
  const previous: PreviousAttempt[] = [];
  const tryDeps: TryProposalDeps = { ...deps, baseline };

  const attempt = async (proposal: FixProposal): Promise<SingleFixResult | null> => {
    const sig = patchSignature(proposal.edits);
    if (tried.has(sig)) {
      previous.push({
        source: proposal.source,
        strategy: proposal.strategy,
        edits: proposal.edits,
        outcome: "skipped: this exact edit was already tried",
      });
      log(`fix: ${proposal.source} proposal for ${failure.nodeId} repeats an earlier one; skipped`);
      return null;
    }
    tried.add(sig);
    const outcome = await tryProposal(proposal, [failure.nodeId], tryDeps);
    const record = fixRecordOf(proposal, outcome, iteration);
    records.push(record);
    deps.onFixRecord?.(record);
    log(`fix: ${proposal.source}/${proposal.strategy} for ${failure.nodeId}: ${outcome.status} (${outcome.reason})`);
    if (outcome.status === "kept") return { fixed: true, changes: outcome.changes, records, afterRun: outcome.fullRun };
    previous.push(attemptOf(proposal, outcome));
    return null;
  };

  const patternFinder = deps.findPatternFix === undefined ? registryPatternFinder(deps) : deps.findPatternFix;
  if (patternFinder) {
    const proposal = await patternFinder({ failure, analysis, projectRoot: deps.projectRoot });
    if (proposal !== null) {
      const done = await attempt(proposal);
      if (done) return done;
    }
  }

  let llmSkipped: string | undefined;
  if (deps.llm) {
    const sources = await loadSources(deps.projectRoot, options.sourceFiles ?? {}, [analysis.fileToFix, failure.testFile]);
    const maxLlm = deps.maxLlmAttempts ?? 2;
    for (let i = 0; i < maxLlm; i++) {
      const out: LlmFixOutcome = await generateFixWithLlm(failure, analysis, sources, {
        ...deps.llm,
        projectRoot: deps.projectRoot,
        relatedFailures: options.relatedFailures ?? [],
        previousAttempts: previous,
        settings: { ...deps.llm.settings, allowTestEdits: deps.allowTestEdits ?? deps.llm.settings?.allowTestEdits ?? false },
      });
      if (out.kind === "skipped") {
        llmSkipped = out.reason;
        log(`fix: LLM step skipped for ${failure.nodeId}: ${out.reason}`);
        break;
      }
      if (out.kind === "failed") {
        log(`fix: LLM attempt for ${failure.nodeId} failed: ${out.reason}`);
        // An unusable answer is worth one more try with the reason attached; a failing server or spent budget is not.
        if (out.cause !== "invalid_answer") break;
        previous.push({ source: "llm", strategy: "llm", edits: [], outcome: `no usable answer: ${out.reason}` });
        continue;
      }
      const done = await attempt(out.proposal);
      if (done) return done;
    }
  }
  return { fixed: false, changes: [], records, afterRun: null, llmSkipped };
}

/**
 * Fixes a set of failures in rounds: each round analyses the current failures, groups those sharing a root cause,
 * fixes one representative per group (fixSingleFailure), and re-reads the failures from the last full run. Stops
 * when nothing fails, a round keeps no fix, or maxIterations rounds ran.
 */
export async function fixFailures(failures: readonly Failure[], sourceFiles: SourceFiles, deps: AutoFixerDeps): Promise<FixFailuresResult> {
  const maxIterations = deps.maxIterations ?? 5;
  if (maxIterations < 1) throw new RedgreenError("usage", `maxIterations must be at least 1 (got ${maxIterations})`);
  let run = deps.baseline ?? (await deps.runner.runTests());
  const failing = run.failures.map((f) => f.nodeId);
  const localiser = faultLocaliserFor(deps.runner, failing);
  // The caller's failures set the scope: later rounds look at these tests only (a test may fail differently after a fix).
  const scope = new Set(failures.map((f) => f.nodeId));
  let current: readonly Failure[] = failures;
  const sources: Record<string, string> = { ...sourceFiles };
  const fixesApplied: FileChange[] = [];
  const records: FixRecord[] = [];
  const tried = new Set<string>();
  let iterations = 0;

  while (current.length > 0 && iterations < maxIterations) {
    iterations++;
    // One analyzer per round: its reader keeps what it read, and the kept fixes of the last round changed the sources.
    const analyze = deps.analyze ?? runAnalyzer(deps.runner, failing, localiser);
    const groups = new Map<string, { analysis: Analysis; failures: Failure[] }>();
    for (const f of current) {
      const a = analyze(f);
      const g = groups.get(a.groupKey) ?? { analysis: a, failures: [] };
      g.failures.push(f);
      groups.set(a.groupKey, g);
    }
    let kept = 0;
    for (const g of groups.values()) {
      // A fix earlier in this round may already have fixed this group.
      // Fresh failure objects from the latest run: an earlier fix may have changed how a test fails.
      const stillFailing = g.failures.flatMap((f) => run.failures.filter((x) => x.nodeId === f.nodeId).slice(0, 1));
      const rep = stillFailing[0];
      if (rep === undefined) continue;
      const result = await fixSingleFailure(
        rep,
        { ...deps, baseline: run, iteration: iterations, analyze: (f) => (f === rep ? g.analysis : analyze(f)) },
        {
          relatedFailures: stillFailing,
          sourceFiles: sources,
          triedSignatures: tried,
        },
      );
      records.push(...result.records);
      if (result.fixed && result.afterRun) {
        kept++;
        run = result.afterRun;
        for (const c of result.changes) {
          sources[c.file] = c.fixed;
          const earlier = fixesApplied.find((x) => x.file === c.file);
          if (earlier) earlier.fixed = c.fixed;
          else fixesApplied.push({ ...c });
        }
      }
    }
    current = run.failures.filter((f) => scope.has(f.nodeId));
    if (kept === 0) break;
  }
  return { fixesApplied, remainingFailures: [...run.failures], iterations, records, lastRun: run };
}
