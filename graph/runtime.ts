// The CLI's WorkflowRuntime: the lock, the runner, the store and a prestarted first run from CLI flags, then the workflow's services
// built by the one composition root every entry point shares (ProjectServices + createWorkflowDepsFactory).
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { fullRunCoverage } from "./coverage-plan.js";
import { DEFAULT_WORKFLOW_OPTIONS } from "./deps.js";
import type { WorkflowDeps, WorkflowEvent, WorkflowOptions } from "./deps.js";
import { ignoreStateDir, openStore, resolveDbPath } from "../src/store/index.js";
import { chooseRunner, createRunnerAdapter } from "../src/runners/create-adapter.js";
import { prestartRun, type PrestartedRun } from "../src/runners/prestart.js";
import type { RunnerChoice } from "../src/domain/runner-choice.js";
import type { RunnerName, TestRunnerAdapter } from "../src/runners/adapter.js";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import type { Store } from "../src/store/index.js";
import { resolvePython } from "../src/python/interpreter.js";
import { PythonHelper } from "../src/python/client.js";
import { createProjectServices } from "../tools/project-services.js";
import type { OpBudgetOverrides } from "../src/python/ops.js";
import { createSecretRedactor } from "../src/fixers/llm/redact.js";
import { acquireProjectLock } from "../src/fixers/project-lock.js";
import type { LockRequest, ProjectLock } from "../src/fixers/project-lock.js";
import { loadLlmModel } from "../src/fixers/llm/create-model.js";
import type { LlmSettings } from "../src/fixers/llm/settings.js";

export interface WorkflowDepsInput {
  projectRoot: string;
  /** The test runner; detected from the project when absent. */
  runner?: RunnerName | undefined;
  python?: string | undefined;
  db?: string | undefined;
  testTimeoutSeconds?: number | undefined;
  /** Hard limit for each run of the suite (the adapter's default when absent). */
  runTimeoutSeconds?: number | undefined;
  model?: string | undefined;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  /** Model credentials the test process gets anyway (--pass-env). */
  passEnv?: readonly string[] | undefined;
  /** The user's runner args, put on every run (checked against the runner's allow-list: a refused one is a usage error). */
  runnerArgs?: readonly string[] | undefined;
  /** false keeps pytest off pytest-xdist (`--no-parallel`). */
  parallel?: boolean | undefined;
  options?: Partial<WorkflowOptions>;
  llmSettings?: Partial<LlmSettings>;
  env?: Record<string, string | undefined>;
  cwd?: string;
  onEvent?: (event: WorkflowEvent) => void;
  /** Helper op budgets replacing src/python/ops.ts's (tests force a timeout). */
  opBudgets?: OpBudgetOverrides;
  /** Holds the project lock for this workflow from now until close() (run and resume); chat locks per command. */
  lock?: LockRequest | undefined;
  /**
   * Start the workflow's first full run as soon as the store is open and the runner known, while the rest (the Python
   * helper, the checkpointer, the model, and the caller's graph modules) loads: the run_tests node takes it
   * (src/runners/prestart.ts). Only for a new workflow (its first run is a plain full run); `signal` stops it.
   */
  prestartRun?: boolean;
  signal?: AbortSignal;
}

/** Everything a workflow run needs, plus the checkpointer and one close() for all of it. */
export interface WorkflowRuntime {
  deps: WorkflowDeps;
  /** The runner the adapter drives and why (named by --runner or detected). */
  runnerChoice: RunnerChoice;
  /** The interpreter pytest runs with (resolved from --python, the project's venv, or python3); null for vitest/jest. */
  python: string | null;
  checkpointer: BaseCheckpointSaver;
  close(): Promise<void>;
}

/** Opens the store, picks the runner, starts the Python helper (pytest) or the TypeScript project (vitest/jest), loads the model. */
export async function createWorkflowRuntime(input: WorkflowDepsInput): Promise<WorkflowRuntime> {
  const env = input.env ?? process.env;
  const projectRoot = input.projectRoot;
  // Taken before anything is opened, so a second process stops with nothing changed.
  const lock = input.lock === undefined ? null : acquireProjectLock(projectRoot, input.lock);
  try {
    return await openRuntime(input, env, lock);
  } catch (e) {
    lock?.release();
    throw e;
  }
}

async function openRuntime(
  input: WorkflowDepsInput,
  env: Record<string, string | undefined>,
  lock: ProjectLock | null,
): Promise<WorkflowRuntime> {
  const projectRoot = input.projectRoot;
  const runnerChoice = await chooseRunner(projectRoot, input.runner);
  const adapter = await createRunnerAdapter({
    projectRoot,
    runner: runnerChoice.runner,
    python: input.python,
    testTimeoutSeconds: input.testTimeoutSeconds,
    runTimeoutSeconds: input.runTimeoutSeconds,
    passEnv: input.passEnv,
    runnerArgs: input.runnerArgs,
    parallel: input.parallel,
  });
  // The interpreter check (one Python start) goes on beside the store's opening and the prestarted run instead of
  // before them: a first run of 1,000 tests takes about a second, so its start is on the critical path.
  const pythonChecked = adapter.name === "pytest" ? resolvePython({ projectRoot, python: input.python }) : Promise.resolve(null);
  // Awaited below; a store that fails to open first leaves it settled but unread.
  pythonChecked.catch(() => undefined);
  // One redactor for the store and the prompts: the environment's secrets and redgreen's own API key.
  const redactor = createSecretRedactor({ env, apiKey: input.apiKey });
  const store = openStore(resolveDbPath({ projectRoot, db: input.db, env, cwd: input.cwd ?? process.cwd() }), { redactor });
  ignoreStateDir(store.path);
  const options: WorkflowOptions = { ...DEFAULT_WORKFLOW_OPTIONS, ...input.options };
  // After the store opened (a bad --db stops everything before a test runs), before anything slow.
  const prestarted: PrestartedRun | null = input.prestartRun
    ? prestartRun(adapter, fullRunCoverage(options, null, false), input.signal)
    : null;
  try {
    const python = await pythonChecked;
    return await openServices(input, env, lock, { runnerChoice, adapter, python, redactor, store, options, prestarted });
  } catch (e) {
    await prestarted?.cancel();
    adapter.close?.();
    store.close();
    throw e;
  }
}

/** What openRuntime opened before the slow part. */
interface Opened {
  runnerChoice: RunnerChoice;
  adapter: TestRunnerAdapter;
  python: string | null;
  redactor: SecretRedactor;
  store: Store;
  options: WorkflowOptions;
  prestarted: PrestartedRun | null;
}

/**
 * The rest, once the store is open, built the way the library, MCP and Studio build it (ProjectServices and the
 * WorkflowDeps factory): the Python helper or the TypeScript project, the model, the checkpointer. The CLI only brings
 * its adapter (prestarted or not) and the helper's op budgets.
 */
async function openServices(input: WorkflowDepsInput, env: Record<string, string | undefined>, lock: ProjectLock | null, opened: Opened) {
  const { runnerChoice, adapter, python, redactor, store, options, prestarted } = opened;
  const projects = createProjectServices({
    createAdapter: () => Promise.resolve(prestarted?.adapter ?? adapter),
    startHelper: async (projectRoot) =>
      PythonHelper.start({
        python: python ?? (await resolvePython({ projectRoot, python: input.python })),
        projectRoot,
        opBudgets: input.opBudgets,
      }),
  });
  try {
    // LangGraph's modules load here, not at start-up, while a prestarted run goes on; a pytest project's helper process
    // starts meanwhile (a child process and this thread; a failed start still fails the runtime).
    const [{ createCheckpointer }, { createWorkflowDepsFactory }] = await Promise.all([
      import("./checkpointer.js"),
      import("./workflow-services.js"),
      python !== null ? projects.helper(input.projectRoot) : null,
    ]);
    const depsFor = createWorkflowDepsFactory({
      store,
      projects,
      redactor,
      model: () =>
        loadLlmModel(
          { model: input.model, baseUrl: input.baseUrl, apiKey: input.apiKey, env },
          input.llmSettings?.maxTokens !== undefined ? { maxTokens: input.llmSettings.maxTokens } : {},
        ),
      llmSettings: input.llmSettings,
      workflowOptions: options,
    });
    const deps = await depsFor(input.projectRoot, input.onEvent ? { onEvent: input.onEvent } : {});
    return {
      deps,
      runnerChoice,
      checkpointer: createCheckpointer(store),
      python,
      async close() {
        await prestarted?.cancel();
        await projects.close();
        store.close();
        lock?.release();
      },
    };
  } catch (e) {
    await projects.close();
    throw e;
  }
}
