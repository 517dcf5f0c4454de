// runWorkflow / resumeWorkflow: drive the compiled graph to the end (answering approval interrupts) and summarise.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Command, isInterrupted } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { RedgreenError } from "../src/domain/errors.js";
import type { Store } from "../src/store/index.js";
import type { RunCounts, RunSummary } from "../src/domain/index.js";
import type { RunnerName } from "../src/runners/adapter.js";
import { buildGraph } from "./build.js";
import { createCheckpointer } from "./checkpointer.js";
import type { ApprovalAnswer, ApprovalRequest, WorkflowDeps } from "./deps.js";
import { MAX_ITERATIONS_CEILING, recursionLimitFor } from "./routes.js";
import type { RunDigest, WorkflowStateValue } from "./state.js";

export interface RunWorkflowInput {
  projectRoot: string;
  /** Also the LangGraph thread id; a new UUID when absent. */
  workflowId?: string;
  /** Default 5; at most 20. */
  maxIterations?: number;
  /** Recorded in state so a resume uses the same runner, interpreter and timeout. */
  python?: string;
  testTimeoutSeconds?: number;
  runTimeoutSeconds?: number;
  runner?: RunnerName;
  /** The runner args and xdist switch the deps' adapter was made with (recorded for resume; the adapter applies them). */
  runnerArgs?: readonly string[];
  parallel?: boolean;
}

export interface DriveOptions {
  /** Where checkpoints go (thread id = workflow id); default: SqliteSaver on the deps' store, as the CLI uses. */
  checkpointer?: BaseCheckpointSaver;
  /** Answers approval interrupts (--approve); without it an interrupted run is an error. */
  onApproval?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  signal?: AbortSignal;
}

// The hard ceiling on iterations lives with the routes (the CLI reads it without loading the graph).
export { MAX_ITERATIONS_CEILING } from "./routes.js";

const counts = (d: RunDigest | null): RunCounts | null =>
  d === null ? null : { passed: d.passed, failed: d.failed, errors: d.errors, skipped: d.skipped, total: d.total, coverage: d.coverage };

/** Builds the RunSummary (the CLI's --json contract) from final graph state and the store. */
export async function summarizeWorkflow(store: Store, state: WorkflowStateValue): Promise<RunSummary> {
  const last = state.lastRun === null ? null : store.getTestRun(state.lastRun.runId);
  const failing = new Set(state.lastRun?.failing ?? []);
  const seen = new Set<string>();
  // Suspicious lines of the last analysis, shown once per root cause: on the first remaining failure of its group.
  const suspects = new Map(state.groups.map((g) => [g, g.analysis.suspiciousLines ?? []] as const).filter(([, l]) => l.length > 0));
  const remainingFailures = (last?.result.failures ?? [])
    .filter((f) => failing.has(f.nodeId) && !seen.has(f.nodeId) && seen.add(f.nodeId))
    .map((f) => {
      const remaining = { nodeId: f.nodeId, errorType: f.errorType, message: f.errorMessage.split("\n")[0] ?? "" };
      const group = [...suspects.keys()].find((g) => g.nodeIds.includes(f.nodeId));
      if (group === undefined) return remaining;
      const suspiciousLines = suspects.get(group)!;
      suspects.delete(group);
      return { ...remaining, suspiciousLines };
    });
  const patch = state.patchPath === null ? "" : await readFile(state.patchPath, "utf8").catch(() => "");
  const status = state.status === "running" ? "error" : state.status;
  return {
    workflowId: state.workflowId,
    status,
    reason: state.statusReason,
    iterations: state.iteration,
    initial: counts(state.initialRun),
    final: counts(state.lastRun),
    fixes: store.listFixAttempts(state.workflowId).map(({ id: _id, workflowId: _w, createdAt: _c, ...rest }) => rest),
    remainingFailures,
    flaky: state.flaky,
    patch,
    patchPath: state.patchPath,
    ...(state.runCounts ? { testRuns: state.runCounts } : {}),
    notes: state.notes,
    db: store.path,
    ...(state.switches && state.switches.runnerArgs.length > 0 ? { runnerArgs: state.switches.runnerArgs } : {}),
  };
}

async function drive(
  deps: WorkflowDeps,
  workflowId: string,
  maxIterations: number,
  first: Parameters<ReturnType<typeof buildGraph>["invoke"]>[0],
  options: DriveOptions,
): Promise<RunSummary> {
  const graph = buildGraph(deps, { checkpointer: checkpointerFor(deps, options) });
  const config = {
    configurable: { thread_id: workflowId },
    recursionLimit: recursionLimitFor(maxIterations, deps.options.maxCandidatesPerIteration),
    // Checkpoints are written before the next step starts, so a kill -9 loses at most the step in flight.
    durability: "sync" as const,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let out = await graph.invoke(first, config);
  while (isInterrupted(out)) {
    const request = out.__interrupt__[0]?.value as ApprovalRequest | undefined;
    if (options.onApproval === undefined || request === undefined) {
      throw new RedgreenError(
        "usage",
        "the workflow is waiting for approval of a fix, but nothing can answer (run with --approve in a terminal)",
      );
    }
    const answer = await options.onApproval(request);
    out = await graph.invoke(new Command({ resume: answer }), config);
  }
  return summarizeWorkflow(deps.store, out as WorkflowStateValue);
}

/** The caller's checkpointer, or the store's own (so `redgreen resume` finds the workflow). */
const checkpointerFor = (deps: WorkflowDeps, options: DriveOptions): BaseCheckpointSaver =>
  options.checkpointer ?? createCheckpointer(deps.store);

type RunSwitchInput = Pick<RunWorkflowInput, "python" | "testTimeoutSeconds" | "runTimeoutSeconds" | "runner" | "runnerArgs" | "parallel">;

/** The graph's input for a fresh start: identity, cap, and the switches `resume` must reuse. */
function initialInput(deps: WorkflowDeps, workflowId: string, projectRoot: string, maxIterations: number, run: RunSwitchInput = {}) {
  const { allowTestEdits, allowRisky, approve, noLlm, coverage, dryRun } = deps.options;
  const switches = {
    allowTestEdits,
    allowRisky,
    approve,
    noLlm,
    coverage,
    dryRun,
    python: run.python ?? null,
    testTimeoutSeconds: run.testTimeoutSeconds ?? null,
    runTimeoutSeconds: run.runTimeoutSeconds ?? null,
    runner: run.runner ?? deps.adapter.name,
    runnerArgs: [...(run.runnerArgs ?? [])],
    parallel: run.parallel ?? true,
  };
  return { workflowId, projectRoot, maxIterations, switches };
}

/** Starts a new workflow on a project and runs it to the end. */
export async function runWorkflow(deps: WorkflowDeps, input: RunWorkflowInput, options: DriveOptions = {}): Promise<RunSummary> {
  const maxIterations = input.maxIterations ?? 5;
  if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > MAX_ITERATIONS_CEILING) {
    throw new RedgreenError("usage", `--max-iterations must be a whole number from 1 to ${MAX_ITERATIONS_CEILING}`);
  }
  const workflowId = input.workflowId ?? randomUUID();
  deps.store.createWorkflow({ id: workflowId, projectPath: input.projectRoot, maxIterations, status: "running" });
  try {
    return await drive(deps, workflowId, maxIterations, initialInput(deps, workflowId, input.projectRoot, maxIterations, input), options);
  } catch (e) {
    // An interrupted run stays "running" so `redgreen resume` can pick it up; a fault is final.
    if (!options.signal?.aborted) deps.store.updateWorkflow(workflowId, { status: "error" });
    throw e;
  }
}

/** The state values of a workflow's latest checkpoint, read without building the graph (null when none). */
export async function readCheckpointState(
  checkpointer: BaseCheckpointSaver,
  workflowId: string,
): Promise<Partial<WorkflowStateValue> | null> {
  const tuple = await checkpointer.getTuple({ configurable: { thread_id: workflowId } });
  return tuple ? (tuple.checkpoint.channel_values as Partial<WorkflowStateValue>) : null;
}

/** Continues a workflow from its last checkpoint (after a crash, or an approval left unanswered). */
export async function resumeWorkflow(deps: WorkflowDeps, workflowId: string, options: DriveOptions = {}): Promise<RunSummary> {
  const wf = deps.store.getWorkflow(workflowId);
  if (wf === null) throw new RedgreenError("not_found", `no workflow with id ${workflowId}`);
  const checkpointer = checkpointerFor(deps, options);
  const graph = buildGraph(deps, { checkpointer });
  const snapshot = await graph.getState({ configurable: { thread_id: workflowId } });
  const values = snapshot.values as Partial<WorkflowStateValue>;
  if (values.workflowId === undefined) {
    // Killed before the first checkpoint: start the same workflow from the beginning.
    const first = initialInput(deps, workflowId, wf.projectPath, wf.maxIterations);
    return drive(deps, workflowId, wf.maxIterations, first, { ...options, checkpointer });
  }
  if (snapshot.next.length === 0) return summarizeWorkflow(deps.store, values as WorkflowStateValue);
  deps.store.updateWorkflow(workflowId, { status: "running" });
  try {
    return await drive(deps, workflowId, wf.maxIterations, null, { ...options, checkpointer });
  } catch (e) {
    if (!options.signal?.aborted) deps.store.updateWorkflow(workflowId, { status: "error" });
    throw e;
  }
}
