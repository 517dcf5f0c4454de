// stopWorkflowCleanly: after a caller cancelled a run, put the files at the last kept fix, write the patch, mark it cancelled.
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { RunSummary } from "../src/domain/index.js";
import { recoverPending } from "../src/fixers/journal.js";
import { nodesSettled } from "./build.js";
import type { WorkflowDeps } from "./deps.js";
import { settleWorkflowFiles } from "./nodes/report.js";
import { readCheckpointState, summarizeWorkflow } from "./run.js";
import type { WorkflowStateValue } from "./state.js";

/** What a fresh workflow's state holds before its first checkpoint. */
const EMPTY_STATE = {
  iteration: 0,
  statusReason: "",
  initialRun: null,
  lastRun: null,
  flaky: [],
  notes: [],
  keptTotal: 0,
  patchPath: null,
  unconfirmed: [],
};

/**
 * Settles a workflow whose run was aborted: a fix applied but not yet proven is restored byte for byte (its journal
 * entries become "interrupted", so a resume tries it again), the patch of the kept fixes is written, and the row
 * says "cancelled" instead of staying "running". The checkpoints are untouched: `redgreen resume` continues it.
 */
export async function stopWorkflowCleanly(
  deps: WorkflowDeps,
  workflowId: string,
  projectRoot: string,
  checkpointer: BaseCheckpointSaver,
): Promise<RunSummary> {
  // The graph rejected as soon as the signal aborted; a node mid-proof may still write its fix: wait for it to stop.
  await nodesSettled(deps);
  await recoverPending(deps.journal, workflowId, projectRoot);
  const saved = (await readCheckpointState(checkpointer, workflowId)) ?? {};
  const state = { ...EMPTY_STATE, ...saved, workflowId, projectRoot } as WorkflowStateValue;
  const { patchPath, notes } = await settleWorkflowFiles(deps, workflowId, projectRoot, state.keptTotal);
  const unconfirmed = state.unconfirmed.length;
  if (unconfirmed > 0) {
    notes.push(
      `${unconfirmed} kept fix(es) in the patch passed the tests their files affect but not yet the whole suite (the ` +
        "iteration's confirming run did not happen); resume to confirm them",
    );
  }
  const reason = "stopped by the caller (cancelled, timed out or disconnected); files are at the last kept fix; resume to continue";
  deps.store.updateWorkflow(workflowId, { status: "cancelled", iterations: state.iteration });
  const summary = await summarizeWorkflow(deps.store, { ...state, patchPath, notes: [...state.notes, ...notes] });
  return { ...summary, status: "cancelled", reason };
}
