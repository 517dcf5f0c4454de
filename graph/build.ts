// buildGraph: the workflow state machine run_tests → analyze → pattern_fix → (llm_fix) → validate → … → report.
import { END, START, StateGraph, isGraphInterrupt } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { reportPhase } from "../src/process/timings.js";
import type { NodeRuntime, WorkflowDeps } from "./deps.js";
import { analyzeNode } from "./nodes/analyze.js";
import { llmFixNode } from "./nodes/llm_fix.js";
import { patternFixNode } from "./nodes/pattern_fix.js";
import { reportNode } from "./nodes/report.js";
import { runTestsNode } from "./nodes/run_tests.js";
import { validateNode } from "./nodes/validate.js";
import {
  routeAfterAnalyze,
  routeAfterLlmFix,
  routeAfterPatternFix,
  routeAfterRunTests,
  routeAfterValidate,
  type NodeId,
} from "./routes.js";
import { WorkflowState } from "./state.js";
import type { WorkflowStateUpdate, WorkflowStateValue } from "./state.js";

type Node = (state: WorkflowStateValue, runtime?: NodeRuntime) => Promise<WorkflowStateUpdate>;

/** A compact, log-friendly view of a state update: arrays become their lengths. */
function compactUpdate(update: WorkflowStateUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update)) out[k] = Array.isArray(v) ? `[${v.length}]` : v;
  return out;
}

/** Node runs under way, per workflow services: an aborted graph rejects at once, while its node may still be winding down. */
const inFlight = new WeakMap<WorkflowDeps, Set<Promise<unknown>>>();

/** Resolves once no node of a graph built over `deps` is running (after an abort: once the node saw it and stopped). */
export async function nodesSettled(deps: WorkflowDeps): Promise<void> {
  await Promise.allSettled([...(inFlight.get(deps) ?? [])]);
}

/** Runs a node, tracked in inFlight until it settles. */
async function tracked(deps: WorkflowDeps, run: Promise<WorkflowStateUpdate>): Promise<WorkflowStateUpdate> {
  let running = inFlight.get(deps);
  if (!running) inFlight.set(deps, (running = new Set()));
  running.add(run);
  try {
    return await run;
  } finally {
    running.delete(run);
  }
}

/** Wraps a node so every visit writes one agent-log row (success, error, or waiting for approval). */
const logged =
  (deps: WorkflowDeps, id: NodeId, node: Node): Node =>
  async (state, runtime) => {
    const started = performance.now();
    const base = { workflowId: state.workflowId, agentId: "redgreen-workflow", phase: id, input: { iteration: state.iteration } };
    try {
      const update = await tracked(deps, node(state, runtime));
      reportPhase(`node ${id} (iteration ${state.iteration})`, started);
      deps.store.createAgentLog({
        ...base,
        action: `${id} done`,
        output: compactUpdate(update),
        status: "success",
        durationMs: performance.now() - started,
      });
      return update;
    } catch (e) {
      if (isGraphInterrupt(e)) {
        deps.store.createAgentLog({
          ...base,
          action: `${id} waiting for approval`,
          status: "skipped",
          durationMs: performance.now() - started,
        });
      } else {
        deps.store.createAgentLog({
          ...base,
          action: `${id} failed`,
          status: "error",
          errorMessage: (e as Error).message,
          durationMs: performance.now() - started,
        });
      }
      throw e;
    }
  };

/** Builds and compiles the workflow graph over the given services (and checkpointer, for resume and time travel). */
export function buildGraph(deps: WorkflowDeps, options: { checkpointer?: BaseCheckpointSaver } = {}) {
  return new StateGraph(WorkflowState)
    .addNode("run_tests", logged(deps, "run_tests", runTestsNode(deps)))
    .addNode("analyze", logged(deps, "analyze", analyzeNode(deps)))
    .addNode("pattern_fix", logged(deps, "pattern_fix", patternFixNode(deps)))
    .addNode("llm_fix", logged(deps, "llm_fix", llmFixNode(deps)))
    .addNode("validate", logged(deps, "validate", validateNode(deps)))
    .addNode("report", logged(deps, "report", reportNode(deps)))
    .addEdge(START, "run_tests")
    .addConditionalEdges("run_tests", routeAfterRunTests, { analyze: "analyze", report: "report" })
    .addConditionalEdges("analyze", routeAfterAnalyze, { pattern_fix: "pattern_fix", report: "report" })
    .addConditionalEdges("pattern_fix", routeAfterPatternFix, { llm_fix: "llm_fix", validate: "validate", report: "report" })
    .addConditionalEdges("llm_fix", routeAfterLlmFix, { validate: "validate", run_tests: "run_tests", report: "report" })
    .addConditionalEdges("validate", routeAfterValidate, { validate: "validate", run_tests: "run_tests", report: "report" })
    .addEdge("report", END)
    .compile({ ...(options.checkpointer ? { checkpointer: options.checkpointer } : {}), name: "redgreen" });
}

export type WorkflowGraph = ReturnType<typeof buildGraph>;
