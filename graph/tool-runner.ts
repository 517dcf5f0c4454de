// createGraphRunWorkflow: the real RunWorkflow behind fix_failing_tests — the workflow graph, its events as tool progress.
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { withProjectLock } from "../src/fixers/project-lock.js";
import { withRunnerArgs } from "../src/runners/runner-args.js";
import type { RunWorkflow, WorkflowProgress } from "../tools/index.js";
import { createCheckpointer } from "./checkpointer.js";
import { TEST_PHASE_LABEL, type WorkflowEvent } from "./deps.js";
import { runWorkflow } from "./run.js";
import { stopWorkflowCleanly } from "./stop.js";
import { createWorkflowDepsFactory } from "./workflow-services.js";
import type { WorkflowServices } from "./workflow-services.js";

export interface GraphRunWorkflowOptions extends WorkflowServices {
  /** Checkpoints of every run (thread id = workflow id, so `redgreen resume` works); default: SqliteSaver on the store. */
  checkpointer?: BaseCheckpointSaver;
  /** The interpreter ProjectServices runs tests with, recorded so a resumed run uses the same one. */
  python?: string;
  /** The per-test timeout ProjectServices' adapter uses, recorded for resume the same way. */
  testTimeoutSeconds?: number;
}

/** One graph event as a tool progress line: node steps always, per-test counts as droppable transient updates. */
export function workflowEventToProgress(event: WorkflowEvent, maxIterations: number): WorkflowProgress {
  if (event.kind === "tests") {
    const of = event.collected !== null ? `/${event.collected}` : "";
    return { message: `${TEST_PHASE_LABEL[event.phase]}: ${event.done}${of} tests run, ${event.failed} failed`, transient: true };
  }
  return {
    message: `${event.node}: ${event.message}`,
    // Iteration 0 is the initial run and its analysis, before any fix round.
    ...(event.iteration > 0 ? { iteration: event.iteration, maxIterations } : {}),
  };
}

/**
 * A RunWorkflow that drives the workflow graph (graph/run.ts runWorkflow) with checkpoints, on any project
 * ProjectServices can serve. It holds the project lock: a second run on the same root, from this process or another,
 * is a "conflict" fault, because two workflows editing one tree would undo each other's fixes. A run whose signal
 * aborts is stopped cleanly (graph/stop.ts) and resolves with status "cancelled".
 */
export function createGraphRunWorkflow(options: GraphRunWorkflowOptions): RunWorkflow {
  const depsFor = createWorkflowDepsFactory(options);
  const checkpointer = options.checkpointer ?? createCheckpointer(options.store);
  return async (request, { onProgress, onStart, signal } = {}) => {
    const root = resolve(request.projectRoot);
    const workflowId = randomUUID();
    return withProjectLock(root, { workflowId, command: "fix_failing_tests" }, async () => {
      const maxIterations = request.maxIterations ?? 5;
      const shared = await depsFor(root, {
        options: {
          allowTestEdits: request.allowTestEdits ?? false,
          allowRisky: request.allowRisky ?? false,
          noLlm: request.noLlm ?? false,
          dryRun: request.dryRun ?? false,
          ...(request.coverage !== undefined ? { coverage: request.coverage } : {}),
          approve: false,
        },
        onEvent: onProgress ? (e: WorkflowEvent) => onProgress(workflowEventToProgress(e, maxIterations)) : undefined,
      });
      // The project's shared adapter, given this request's runner args on every run (a refused one throws here, before the start).
      const deps = { ...shared, adapter: withRunnerArgs(shared.adapter, request.runnerArgs) };
      const running = runWorkflow(
        deps,
        {
          projectRoot: root,
          workflowId,
          maxIterations,
          python: options.python,
          testTimeoutSeconds: options.testTimeoutSeconds,
          runnerArgs: request.runnerArgs,
        },
        { checkpointer, signal },
      );
      // runWorkflow stores the workflow row before its first await: the id is readable from the store from here on.
      onStart?.(workflowId);
      try {
        return await running;
      } catch (e) {
        // A caller that cancelled, timed out or went away: leave the files at the last kept fix, not mid-proof.
        if (signal?.aborted) return await stopWorkflowCleanly(deps, workflowId, root, checkpointer);
        throw e;
      }
    });
  };
}
