// report: settles the final status, writes the patch of every kept fix, and updates the workflow row.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { undoWorkflow, workflowPatch } from "../../src/fixers/journal.js";
import { ignoreStateDir } from "../../src/store/index.js";
import type { WorkflowDeps } from "../deps.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "../state.js";
import { announce } from "./shared.js";
import { llmSkipReason } from "./llm_fix.js";

/** Where a workflow's patch is written inside the project. */
export const patchPathFor = (projectRoot: string, workflowId: string): string => join(projectRoot, ".redgreen", `${workflowId}.patch`);

/**
 * Writes the patch of every kept fix (.redgreen/ID.patch; null when none was kept) and, on a dry run, restores the
 * files the kept fixes changed. The report node and a clean stop (graph/stop.ts) both settle a workflow's files here.
 */
export async function settleWorkflowFiles(
  deps: WorkflowDeps,
  workflowId: string,
  projectRoot: string,
  keptTotal: number,
): Promise<{ patchPath: string | null; notes: string[] }> {
  const patch = await workflowPatch(deps.journal, workflowId, projectRoot);
  let patchPath: string | null = null;
  if (patch !== "") {
    patchPath = patchPathFor(projectRoot, workflowId);
    await mkdir(join(projectRoot, ".redgreen"), { recursive: true });
    await writeFile(patchPath, patch);
    ignoreStateDir(patchPath);
  }
  const notes: string[] = [];
  if (deps.options.dryRun && keptTotal > 0) {
    const undone = await undoWorkflow(deps.journal, workflowId, projectRoot);
    notes.push(`dry run: restored ${undone.restored.length} file(s); the verified fixes are in the patch only`);
  }
  return { patchPath, notes };
}

/** Builds the report node. */
export const reportNode =
  (deps: WorkflowDeps) =>
  async (state: WorkflowStateValue): Promise<WorkflowStateUpdate> => {
    const status = state.status === "running" ? "stuck" : state.status;
    const skip = llmSkipReason(deps);
    const statusReason =
      state.status !== "running"
        ? state.statusReason
        : skip !== null
          ? `no pattern fits the remaining failures; ${skip}`
          : "no new fix could be proposed for the remaining failures";
    const { patchPath, notes } = await settleWorkflowFiles(deps, state.workflowId, state.projectRoot, state.keptTotal);
    deps.store.updateWorkflow(state.workflowId, {
      status,
      iterations: state.iteration,
      ...(state.lastRun?.coverage != null ? { finalCoverage: state.lastRun.coverage } : {}),
    });
    announce(deps, "report", state.iteration, `${status}: ${statusReason}`);
    return { status, statusReason, patchPath, ...(notes.length ? { notes } : {}) };
  };
