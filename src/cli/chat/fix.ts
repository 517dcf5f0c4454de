// /fix N: a pattern fix first, the LLM second; the diff is shown and the user asked before the proof service applies and proves it.
import type { Analysis, Failure, FixProposal } from "../../domain/index.js";
import { recoverPending } from "../../fixers/journal.js";
import { generateFixWithLlm } from "../../fixers/llm/generate-fix.js";
import { findPatternFix } from "../../fixers/patterns/index.js";
import { languageServicesOf } from "../../languages/services.js";
import { projectReader } from "../../../graph/nodes/pattern_fix.js";
import { fixRecordOf, patchSignature, proveFix, ProofInterrupted } from "../../proof/index.js";
import type { ProofOutcome } from "../../proof/index.js";
import { adoptRun } from "./session.js";
import type { ChatSession } from "./session.js";
import { paintStatus } from "../colour.js";
import { runCounts } from "./render.js";

/** How /fix talks to the user. */
export interface FixIo {
  write(text: string): void;
  /** Asks a yes/no question; false for anything but y/yes (and on Ctrl-C or end of input). */
  confirm(question: string): Promise<boolean>;
  signal: AbortSignal;
}

/** The pattern fix, else the model's; null (with the reason written) when there is none. */
async function propose(s: ChatSession, failure: Failure, analysis: Analysis, io: FixIo): Promise<FixProposal | null> {
  const { deps } = s.runtime;
  const found = await findPatternFix(
    {
      failure,
      analysis,
      projectRoot: s.projectRoot,
      ...languageServicesOf(deps),
      readFile: projectReader(s.projectRoot),
      allowTestEdits: false,
      isTestFile: (rel) => deps.adapter.isTestFile(rel),
    },
    { onDecline: (_id, reason) => io.write(`${reason}\n`) },
  );
  if (found) {
    io.write(`pattern fix (${found.proposal.strategy}): ${found.proposal.explanation}\n`);
    return found.proposal;
  }
  if (deps.llm.model.kind === "skipped") {
    io.write(`No pattern fits this failure, and the LLM step is off: ${deps.llm.model.reason}.\n`);
    return null;
  }
  io.write(`No pattern fits; asking the model (${deps.llm.model.name}) …\n`);
  const outcome = await generateFixWithLlm(
    failure,
    analysis,
    {},
    {
      model: deps.llm.model,
      callLog: deps.llm.callLog,
      workflowId: s.workflowId!,
      redactor: deps.llm.redactor,
      projectRoot: s.projectRoot,
      settings: deps.llm.settings,
    },
  );
  if (outcome.kind !== "proposal") {
    io.write(`The model gave no usable fix (${outcome.kind}): ${outcome.reason}\n`);
    return null;
  }
  io.write(`LLM fix (${outcome.proposal.strategy}): ${outcome.proposal.explanation}\n`);
  return outcome.proposal;
}

/** Makes sure the session has a workflow to journal and record fixes under (a chat-started one when needed). */
function ensureWorkflow(s: ChatSession): string {
  if (s.workflowId !== null) return s.workflowId;
  const wf = s.runtime.deps.store.createWorkflow({ projectPath: s.projectRoot, status: "failed" });
  s.workflowId = wf.id;
  return wf.id;
}

/** Proposes, shows, asks, then proves the fix with the proof service (src/proof): kept, or every file restored. */
export async function fixInteractively(s: ChatSession, failure: Failure, analysis: Analysis, io: FixIo): Promise<void> {
  const { deps } = s.runtime;
  const workflowId = ensureWorkflow(s);
  const proposal = await propose(s, failure, analysis, io);
  if (proposal === null || io.signal.aborted) return;
  const iteration = deps.store.getWorkflow(workflowId)!.iterations + 1;
  // A run from before /undo no longer describes the files: the proof needs a baseline that does.
  const current = s.runStale === null ? s.currentRun?.result : undefined;
  const baseline = current ?? (await deps.adapter.runTests({ coverage: false, signal: io.signal }));
  if (io.signal.aborted) return;
  const record = (o: ProofOutcome): void => void deps.store.recordFixAttempt(workflowId, fixRecordOf(proposal, o, iteration));
  const signature = patchSignature(proposal.edits);
  const announced = new Set<string>();
  let outcome: ProofOutcome;
  try {
    outcome = await proveFix(
      { proposal, targets: [failure.nodeId], baseline },
      {
        projectRoot: s.projectRoot,
        adapter: deps.adapter,
        ...languageServicesOf(deps),
        journal: deps.journal,
        journalKey: { workflowId, signature },
        allowTestEdits: false,
        allowRisky: deps.options.allowRisky,
        coverage: deps.options.coverage,
        signal: io.signal,
        onApply: (files) => io.write(`applied to ${files.join(", ")}; re-running ${failure.nodeId} …\n`),
        onProgress: (phase) => {
          if (phase === "targeted" || announced.has(phase)) return;
          announced.add(phase);
          io.write(phase === "full" ? "it passes; running the whole suite …\n" : "re-checking tests that failed once …\n");
        },
        approve: async (a) => {
          io.write(`\n${a.diff}validation: passed, risk ${a.risk}\n`);
          for (const w of a.warnings) io.write(`  ! ${w}\n`);
          return io.confirm("Apply this fix? [y/N] ");
        },
        settle: (o, settleJournal) =>
          deps.store.db.transaction(() => {
            settleJournal();
            record(o);
          })(),
      },
    );
  } catch (e) {
    if (!(e instanceof ProofInterrupted)) throw e;
    // Ctrl-C during a run: the half-proven fix is put back now.
    await recoverPending(deps.journal, workflowId, s.projectRoot);
    io.write("Cancelled; the files are as they were.\n");
    return;
  }
  if (outcome.status !== "kept") {
    if (!outcome.written && outcome.rule !== "declined") {
      io.write(`\n${outcome.diff || "(the edits change nothing)\n"}validation: ${s.paint.red("FAILED")}, risk ${outcome.risk}\n`);
      for (const r of outcome.evidence) io.write(`  - ${r}\n`);
    }
    if (!outcome.written) io.write("Not applied.\n");
    else
      io.write(
        `${paintStatus(s.paint, outcome.status, outcome.status === "rejected" ? "Rejected" : "Rolled back")} (${outcome.rule}): ` +
          `${outcome.reason}\n`,
      );
    for (const e of outcome.written ? outcome.evidence.slice(0, 5) : []) io.write(`  - ${e}\n`);
    return;
  }
  const full = outcome.fullRun!;
  deps.store.updateWorkflow(workflowId, { iterations: iteration, status: full.status === "passed" ? "passed" : "failed" });
  const run = adoptRun(s, full);
  io.write(`${s.paint.green("Kept.")} ${runCounts(run, s.paint)}. /undo puts the files back; /failures lists what is left.\n`);
}
