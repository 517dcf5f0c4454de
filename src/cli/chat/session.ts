// ChatSession: what the REPL works on — the project, its workflow (if any), the current test run and the services.
import { runAnalyzer, type FailureAnalyzer } from "../../analysis/index.js";
import type { Failure, TestRunResult, Workflow } from "../../domain/index.js";
import type { TestRunRecord } from "../../store/index.js";
import type { Palette } from "../colour.js";
import type { WorkflowRuntime } from "../../../graph/runtime.js";

/** The REPL's state between commands; commands read and update it. */
export interface ChatSession {
  projectRoot: string;
  runtime: WorkflowRuntime;
  /** The workflow the chat is about; null until a workflow exists (a /fix creates one). */
  workflowId: string | null;
  /** The test run whose failures /failures, /show, /analyze and /fix number. */
  currentRun: TestRunRecord | null;
  /** Why the current run no longer matches the files (e.g. /undo restored them since); null while it does. */
  runStale: string | null;
  /** How to configure a model, shown when free text arrives without one (null when a model is ready). */
  noModelReason: string | null;
  /** Colour for the REPL's output (plain unless stdout is a terminal and NO_COLOR is unset, see src/cli/colour.ts). */
  paint: Palette;
}

/** The workflow of the session, or null. */
export const sessionWorkflow = (s: ChatSession): Workflow | null =>
  s.workflowId === null ? null : s.runtime.deps.store.getWorkflow(s.workflowId);

/** The newest test run of the workflow, else of the project. */
export function latestRun(s: Pick<ChatSession, "runtime" | "projectRoot" | "workflowId">): TestRunRecord | null {
  const store = s.runtime.deps.store;
  const summary =
    (s.workflowId !== null ? store.listTestRuns({ workflowId: s.workflowId, limit: 1 })[0] : undefined) ??
    store.listTestRuns({ projectPath: s.projectRoot, limit: 1 })[0];
  return summary === undefined ? null : store.getTestRun(summary.id);
}

/** The current failures, one per test (the first failure of each node id), numbered from 1 by position. */
export function currentFailures(s: Pick<ChatSession, "currentRun">): Failure[] {
  const seen = new Set<string>();
  return (s.currentRun?.result.failures ?? []).filter((f) => !seen.has(f.nodeId) && seen.add(f.nodeId));
}

/** Stores a run made from the chat and makes it the current one. */
export function adoptRun(s: ChatSession, result: TestRunResult): TestRunRecord {
  const store = s.runtime.deps.store;
  const id = store.saveTestRun(result, { workflowId: s.workflowId, projectPath: s.projectRoot });
  s.currentRun = store.getTestRun(id);
  s.runStale = null;
  return s.currentRun!;
}

/** "an undo" when a fix of the workflow was undone after `run` ran (by `redgreen undo`, an earlier chat, a fork), else null. */
export function undoneSince(s: Pick<ChatSession, "workflowId" | "runtime">, run: TestRunRecord | null): string | null {
  if (s.workflowId === null || run === null) return null;
  return s.runtime.deps.journal.list(s.workflowId, "undone").some((e) => e.updatedAt > run.createdAt) ? "an undo" : null;
}

/** The note under a view of a stale run: which run it is and how to refresh it (empty while the run is current). */
export const staleNote = (s: Pick<ChatSession, "currentRun" | "runStale">): string =>
  s.runStale === null || s.currentRun === null ? "" : `(from run #${s.currentRun.id}, before ${s.runStale}; /run to refresh)\n`;

/**
 * The analyzer of the current run's failures: suspicious lines come from the per-test coverage the project's adapter
 * recorded on its last run (a /run with coverage), ranked against the current run's outcomes.
 */
export function sessionAnalyzer(s: Pick<ChatSession, "runtime" | "currentRun">): FailureAnalyzer {
  const failing = [...new Set((s.currentRun?.result.failures ?? []).map((f) => f.nodeId))];
  return runAnalyzer(s.runtime.deps.adapter, failing);
}
