// Time travel: fork a workflow at a past checkpoint into a new workflow (its own thread), ready to replay from there.
import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { WorkflowGraph } from "../../../graph/build.js";
import { RedgreenError } from "../../domain/errors.js";
import { resolveProjectFile, writeFileAtomic } from "../../fixers/apply.js";
import type { EditJournal, JournalEntry } from "../../store/edit-journal.js";
import type { Store } from "../../store/index.js";
import { loadHistory, toTimeline } from "./timeline.js";
import type { CheckpointValues } from "./timeline.js";

export interface ForkDeps {
  store: Store;
  journal: EditJournal;
  checkpointer: BaseCheckpointSaver;
  /** The workflow graph compiled with `checkpointer` (deps are not used: nothing runs here). */
  graph: WorkflowGraph;
}

export interface ForkInput {
  workflowId: string;
  checkpointId: string;
  /** State values to change at the fork point (applied with updateState, as the node that made the checkpoint). */
  patch?: Record<string, unknown>;
}

export interface ForkResult {
  workflowId: string;
  forkedFrom: { workflowId: string; checkpointId: string };
  /** The nodes the replay starts with. */
  next: string[];
  /** Project files put back to their content at the checkpoint (fixes the source workflow kept later). */
  restoredFiles: string[];
  /** The config to continue the fork with: `graph.invoke(null, config)`. */
  config: RunnableConfig;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const PROTECTED_KEYS = new Set(["workflowId", "projectRoot"]);

/**
 * Puts the files changed by fixes the workflow kept after `at` back to their content at that time, and marks those
 * fixes undone. A file changed since redgreen wrote it is a conflict: nothing is restored then.
 */
async function restoreFilesTo(journal: EditJournal, workflowId: string, projectRoot: string, at: string): Promise<string[]> {
  const later = journal.list(workflowId).filter((e) => e.createdAt > at && (e.state === "kept" || e.state === "pending"));
  const perFile = new Map<string, { first: JournalEntry; last: JournalEntry }>();
  for (const e of later) perFile.set(e.file, { first: perFile.get(e.file)?.first ?? e, last: e });
  const plan: { real: string; file: string; bytes: Buffer }[] = [];
  const conflicts: string[] = [];
  for (const [file, { first, last }] of perFile) {
    const { real } = await resolveProjectFile(projectRoot, file);
    const now = await readFile(real).then(sha256, () => null);
    if (now === first.originalSha256) continue;
    if (now !== last.writtenSha256) conflicts.push(file);
    else plan.push({ real, file, bytes: Buffer.from(first.originalBase64, "base64") });
  }
  if (conflicts.length > 0) {
    throw new RedgreenError(
      "conflict",
      `cannot fork: ${conflicts.join(", ")} changed since the workflow edited it (commit or revert those changes first)`,
    );
  }
  for (const p of plan) await writeFileAtomic(p.real, p.bytes);
  for (const signature of new Set(later.map((e) => e.signature))) journal.settle(workflowId, signature, "undone");
  return plan.map((p) => p.file);
}

/**
 * Copies the checkpoint into a new thread (the new workflow's id), applies `patch` plus the new workflowId with
 * updateState as the node that produced the checkpoint, restores the project files to that point, and creates
 * the workflow row. Continue it with resumeWorkflow (or `graph.invoke(null, result.config)`).
 */
export async function forkWorkflow(deps: ForkDeps, input: ForkInput): Promise<ForkResult> {
  const source = deps.store.getWorkflow(input.workflowId);
  if (source === null) throw new RedgreenError("not_found", `no workflow with id ${input.workflowId}`);
  const history = await loadHistory(deps.graph, input.workflowId);
  const timeline = toTimeline(history);
  const index = timeline.findIndex((e) => e.checkpointId === input.checkpointId);
  if (index < 0) throw new RedgreenError("not_found", `workflow ${input.workflowId} has no checkpoint ${input.checkpointId}`);
  const entry = timeline[index]!;
  const snapshot = history[index]!;
  const values = snapshot.values as CheckpointValues;
  if (entry.next.length === 0)
    throw new RedgreenError("usage", "this checkpoint is the end of the workflow: there is nothing to replay from it");
  if (values.workflowId === undefined || entry.node === null) {
    throw new RedgreenError("usage", "this checkpoint comes before the first step: start a new run instead of forking it");
  }
  const patch = input.patch ?? {};
  const bad = Object.keys(patch).filter((k) => PROTECTED_KEYS.has(k));
  if (bad.length > 0) throw new RedgreenError("usage", `a fork cannot change ${bad.join(", ")}`);

  const tuple = await deps.checkpointer.getTuple(snapshot.config);
  if (tuple === undefined) throw new RedgreenError("not_found", `checkpoint ${input.checkpointId} is gone from the database`);
  const restoredFiles = await restoreFilesTo(deps.journal, input.workflowId, source.projectPath, entry.createdAt ?? "");

  const workflowId = randomUUID();
  deps.store.createWorkflow({
    id: workflowId,
    projectPath: source.projectPath,
    maxIterations: (patch.maxIterations as number | undefined) ?? values.maxIterations ?? source.maxIterations,
    status: "running",
  });
  const copied = await deps.checkpointer.put(
    { configurable: { thread_id: workflowId, checkpoint_ns: "" } },
    tuple.checkpoint,
    { ...tuple.metadata!, source: "fork", parents: {} },
    // A whole copy: every channel is new to the forked thread.
    tuple.checkpoint.channel_versions,
  );
  // Time travel proper: the state edit is written as the node that made the checkpoint, so routing runs again.
  const config = await deps.graph.updateState(copied, { ...patch, workflowId }, entry.node);
  const after = await deps.graph.getState(config);
  deps.store.createAgentLog({
    workflowId,
    agentId: "redgreen-inspector",
    phase: "fork",
    action: `forked from ${input.workflowId} at checkpoint ${input.checkpointId}`,
    input: { patch, restoredFiles },
    status: "success",
  });
  return {
    workflowId,
    forkedFrom: { workflowId: input.workflowId, checkpointId: input.checkpointId },
    next: [...after.next],
    restoredFiles,
    config,
  };
}
