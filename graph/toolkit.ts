// createRedgreenToolkit: the one-call composition for library users — store, runners, model, the real workflow runner and the tools.
import { resolve } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { chatModelId, loadLlmModel } from "../src/fixers/llm/create-model.js";
import { createSecretRedactor } from "../src/fixers/llm/redact.js";
import type { LlmModel } from "../src/fixers/llm/create-model.js";
import type { LlmSettings } from "../src/fixers/llm/settings.js";
import { ignoreStateDir, openStore, resolveDbPath } from "../src/store/index.js";
import type { Store } from "../src/store/index.js";
import { createFixFailingTestsTool, createProjectServices, createTools, WorkflowJobs } from "../tools/index.js";
import type { ProjectServices, RedgreenTool, RunWorkflow, ToolDeps } from "../tools/index.js";
import { createCheckpointer } from "./checkpointer.js";
import type { WorkflowOptions } from "./deps.js";
import { createGraphRunWorkflow } from "./tool-runner.js";
import { createWorkflowDepsFactory, memoizeModel } from "./workflow-services.js";
import type { WorkflowDepsFactory } from "./workflow-services.js";
import type { RunnerName } from "../src/runners/adapter.js";

export interface RedgreenToolkitOptions {
  /** The default project: tools without projectPath work here, and the database lives in its .redgreen/ by default. */
  projectRoot: string;
  /** Roots a tool's projectPath may point into (tools run and edit code there); default: [projectRoot]. */
  allowedRoots?: string[];
  /** Python interpreter for every project; default: each project's .venv/venv, else python3 on PATH. */
  python?: string;
  /** Test runner for every project; default: detected per project (pytest, vitest or jest). */
  runner?: RunnerName;
  /** Database file; default: $REDGREEN_DB, else PROJECT/.redgreen/redgreen.db. ":memory:" works for throwaway use. */
  db?: string;
  /** Per-test timeout in seconds (default: pytest max(60, 5x the slowest test seen), JS runners 10). */
  testTimeoutSeconds?: number;
  /** Model credentials the test process gets anyway (`--pass-env`); by default it gets none. */
  passEnv?: readonly string[] | undefined;
  /**
   * The model for LLM fixes: a LangChain chat model, or a name as for `--model` ("provider:model" for non-OpenAI
   * providers). Default: $REDGREEN_MODEL; with neither, only deterministic pattern fixes run.
   */
  model?: string | BaseChatModel;
  /** OpenAI-compatible server for a model given by name (or $OPENAI_BASE_URL). */
  baseUrl?: string;
  apiKey?: string;
  llmSettings?: Partial<LlmSettings>;
  /** Lets fixes edit test files beyond imports (risk "high"); off by default and never settable by a calling model. */
  allowTestEdits?: boolean;
  /** Accept fixes that break the fix policy or look overfit (warnings, risk "high"); off by default, never set by a model. */
  allowRisky?: boolean;
  /** Workflow defaults such as coverage or candidates per iteration. */
  workflowOptions?: Partial<Pick<WorkflowOptions, "coverage" | "maxCandidatesPerIteration">>;
  /** Environment for $REDGREEN_* defaults and the secrets redacted from everything stored and sent (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Base for a relative db path (default: process.cwd()). */
  cwd?: string;
}

/** Everything opened for one toolkit; close() stops the Python helpers and closes the database. */
export interface RedgreenToolkit {
  readonly store: Store;
  readonly projects: ProjectServices;
  /** The checkpointer the runner uses (SqliteSaver on the store's file; thread id = workflow id). */
  readonly checkpointer: BaseCheckpointSaver;
  /** The deps createTools takes, runWorkflow included. */
  readonly deps: ToolDeps & { runWorkflow: RunWorkflow };
  /** The whole workflow on a project, as fix_failing_tests runs it. */
  readonly runWorkflow: RunWorkflow;
  /** Per-project WorkflowDeps, e.g. for buildRedgreenSubgraph or buildGraph. */
  readonly workflowDeps: WorkflowDepsFactory;
  /** Every tool (a fresh tool session per call; start_fix workflows are shared, and stopped cleanly by close()). */
  tools(): RedgreenTool[];
  /** Only fix_failing_tests, for a supervisor that just wants the suite green. */
  fixFailingTestsTool(): RedgreenTool;
  close(): Promise<void>;
}

/** The model option as a lazy loader: a chat model is used as is, a name (or $REDGREEN_MODEL) is loaded on first need. */
function modelLoader(options: RedgreenToolkitOptions, env: Record<string, string | undefined>): () => Promise<LlmModel> {
  const m = options.model;
  if (m !== undefined && typeof m !== "string") {
    const ready: LlmModel = { kind: "ready", chat: m, name: chatModelId(m) };
    return () => Promise.resolve(ready);
  }
  return () => loadLlmModel({ model: m, baseUrl: options.baseUrl, apiKey: options.apiKey, env });
}

/** Opens the store and wires tools, runner and per-project deps; nothing is started until first use. */
export function createRedgreenToolkit(options: RedgreenToolkitOptions): RedgreenToolkit {
  const env = options.env ?? process.env;
  const projectRoot = resolve(options.projectRoot);
  const dbPath = resolveDbPath({ projectRoot, db: options.db, env, cwd: options.cwd ?? process.cwd() });
  const store = openStore(dbPath, { redactor: createSecretRedactor({ env, apiKey: options.apiKey }) });
  ignoreStateDir(dbPath);
  const projects = createProjectServices({
    passEnv: options.passEnv,
    runner: options.runner,
    python: options.python,
    testTimeoutSeconds: options.testTimeoutSeconds,
  });
  const checkpointer = createCheckpointer(store);
  const services = {
    store,
    projects,
    model: memoizeModel(modelLoader(options, env)),
    llmSettings: options.llmSettings,
    workflowOptions: options.workflowOptions,
  };
  const runWorkflow = createGraphRunWorkflow({
    ...services,
    checkpointer,
    python: options.python,
    testTimeoutSeconds: options.testTimeoutSeconds,
  });
  const deps: ToolDeps & { runWorkflow: RunWorkflow } = {
    ...services,
    projectRoot,
    allowedRoots: options.allowedRoots?.map((r) => resolve(projectRoot, r)),
    runWorkflow,
    allowTestEdits: options.allowTestEdits ?? false,
    allowRisky: options.allowRisky ?? false,
  };
  let closed = false;
  // start_fix's background workflows, whichever tools() call started them: close() stops them cleanly first.
  const jobs = new WorkflowJobs();
  return {
    store,
    projects,
    checkpointer,
    deps,
    runWorkflow,
    workflowDeps: createWorkflowDepsFactory({
      ...services,
      workflowOptions: {
        ...options.workflowOptions,
        allowTestEdits: options.allowTestEdits ?? false,
        allowRisky: options.allowRisky ?? false,
      },
    }),
    tools: () => createTools(deps, { jobs }),
    fixFailingTestsTool: () => createFixFailingTestsTool(deps),
    async close() {
      if (closed) return;
      closed = true;
      await jobs.stopAll();
      await projects.close();
      store.close();
    },
  };
}
