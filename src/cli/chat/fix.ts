// /fix N: a pattern fix first, the LLM second; the diff is shown and the user asked before the fix is applied and proven.
import type { Analysis, Failure, FixProposal, FixRecord } from "../../domain/index.js";
import { restoreEdits } from "../../fixers/apply.js";
import { checkFix } from "../../fixers/check-fix.js";
import { applyJournaled } from "../../fixers/journal.js";
import { generateFixWithLlm } from "../../fixers/llm/generate-fix.js";
import { findPatternFix } from "../../fixers/patterns/index.js";
import { projectReader } from "../../../graph/nodes/pattern_fix.js";
import { isFixedIn, patchSignature } from "../../../graph/nodes/shared.js";
import { adoptRun } from "./session.js";
import type { ChatSession } from "./session.js";
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
  const found = await findPatternFix({
    failure,
    analysis,
    projectRoot: s.projectRoot,
    helper: deps.helper,
    typescript: deps.typescript,
    readFile: projectReader(s.projectRoot),
    allowTestEdits: false,
    isTestFile: (rel) => deps.adapter.isTestFile(rel),
  });
  if (found) {
    io.write(`pattern fix (${found.proposal.strategy}): ${found.proposal.explanation}\n`);
    return found.proposal;
  }
  if (deps.llm.model.kind === "skipped") {
    io.write(`No pattern fits this failure, and the LLM step is off: ${deps.llm.model.reason}.\n`);
    return null;
  }
  io.write(`No pattern fits; asking the model (${deps.llm.model.name}) …\n`);
  const outcome = await generateFixWithLlm(failure, analysis, {}, {
    model: deps.llm.model,
    callLog: deps.llm.callLog,
    workflowId: s.workflowId!,
    redactor: deps.llm.redactor,
    projectRoot: s.projectRoot,
    ...(deps.llm.settings ? { settings: deps.llm.settings } : {}),
  });
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

/** Proposes, shows, asks, applies (journaled), proves with the test runner, and keeps or restores one fix for `failure`. */
export async function fixInteractively(s: ChatSession, failure: Failure, analysis: Analysis, io: FixIo): Promise<void> {
  const { deps } = s.runtime;
  const workflowId = ensureWorkflow(s);
  const proposal = await propose(s, failure, analysis, io);
  if (proposal === null || io.signal.aborted) return;
  const verdict = await checkFix(proposal.edits, {
    projectRoot: s.projectRoot,
    helper: deps.helper,
    typescript: deps.typescript,
    allowTestEdits: false,
    isTestFile: (rel) => deps.adapter.isTestFile(rel),
  });
  const files = [...new Set(proposal.edits.map((e) => e.file))];
  const wf = deps.store.getWorkflow(workflowId)!;
  const iteration = wf.iterations + 1;
  const record = (status: FixRecord["status"], reason: string): void =>
    void deps.store.recordFixAttempt(workflowId, { iteration, file: files.join(", "), source: proposal.source, strategy: proposal.strategy, status, risk: verdict.risk, reason, diff: verdict.diff });

  io.write(`\n${verdict.diff || "(the edits change nothing)\n"}`);
  io.write(`validation: ${verdict.valid ? "passed" : "FAILED"}, risk ${verdict.risk}\n`);
  for (const r of verdict.reasons) io.write(`  - ${r}\n`);
  for (const w of verdict.warnings) io.write(`  ! ${w}\n`);
  if (!verdict.valid || verdict.diff === "") {
    record("rejected", verdict.reasons.join("; ") || "the edits change nothing");
    io.write("Not applied.\n");
    return;
  }
  if (!(await io.confirm("Apply this fix? [y/N] "))) {
    record("rejected", "declined by the user");
    io.write("Not applied.\n");
    return;
  }

  const signature = patchSignature(proposal.edits);
  const baseline = s.currentRun?.result.passedNodeIds ?? [];
  const applied = await applyJournaled(deps.journal, workflowId, signature, s.projectRoot, proposal.edits);
  const settle = (status: "kept" | "rolled_back", reason: string): void =>
    deps.store.db.transaction(() => {
      deps.journal.settle(workflowId, signature, status);
      record(status, reason);
    })();
  const rollBack = async (reason: string): Promise<void> => {
    await restoreEdits(s.projectRoot, applied);
    settle("rolled_back", reason);
    io.write(`Rolled back: ${reason}\n`);
  };
  try {
    io.write(`applied to ${files.join(", ")}; re-running ${failure.nodeId} …\n`);
    const targeted = await deps.adapter.runTests({ files: [failure.nodeId], coverage: false, signal: io.signal });
    if (io.signal.aborted) return await rollBack("cancelled");
    if (!isFixedIn(targeted, failure.nodeId)) {
      const f = targeted.failures.find((x) => x.nodeId === failure.nodeId);
      return await rollBack(`${failure.nodeId} still fails${f ? `: ${f.errorType}: ${f.errorMessage.split("\n")[0]}` : ""}`);
    }
    io.write("it passes; running the whole suite …\n");
    const full = await deps.adapter.runTests({ coverage: deps.options.coverage, signal: io.signal });
    if (io.signal.aborted) return await rollBack("cancelled");
    const broken = baseline.filter((id) => !full.passedNodeIds.includes(id));
    if (broken.length > 0) return await rollBack(`broke ${broken.length} passing test(s): ${broken.slice(0, 3).join(", ")}`);
    settle("kept", `fixed ${failure.nodeId}`);
    deps.store.updateWorkflow(workflowId, { iterations: iteration, status: full.status === "passed" ? "passed" : "failed" });
    const run = adoptRun(s, full);
    io.write(`Kept. ${runCounts(run)}. /undo puts the files back; /failures lists what is left.\n`);
  } catch (e) {
    await rollBack(`error: ${(e as Error).message}`);
    throw e;
  }
}
