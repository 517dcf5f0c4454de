// redgreen's public API (`import { ... } from "redgreen"`): the sub-agent entry points, the workflow graph and the data contracts.

// One-call composition: store, per-project runners, model, the real workflow runner and the tools.
export { createRedgreenToolkit } from "../graph/toolkit.js";
export type { RedgreenToolkit, RedgreenToolkitOptions } from "../graph/toolkit.js";

// LangChain tools: all of them, or only fix_failing_tests for a supervisor agent.
export {
  createFixFailingTestsTool,
  createProjectServices,
  createTools,
  formatRunSummary,
  FixFailingTestsInputSchema,
  PROGRESS_EVENT,
} from "../tools/index.js";
export type {
  FixFailingTestsDeps,
  ProjectScope,
  ProjectServices,
  ProjectServicesOptions,
  RedgreenTool,
  RunWorkflow,
  RunWorkflowOptions,
  ToolDeps,
  ToolProgressEvent,
  WorkflowProgress,
  WorkflowRequest,
} from "../tools/index.js";
export { createGraphRunWorkflow, workflowEventToProgress } from "../graph/tool-runner.js";
export type { GraphRunWorkflowOptions } from "../graph/tool-runner.js";

// The MCP server (what `redgreen mcp` runs), for embedding in another process.
export { startMcpServer } from "../tools/mcp-server.js";
export type { McpServerOptions, McpStreams, RunningMcpServer } from "../tools/mcp-server.js";

// The workflow graph: standalone, as a subgraph node of a parent graph, and its driver.
export { buildGraph } from "../graph/build.js";
export type { WorkflowGraph } from "../graph/build.js";
export { buildRedgreenSubgraph, RedgreenResultSchema, RedgreenSubgraphInput, RedgreenSubgraphOutput } from "../graph/subgraph.js";
export type { RedgreenResult, RedgreenSubgraph, RedgreenSubgraphOptions, WorkflowDepsSource } from "../graph/subgraph.js";
export { MAX_ITERATIONS_CEILING, resumeWorkflow, runWorkflow, summarizeWorkflow } from "../graph/run.js";
export type { DriveOptions, RunWorkflowInput } from "../graph/run.js";
export { createCheckpointer } from "../graph/checkpointer.js";
export { DEFAULT_WORKFLOW_OPTIONS } from "../graph/deps.js";
export type { ApprovalAnswer, ApprovalRequest, WorkflowDeps, WorkflowEvent, WorkflowOptions } from "../graph/deps.js";
export { WorkflowState } from "../graph/state.js";
export type { WorkflowStateUpdate, WorkflowStateValue } from "../graph/state.js";
export { createWorkflowDepsFactory } from "../graph/workflow-services.js";
export type { WorkflowDepsFactory, WorkflowDepsOverrides, WorkflowServices } from "../graph/workflow-services.js";
export { createWorkflowRuntime } from "../graph/runtime.js";
export type { WorkflowDepsInput, WorkflowRuntime } from "../graph/runtime.js";

// Storage, for reading workflows, runs and fixes afterwards.
export { openStore, resolveDbPath } from "./store/index.js";
export type { Store } from "./store/index.js";

// The data contracts: zod schemas and the types inferred from them, RedgreenError and its codes.
export * from "./domain/index.js";
