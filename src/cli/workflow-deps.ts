// Builds WorkflowDeps (store, journal, runner, Python helper or TypeScript project, model) from CLI flags: the workflow's composition root.
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { fullRunCoverage } from "../../graph/coverage-plan.js";
import { DEFAULT_WORKFLOW_OPTIONS } from "../../graph/deps.js";
import type { WorkflowDeps, WorkflowEvent, WorkflowOptions } from "../../graph/deps.js";
import { createEditJournal } from "../store/edit-journal.js";
import { createLlmCallRepository } from "../store/llm-calls.js";
import { ignoreStateDir, openStore, resolveDbPath } from "../store/index.js";
import { chooseRunner, createRunnerAdapter } from "../runners/create-adapter.js";
import { prestartRun, type PrestartedRun } from "../runners/prestart.js";
import type { RunnerChoice } from "../domain/runner-choice.js";
import type { RunnerName, TestRunnerAdapter } from "../runners/adapter.js";
import type { SecretRedactor } from "../fixers/llm/redact.js";
import type { Store } from "../store/index.js";
import { resolvePython } from "../python/interpreter.js";
import { PythonHelper } from "../python/client.js";
import { lazyPythonHelper, type ClosablePythonCaller } from "../python/lazy-helper.js";
import type { OpBudgetOverrides } from "../python/op-budget.js";
import { closeTsProject, createTsProject } from "../typescript/project.js";
import { createSecretRedactor } from "../fixers/llm/redact.js";
import { acquireProjectLock } from "../fixers/project-lock.js";
import type { LockRequest, ProjectLock } from "../fixers/project-lock.js";
import { loadLlmModel } from "../fixers/llm/create-model.js";
import type { LlmSettings } from "../fixers/llm/settings.js";

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
  /** Helper op budgets replacing src/python/op-budget.ts's (tests force a timeout). */
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

async function openRuntime(input: WorkflowDepsInput, env: Record<string, string | undefined>, lock: ProjectLock | null): Promise<WorkflowRuntime> {
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
  const python = adapter.name === "pytest" ? await resolvePython({ projectRoot, ...(input.python ? { python: input.python } : {}) }) : null;
  // One redactor for the store and the prompts: the environment's secrets and redgreen's own API key.
  const redactor = createSecretRedactor({ env, apiKey: input.apiKey });
  const store = openStore(resolveDbPath({ projectRoot, db: input.db, env, cwd: input.cwd ?? process.cwd() }), { redactor });
  ignoreStateDir(store.path);
  const options: WorkflowOptions = { ...DEFAULT_WORKFLOW_OPTIONS, ...input.options };
  // After the store opened (a bad --db stops everything before a test runs), before anything slow.
  const prestarted: PrestartedRun | null = input.prestartRun ? prestartRun(adapter, fullRunCoverage(options, null, false), input.signal) : null;
  try {
    return await openServices(input, env, lock, { runnerChoice, adapter, python, redactor, store, options, prestarted });
  } catch (e) {
    await prestarted?.cancel();
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

/** The rest, once the store is open: the Python helper or the TypeScript project, the model, the checkpointer. */
async function openServices(input: WorkflowDepsInput, env: Record<string, string | undefined>, lock: ProjectLock | null, opened: Opened) {
  const { runnerChoice, adapter, python, redactor, store, options, prestarted } = opened;
  const projectRoot = input.projectRoot;
  const startHelper = async (): Promise<ClosablePythonCaller> =>
    python !== null
      ? PythonHelper.start({ python, projectRoot, ...(input.opBudgets ? { opBudgets: input.opBudgets } : {}) })
      : lazyPythonHelper(async () =>
          PythonHelper.start({
            python: await resolvePython({ projectRoot, ...(input.python ? { python: input.python } : {}) }),
            projectRoot,
            ...(input.opBudgets ? { opBudgets: input.opBudgets } : {}),
          }),
        );
  // The helper's process starts while LangGraph's modules (the checkpointer's) load: a child process and this thread.
  const [helper, { createCheckpointer }] = await Promise.all([startHelper(), import("../../graph/checkpointer.js")]);
  const typescript =
    adapter.name === "pytest" ? undefined : await createTsProject({ projectRoot, isTestFile: (rel) => adapter.isTestFile(rel) });
  const now = (): string => new Date().toISOString();
  const model = options.noLlm
    ? ({ kind: "skipped", reason: "disabled with --no-llm" } as const)
    : await loadLlmModel(
        { model: input.model, baseUrl: input.baseUrl, apiKey: input.apiKey, env },
        input.llmSettings?.maxTokens !== undefined ? { maxTokens: input.llmSettings.maxTokens } : {},
      );
  const deps: WorkflowDeps = {
    store,
    journal: createEditJournal(store.db, now),
    adapter: prestarted?.adapter ?? adapter,
    helper,
    typescript,
    llm: {
      model,
      callLog: createLlmCallRepository(store, now),
      redactor,
      ...(input.llmSettings ? { settings: input.llmSettings } : {}),
    },
    options,
    ...(input.onEvent ? { onEvent: input.onEvent } : {}),
  };
  return {
    deps,
    runnerChoice,
    checkpointer: createCheckpointer(store),
    python,
    async close() {
      await prestarted?.cancel();
      await helper.close();
      if (typescript) closeTsProject(typescript);
      store.close();
      lock?.release();
    },
  };
}
