// Builds WorkflowDeps (store, journal, runner, Python helper, model) from CLI flags: the workflow's composition root.
import type { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { createCheckpointer } from "../../graph/checkpointer.js";
import { DEFAULT_WORKFLOW_OPTIONS } from "../../graph/deps.js";
import type { WorkflowDeps, WorkflowEvent, WorkflowOptions } from "../../graph/deps.js";
import { createEditJournal } from "../store/edit-journal.js";
import { createLlmCallRepository } from "../store/llm-calls.js";
import { ignoreStateDir, openStore, resolveDbPath } from "../store/index.js";
import { createPytestAdapter } from "../runners/pytest/adapter.js";
import { resolvePython } from "../python/interpreter.js";
import { PythonHelper } from "../python/client.js";
import { createSecretRedactor } from "../fixers/llm/redact.js";
import { loadLlmModel } from "../fixers/llm/create-model.js";
import type { LlmSettings } from "../fixers/llm/settings.js";

export interface WorkflowDepsInput {
  projectRoot: string;
  python?: string | undefined;
  db?: string | undefined;
  testTimeoutSeconds?: number | undefined;
  model?: string | undefined;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  options?: Partial<WorkflowOptions>;
  llmSettings?: Partial<LlmSettings>;
  env?: Record<string, string | undefined>;
  cwd?: string;
  onEvent?: (event: WorkflowEvent) => void;
}

/** Everything a workflow run needs, plus the checkpointer and one close() for all of it. */
export interface WorkflowRuntime {
  deps: WorkflowDeps;
  /** The interpreter the tests run with (resolved from --python, the project's venv, or python3). */
  python: string;
  checkpointer: SqliteSaver;
  close(): Promise<void>;
}

/** Opens the store, starts the Python helper and loads the model (or the reason it is skipped). */
export async function createWorkflowRuntime(input: WorkflowDepsInput): Promise<WorkflowRuntime> {
  const env = input.env ?? process.env;
  const projectRoot = input.projectRoot;
  const python = await resolvePython({ projectRoot, ...(input.python ? { python: input.python } : {}) });
  const adapter = await createPytestAdapter({
    projectRoot,
    python,
    ...(input.testTimeoutSeconds !== undefined ? { testTimeoutSeconds: input.testTimeoutSeconds } : {}),
  });
  const store = openStore(resolveDbPath({ projectRoot, db: input.db, env, cwd: input.cwd ?? process.cwd() }));
  ignoreStateDir(store.path);
  let helper: PythonHelper;
  try {
    helper = await PythonHelper.start({ python, projectRoot });
  } catch (e) {
    store.close();
    throw e;
  }
  const now = (): string => new Date().toISOString();
  const options: WorkflowOptions = { ...DEFAULT_WORKFLOW_OPTIONS, ...input.options };
  const model = options.noLlm
    ? ({ kind: "skipped", reason: "disabled with --no-llm" } as const)
    : await loadLlmModel(
        { model: input.model, baseUrl: input.baseUrl, apiKey: input.apiKey, env },
        input.llmSettings?.maxTokens !== undefined ? { maxTokens: input.llmSettings.maxTokens } : {},
      );
  const deps: WorkflowDeps = {
    store,
    journal: createEditJournal(store.db, now),
    adapter,
    helper,
    llm: {
      model,
      callLog: createLlmCallRepository(store.db, now),
      redactor: createSecretRedactor({ env }),
      ...(input.llmSettings ? { settings: input.llmSettings } : {}),
    },
    options,
    ...(input.onEvent ? { onEvent: input.onEvent } : {}),
  };
  return {
    deps,
    checkpointer: createCheckpointer(store),
    python,
    async close() {
      await helper.close();
      store.close();
    },
  };
}
