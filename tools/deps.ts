// ToolDeps: what the composition root (CLI, MCP server, a supervising agent, tests) hands createTools.
import type { RunSummary } from "../src/domain/index.js";
import type { LlmModel } from "../src/fixers/llm/create-model.js";
import type { LlmCallLog } from "../src/fixers/llm/call-log.js";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import type { LlmSettings } from "../src/fixers/llm/settings.js";
import type { PythonCaller } from "../src/python/client.js";
import type { TestRunnerAdapter } from "../src/runners/adapter.js";
import type { TsProject } from "../src/ts-project/types.js";
import type { Store } from "../src/store/index.js";
import type { EditJournal } from "../src/store/edit-journal.js";

/** Per-project services, created on first use and reused: the runner adapter and the long-lived Python helper. */
export interface ProjectServices {
  /** The test-runner adapter for an absolute project root. */
  adapter(projectRoot: string): Promise<TestRunnerAdapter>;
  /** The Python helper (ast, tokenize, symbol index) on the project's interpreter. */
  helper(projectRoot: string): Promise<PythonCaller>;
  /** The TypeScript language service of a vitest/jest project; undefined for pytest projects. */
  typescript(projectRoot: string): Promise<TsProject | undefined>;
  /** Stops every helper process started so far. */
  close(): Promise<void>;
}

/** What the whole-workflow runner is asked to do (mirrors graph/deps.ts WorkflowOptions where they overlap). */
export interface WorkflowRequest {
  /** Absolute project root, already checked against the allowed roots. */
  projectRoot: string;
  /** Fix rounds at most; the runner's default (5) when absent. */
  maxIterations?: number;
  /** Test files may be edited beyond adding imports; set by the deps, never by the calling model. Default: false. */
  allowTestEdits?: boolean;
  /** Policy and overfit violations are accepted as warnings (risk "high"); set by the deps, never by the calling model. */
  allowRisky?: boolean;
  /** Skip the LLM step even when a model is configured. Default: false. */
  noLlm?: boolean;
  /** Verify fixes, then restore every file: the patch is reported, nothing stays changed. Default: false. */
  dryRun?: boolean;
  /** Measure coverage on the first full run (per-test map) and on the one that proves green; absent: the server's default (off). */
  coverage?: boolean;
  /** The test runner's arguments for every run (checked against the runner's allow-list; a refused one is a usage fault). */
  runnerArgs?: readonly string[];
}

/** A progress line from a running workflow. */
export interface WorkflowProgress {
  message: string;
  iteration?: number;
  maxIterations?: number;
  /** A frequent update (tests done so far) that may be dropped when updates come faster than callers need. */
  transient?: boolean;
}

export interface RunWorkflowOptions {
  onProgress?: (progress: WorkflowProgress) => void;
  /** Aborted when the caller gives up (agent cancelled, MCP request cancelled, server closing); the run then ends "cancelled". */
  signal?: AbortSignal;
  /** Called once the workflow is stored (list_workflows and get_workflow see it), with its id. */
  onStart?: (workflowId: string) => void;
}

/** Runs a whole red-to-green workflow (the graph, wired by the composition root); faults throw RedgreenError. */
export type RunWorkflow = (request: WorkflowRequest, options?: RunWorkflowOptions) => Promise<RunSummary>;

/** Where tools may work: the default project and the roots a projectPath argument may point into. */
export interface ProjectScope {
  /** Default project: calls without projectPath work here; relative projectPath values resolve against it. */
  projectRoot: string;
  /** Roots a projectPath must lie inside (tools run and edit code there); default: [projectRoot]. */
  allowedRoots?: string[];
}

/** What fix_failing_tests needs on its own (a supervisor that only wants the whole workflow passes just this). */
export interface FixFailingTestsDeps extends ProjectScope {
  runWorkflow: RunWorkflow;
  /** Lets fixes edit test files beyond imports (risk "high"); off by default and not settable by the model. */
  allowTestEdits?: boolean;
  /** Accepts fixes that break the fix policy or look overfit (risk "high"); off by default and not settable by the model. */
  allowRisky?: boolean;
}

/** Everything createTools needs; optional parts have working defaults. */
export interface ToolDeps extends ProjectScope {
  store: Store;
  projects: ProjectServices;
  /** The whole workflow for fix_failing_tests; without it that tool answers with an error result. */
  runWorkflow?: RunWorkflow;
  /** Lets fixes edit test files beyond imports (risk "high"); off by default and not settable by the model. */
  allowTestEdits?: boolean;
  /** Accepts fixes that break the fix policy or look overfit (risk "high"); off by default and not settable by the model. */
  allowRisky?: boolean;
  /** The chat model for generate_llm_fix, or a loader called once on first use; absent means the LLM step is skipped. */
  model?: LlmModel | (() => Promise<LlmModel>);
  /** Where LLM calls are recorded and budgeted; default: the store's llm_calls table. */
  llmCallLog?: LlmCallLog;
  llmSettings?: Partial<LlmSettings>;
  /** Keeps secrets out of prompts; default: the store's redactor (the one everything stored passes). */
  redactor?: SecretRedactor;
  /** Write-ahead record of apply_fix's originals; default: the store's edit_journal table. */
  journal?: EditJournal;
  /** LLM calls of this tool session are recorded and budgeted under this id (default: a random "tools-…" id). */
  sessionId?: string;
  clock?: () => Date;
}
