// buildRedgreenSubgraph: the workflow as a node of a parent LangGraph graph, reading and writing only a few documented keys.
import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { AIMessage } from "@langchain/core/messages";
import { END, MessagesValue, START, StateGraph, StateSchema, isGraphInterrupt } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { RedgreenError } from "../src/domain/errors.js";
import { RunSummarySchema } from "../src/domain/index.js";
import { formatRunSummary } from "../tools/index.js";
import { buildGraph } from "./build.js";
import type { WorkflowDeps, WorkflowEvent, WorkflowOptions } from "./deps.js";
import { recursionLimitFor } from "./routes.js";
import { MAX_ITERATIONS_CEILING, summarizeWorkflow } from "./run.js";
import type { WorkflowStateValue } from "./state.js";
import type { WorkflowDepsFactory } from "./workflow-services.js";

/** What the subgraph leaves in its parent's `redgreen` key: the run summary without the patch text (read it from patchPath). */
export const RedgreenResultSchema = RunSummarySchema.omit({ patch: true });
export type RedgreenResult = z.infer<typeof RedgreenResultSchema>;

const projectRootField = z
  .string()
  .optional()
  .describe("Project to take to green: absolute, or relative to the subgraph's default project. Absent: the default project.");
const maxIterationsField = z.number().int().min(1).max(MAX_ITERATIONS_CEILING).optional().describe("Fix rounds at most (default 5).");
const resultField = RedgreenResultSchema.nullable().default(null).describe("The finished run's summary; null until the subgraph has run.");

/** The keys read from the parent's state; every other parent key is invisible to the subgraph. */
export const RedgreenSubgraphInput = new StateSchema({ projectRoot: projectRootField, maxIterations: maxIterationsField });

/**
 * The keys written back to the parent: `redgreen` (a LastValue) and `messages` (one AIMessage named "redgreen"
 * with the summary text, for parents using the messages reducer). Keys the parent does not declare are dropped,
 * and nothing else — the workflow's own state, its notes and feedback lists — ever reaches the parent's reducers.
 */
export const RedgreenSubgraphOutput = new StateSchema({ redgreen: resultField, messages: MessagesValue });

/** The subgraph's own state: the input and output keys plus the run it started (kept so a resume does not start another). */
const RedgreenSubgraphState = new StateSchema({
  projectRoot: projectRootField,
  maxIterations: maxIterationsField,
  redgreen: resultField,
  messages: MessagesValue,
  runProjectRoot: z.string().nullable().default(null),
  runWorkflowId: z.string().nullable().default(null),
});
type SubgraphState = typeof RedgreenSubgraphState.State;

/** The workflow's services: fixed deps for one project, or a factory making them for whichever project the state names. */
export type WorkflowDepsSource = WorkflowDeps | WorkflowDepsFactory;

export interface RedgreenSubgraphOptions {
  /** Default project when the parent state has no projectRoot, and the base of a relative one (fixed deps: their project). */
  projectRoot?: string;
  /** Default iteration cap when the state has no maxIterations (default 5). */
  maxIterations?: number;
  /** Workflow switches for every run (noLlm, dryRun, approve, ...); applied through a factory source only. */
  workflowOptions?: Partial<WorkflowOptions>;
  /** Workflow events as they happen (they are also written to the "custom" stream as `{ redgreen: event }`). */
  onEvent?: (event: WorkflowEvent) => void;
  /** The compiled graph's name (default "redgreen"). */
  name?: string;
}

/** The source as a factory; fixed deps only serve the project their runner was made for. */
function asFactory(source: WorkflowDepsSource, options: RedgreenSubgraphOptions): WorkflowDepsFactory {
  if (typeof source === "function") {
    return (root, overrides = {}) => source(root, { ...overrides, options: { ...options.workflowOptions, ...overrides.options } });
  }
  return async (root, overrides = {}) => {
    if (resolve(source.adapter.projectRoot) !== root) {
      throw new RedgreenError(
        "usage",
        `these workflow deps run tests in ${source.adapter.projectRoot}, not ${root}; pass a deps factory to work on other projects`,
      );
    }
    return overrides.onEvent ? { ...source, onEvent: overrides.onEvent } : source;
  };
}

/**
 * Builds the compiled subgraph: `start` picks the project and records a new workflow, `workflow` runs the whole
 * red-to-green graph (as a nested graph: a parent checkpointer also checkpoints it, an approval interrupt reaches the
 * parent) and writes the summary. Reads: projectRoot?, maxIterations?. Writes: redgreen, messages. Compiled without a
 * checkpointer; add it with `parent.addNode("fix_tests", subgraph)`.
 */
export function buildRedgreenSubgraph(source: WorkflowDepsSource, options: RedgreenSubgraphOptions = {}) {
  const depsFor = asFactory(source, options);
  const base = options.projectRoot ?? (typeof source === "function" ? undefined : source.adapter.projectRoot);

  const start = async (state: SubgraphState) => {
    if (state.projectRoot === undefined && base === undefined) {
      throw new RedgreenError("usage", "no project: set projectRoot in the state or pass options.projectRoot");
    }
    const root = resolve(base ?? ".", state.projectRoot ?? ".");
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new RedgreenError("path_not_found", `no such project directory: ${root}`);
    const deps = await depsFor(root);
    const maxIterations = state.maxIterations ?? options.maxIterations ?? 5;
    const workflow = deps.store.createWorkflow({ id: randomUUID(), projectPath: root, maxIterations, status: "running" });
    return { runProjectRoot: root, runWorkflowId: workflow.id, maxIterations };
  };

  const workflow = async (state: SubgraphState, config: LangGraphRunnableConfig) => {
    const root = state.runProjectRoot!;
    const workflowId = state.runWorkflowId!;
    const maxIterations = state.maxIterations ?? 5;
    const deps = await depsFor(root, {
      onEvent: (event) => {
        options.onEvent?.(event);
        config.writer?.({ redgreen: event });
      },
    });
    const { allowTestEdits, allowRisky, approve, noLlm, coverage, dryRun } = deps.options;
    try {
      // Invoked with this node's config, so the run nests under the parent (checkpoint namespace, interrupts, cancel).
      const out = await buildGraph(deps).invoke(
        {
          workflowId,
          projectRoot: root,
          maxIterations,
          switches: { allowTestEdits, allowRisky, approve, noLlm, coverage, dryRun, python: null, testTimeoutSeconds: null },
        },
        { ...config, recursionLimit: recursionLimitFor(maxIterations, deps.options.maxCandidatesPerIteration) },
      );
      const summary = await summarizeWorkflow(deps.store, out as WorkflowStateValue);
      const { patch: _patch, ...result } = summary;
      return { redgreen: result, messages: [new AIMessage({ content: formatRunSummary(summary), name: "redgreen" })] };
    } catch (e) {
      // A pending approval or a cancelled run can go on later; a fault is final.
      if (!isGraphInterrupt(e) && !config.signal?.aborted) deps.store.updateWorkflow(workflowId, { status: "error" });
      throw e;
    }
  };

  return new StateGraph(RedgreenSubgraphState, { input: RedgreenSubgraphInput, output: RedgreenSubgraphOutput })
    .addNode("start", start)
    .addNode("workflow", workflow)
    .addEdge(START, "start")
    .addEdge("start", "workflow")
    .addEdge("workflow", END)
    .compile({ name: options.name ?? "redgreen" });
}

export type RedgreenSubgraph = ReturnType<typeof buildRedgreenSubgraph>;
