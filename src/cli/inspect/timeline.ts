// The checkpoint timeline of one workflow, read from the SqliteSaver history (graph.getStateHistory), oldest first.
import type { StateSnapshot } from "@langchain/langgraph";
import type { WorkflowGraph } from "../../../graph/build.js";
import type { RunDigest, WorkflowStateValue } from "../../../graph/state.js";
import { END_NODE, START_NODE } from "../../../graph/visualize.js";

/** One checkpoint as the inspector lists it. */
export interface TimelineEntry {
  checkpointId: string;
  parentId: string | null;
  step: number;
  /** How LangGraph made it: input, loop, update (a state edit) or fork. */
  source: string;
  /** The node whose step produced this checkpoint (START for the input, null when unknown). */
  node: string | null;
  /** The nodes that run next from here (empty at the end). */
  next: string[];
  createdAt: string | null;
  iteration: number | null;
  status: string | null;
  counts: { passed: number; failing: number; total: number; coverage: number | null } | null;
  candidates: number;
  keptTotal: number;
}

/** A checkpoint's snapshot values: a partial state (empty before the first step). */
export type CheckpointValues = Partial<WorkflowStateValue>;

/** Every snapshot of a thread, oldest first (Node 20 has no Array.fromAsync). */
export async function loadHistory(graph: WorkflowGraph, threadId: string): Promise<StateSnapshot[]> {
  const out: StateSnapshot[] = [];
  for await (const s of graph.getStateHistory({ configurable: { thread_id: threadId } })) out.push(s);
  return out.reverse();
}

const checkpointIdOf = (s: StateSnapshot | undefined): string | null => {
  const id = s?.config.configurable?.checkpoint_id;
  return typeof id === "string" ? id : null;
};

const countsOf = (run: RunDigest | null | undefined): TimelineEntry["counts"] =>
  run ? { passed: run.passed, failing: run.failing.length, total: run.total, coverage: run.coverage } : null;

/** The timeline entries of a history: the node of each step is the previous checkpoint's `next`. */
export function toTimeline(history: readonly StateSnapshot[]): TimelineEntry[] {
  const byId = new Map(history.map((s) => [checkpointIdOf(s), s]));
  return history.map((s) => {
    const parentIdRaw = s.parentConfig?.configurable?.checkpoint_id;
    const parentId = typeof parentIdRaw === "string" ? parentIdRaw : null;
    const parent = parentId === null ? undefined : byId.get(parentId);
    const values = s.values as CheckpointValues;
    const source = s.metadata?.source ?? "loop";
    const node = source === "input" ? START_NODE : source === "loop" ? (parent?.next[0] ?? null) : null;
    return {
      checkpointId: checkpointIdOf(s) ?? "",
      parentId,
      step: s.metadata?.step ?? 0,
      source,
      node,
      next: [...s.next],
      createdAt: s.createdAt ?? null,
      iteration: values.iteration ?? null,
      status: values.status ?? null,
      counts: countsOf(values.lastRun),
      candidates: values.candidates?.length ?? 0,
      keptTotal: values.keptTotal ?? 0,
    };
  });
}

/** The nodes a run went through up to and including `uptoCheckpointId` (whole history when null), START first. */
export function pathThrough(timeline: readonly TimelineEntry[], uptoCheckpointId: string | null = null): string[] {
  const path: string[] = [];
  for (const e of timeline) {
    if (e.node !== null && e.node !== START_NODE && e.node !== "__input__") path.push(e.node);
    if (e.checkpointId === uptoCheckpointId) break;
  }
  const last = uptoCheckpointId === null ? timeline.at(-1) : timeline.find((e) => e.checkpointId === uptoCheckpointId);
  const ended = last !== undefined && last.next.length === 0 && last.step >= 0;
  return [START_NODE, ...path, ...(ended ? [END_NODE] : [])];
}

/** Test counts and coverage after each iteration: the last run digest seen while that iteration was current. */
export function iterationSeries(
  history: readonly StateSnapshot[],
): { iteration: number; passed: number; failing: number; total: number; coverage: number | null }[] {
  const byIteration = new Map<number, RunDigest>();
  for (const s of history) {
    const v = s.values as CheckpointValues;
    if (v.lastRun && v.iteration !== undefined) byIteration.set(v.iteration, v.lastRun);
  }
  return [...byIteration.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, run]) => ({ iteration, passed: run.passed, failing: run.failing.length, total: run.total, coverage: run.coverage }));
}
