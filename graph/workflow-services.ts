// createWorkflowDepsFactory: per-project WorkflowDeps made on demand from services that serve many projects.
import { NO_MODEL_REASON } from "../src/fixers/llm/config.js";
import type { LlmCallLog } from "../src/fixers/llm/call-log.js";
import type { LlmModel } from "../src/fixers/llm/create-model.js";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import type { LlmSettings } from "../src/fixers/llm/settings.js";
import { createEditJournal } from "../src/store/edit-journal.js";
import type { EditJournal } from "../src/store/edit-journal.js";
import { createLlmCallRepository } from "../src/store/llm-calls.js";
import type { Store } from "../src/store/index.js";
import type { ProjectServices } from "../tools/index.js";
import { projectLanguageDeps } from "../tools/project-services.js";
import { DEFAULT_WORKFLOW_OPTIONS } from "./deps.js";
import type { WorkflowDeps, WorkflowEvent, WorkflowOptions } from "./deps.js";

/** What workflows on any project share: the store, the per-project runner/helper cache and the model (ToolDeps has all of it). */
export interface WorkflowServices {
  store: Store;
  projects: ProjectServices;
  /** The chat model for LLM fixes, or a loader called once on first need; absent means the LLM step is skipped. */
  model?: LlmModel | (() => Promise<LlmModel>);
  /** Where LLM calls are recorded and budgeted; default: the store's llm_calls table. */
  llmCallLog?: LlmCallLog;
  llmSettings?: Partial<LlmSettings>;
  /** Keeps secrets out of prompts; default: the store's redactor (the one everything stored passes). */
  redactor?: SecretRedactor;
  /** Write-ahead record of every edit's original; default: the store's edit_journal table. */
  journal?: EditJournal;
  clock?: () => Date;
  /** Defaults for every workflow (coverage, candidates per iteration, ...); a run's own overrides win. */
  workflowOptions?: Partial<WorkflowOptions>;
}

/** Per-run choices layered over the services' defaults. */
export interface WorkflowDepsOverrides {
  options?: Partial<WorkflowOptions>;
  onEvent?: (event: WorkflowEvent) => void;
}

/** Makes the WorkflowDeps for one project root (its runner and helper come from ProjectServices' cache). */
export type WorkflowDepsFactory = (projectRoot: string, overrides?: WorkflowDepsOverrides) => Promise<WorkflowDeps>;

/** The model option as a loader that loads at most once; a failed load is retried on the next call instead of being remembered. */
export function memoizeModel(model: WorkflowServices["model"]): () => Promise<LlmModel> {
  if (model === undefined) return () => Promise.resolve({ kind: "skipped", reason: NO_MODEL_REASON });
  if (typeof model !== "function") return () => Promise.resolve(model);
  let loading: Promise<LlmModel> | null = null;
  return () => {
    if (loading === null) {
      const attempt = model();
      loading = attempt;
      attempt.catch(() => {
        if (loading === attempt) loading = null;
      });
    }
    return loading;
  };
}

/** Builds the factory; journal, call log and redactor are made once and shared by every project's deps. */
export function createWorkflowDepsFactory(services: WorkflowServices): WorkflowDepsFactory {
  const now = (): string => (services.clock ?? ((): Date => new Date()))().toISOString();
  const model = memoizeModel(services.model);
  let shared: { journal: EditJournal; callLog: LlmCallLog; redactor: SecretRedactor } | null = null;
  const sharedParts = () =>
    (shared ??= {
      journal: services.journal ?? createEditJournal(services.store.db, now),
      callLog: services.llmCallLog ?? createLlmCallRepository(services.store, now),
      redactor: services.redactor ?? services.store.redactor,
    });
  return async (projectRoot, overrides = {}) => {
    const options: WorkflowOptions = { ...DEFAULT_WORKFLOW_OPTIONS, ...services.workflowOptions, ...overrides.options };
    const [{ adapter, ...languages }, llmModel] = await Promise.all([
      projectLanguageDeps(services.projects, projectRoot),
      options.noLlm ? Promise.resolve<LlmModel>({ kind: "skipped", reason: "disabled with noLlm" }) : model(),
    ]);
    const { journal, callLog, redactor } = sharedParts();
    return {
      store: services.store,
      journal,
      adapter,
      ...languages,
      llm: { model: llmModel, callLog, redactor, settings: services.llmSettings },
      options,
      onEvent: overrides.onEvent,
    };
  };
}
