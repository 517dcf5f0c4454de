// WorkflowDeps: everything the graph's nodes use, passed in by the composition root (no globals).
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Store } from "../src/store/index.js";
import type { EditJournal } from "../src/store/edit-journal.js";
import type { ProofPhase } from "../src/proof/prove-fix.js";
import type { TestRunnerAdapter } from "../src/runners/adapter.js";
import type { LanguageServices } from "../src/languages/services.js";
import type { LlmModel } from "../src/fixers/llm/create-model.js";
import type { LlmCallLog } from "../src/fixers/llm/call-log.js";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import type { LlmSettings } from "../src/fixers/llm/settings.js";
import type { ImportCatalogsInput } from "../src/fixers/patterns/types.js";

export interface WorkflowOptions {
  /** Test files may be edited beyond adding imports (risk "high"); off by default. */
  allowTestEdits: boolean;
  /** Accept fixes that break the static fix policy or look overfit (as warnings, always risk "high"); off by default. */
  allowRisky: boolean;
  /** Ask before applying each fix (LangGraph interrupt). */
  approve: boolean;
  /** Skip the LLM step even when a model is configured. */
  noLlm: boolean;
  /**
   * Measure coverage (opt-in; off by default, it costs a pytest run 2.8-4x): on the first full run, with per-test contexts
   * (the impact map), and on a full run that should prove green (the final coverage). Other runs measure none.
   */
  coverage: boolean;
  /** Verify fixes, then restore every file at the end: the patch is reported, nothing stays changed. */
  dryRun: boolean;
  /** Fixes validated per iteration at most (bounds the recursion limit). */
  maxCandidatesPerIteration: number;
  /**
   * The language service builds its program during a failing run (a fixed ~1-3 s of TS work off the critical path) only
   * while the run has collected at most this many tests; a bigger run's report (~1.3 kB a test) would be held on top of
   * the program (measured: 20,000 vitest tests, peak RSS 388 -> 362 MB without the overlap, at the same wall time).
   */
  warmDuringRunMaxTests: number;
  /**
   * The round's last candidate is proved by the full suite alone (no targeted run first) when the last full run took at
   * most this many seconds: on a quick suite the targeted run costs about as much as the full one (process start,
   * collection) and the full run must follow anyway. 0 turns it off.
   */
  fullFirstMaxSeconds: number;
}

export const DEFAULT_WORKFLOW_OPTIONS: WorkflowOptions = {
  allowTestEdits: false,
  allowRisky: false,
  approve: false,
  noLlm: false,
  coverage: false,
  dryRun: false,
  maxCandidatesPerIteration: 8,
  warmDuringRunMaxTests: 10_000,
  fullFirstMaxSeconds: 10,
};

/** Test-run phases: the proof's (targeted, affected, full, flaky-check), and analyze's fault-localisation run. */
export type TestPhase = ProofPhase | "localise";

/** What each test-run phase is called in progress lines. */
export const TEST_PHASE_LABEL: Record<TestPhase, string> = {
  full: "full suite",
  targeted: "targeted tests",
  affected: "affected tests",
  "flaky-check": "flakiness re-run",
  localise: "fault-localisation run",
};

/** A progress event for the CLI's live output (run_tests uses full and flaky-check). */
export type WorkflowEvent =
  | { kind: "node"; node: string; iteration: number; message: string }
  | { kind: "tests"; phase: TestPhase; done: number; failed: number; collected: number | null };

export interface WorkflowDeps extends LanguageServices {
  store: Store;
  journal: EditJournal;
  adapter: TestRunnerAdapter;
  llm: {
    model: LlmModel;
    callLog: LlmCallLog;
    redactor: SecretRedactor;
    settings?: Partial<LlmSettings>;
  };
  options: WorkflowOptions;
  importCatalogs?: ImportCatalogsInput;
  /** Live progress; never required for correctness. */
  onEvent?: (event: WorkflowEvent) => void;
}

/** The approval question the graph interrupts with when options.approve is on. */
export interface ApprovalRequest {
  kind: "approve_fix";
  file: string;
  source: "pattern" | "llm";
  strategy: string;
  explanation: string;
  risk: "low" | "medium" | "high";
  diff: string;
}

/** The answer that resumes an approval interrupt. */
export interface ApprovalAnswer {
  approve: boolean;
}

export type NodeConfig = RunnableConfig;

/** What a node uses of LangGraph's runtime argument: the run's abort signal, passed on to test runs. */
export interface NodeRuntime {
  signal?: AbortSignal;
}
