// ToolSession: the state one createTools call shares between its tools — project roots, stored failures, proposals.
import { randomBytes } from "node:crypto";
import type { Analysis, Failure, FileEdit, FixProposal, TestRunResult } from "../src/domain/index.js";
import { RedgreenError } from "../src/domain/errors.js";
import { runAnalyzer } from "../src/analysis/index.js";
import type { LlmCallLog } from "../src/fixers/llm/call-log.js";
import { NO_MODEL_REASON } from "../src/fixers/llm/config.js";
import type { LlmModel } from "../src/fixers/llm/create-model.js";
import type { SecretRedactor } from "../src/fixers/llm/redact.js";
import { createEditJournal } from "../src/store/edit-journal.js";
import type { EditJournal } from "../src/store/edit-journal.js";
import { createLlmCallRepository } from "../src/store/llm-calls.js";
import type { ToolDeps } from "./deps.js";
import type { CheckFixDeps } from "../src/fixers/check-fix.js";
import { resolveProjectRoot } from "./project-scope.js";
import { projectLanguageDeps } from "./project-services.js";

/** A stored failure a tool works on. */
export interface FailureRef {
  projectRoot: string;
  runId: number;
  failure: Failure;
  result: TestRunResult;
}

/** A fix proposed by find_pattern_fix or generate_llm_fix, kept so validate/apply can take its id. */
export interface StoredProposal {
  id: string;
  projectRoot: string;
  nodeId: string;
  proposal: FixProposal;
}

/** Proposals kept per session; the oldest are forgotten past this. */
const MAX_PROPOSALS = 200;
/** Stored runs searched for a failure when no runId is given. */
const RUNS_SEARCHED = 20;

/** Picks the failure a nodeId names: exact node id first, else a unique test name or node-id suffix. */
function pickFailure(failures: readonly Failure[], nodeId: string): Failure | "ambiguous" | undefined {
  const exact = failures.find((f) => f.nodeId === nodeId);
  if (exact) return exact;
  const loose = failures.filter((f) => f.testName === nodeId || f.nodeId.endsWith(`::${nodeId}`) || f.nodeId.endsWith(`/${nodeId}`));
  const distinct = [...new Set(loose.map((f) => f.nodeId))];
  if (distinct.length > 1) return "ambiguous";
  return loose[0];
}

export const newId = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

/** The session behind one set of tools. */
export class ToolSession {
  readonly sessionId: string;
  readonly allowTestEdits: boolean;
  readonly allowRisky: boolean;
  private readonly proposals = new Map<string, StoredProposal>();
  /** apply_fix ids of this session and the project each was applied in (rollback_fix's default project). */
  readonly appliedRoots = new Map<string, string>();
  private modelPromise: Promise<LlmModel> | null = null;
  private lazyCallLog: LlmCallLog | null = null;
  private lazyRedactor: SecretRedactor | null = null;
  private lazyJournal: EditJournal | null = null;

  constructor(readonly deps: ToolDeps) {
    this.sessionId = deps.sessionId ?? newId("tools");
    this.allowTestEdits = deps.allowTestEdits ?? false;
    this.allowRisky = deps.allowRisky ?? false;
  }

  private now = (): string => (this.deps.clock ?? ((): Date => new Date()))().toISOString();

  /** The checked absolute root for a projectPath argument. */
  projectRoot(projectPath?: string): string {
    return resolveProjectRoot(this.deps, projectPath);
  }

  /** The failure `nodeId` in stored run `runId`, or in the newest stored run of the project that has it. */
  findFailure(q: { projectPath?: string | undefined; nodeId: string; runId?: number | undefined }): FailureRef {
    const { store } = this.deps;
    if (q.runId !== undefined) {
      const run = store.getTestRun(q.runId);
      if (run === null) throw new RedgreenError("not_found", `no stored test run with runId ${q.runId}`);
      const projectRoot = this.projectRoot(q.projectPath ?? run.projectPath);
      if (q.projectPath !== undefined && run.projectPath !== projectRoot) {
        throw new RedgreenError("usage", `run ${q.runId} belongs to ${run.projectPath}, not ${projectRoot}`);
      }
      const f = pickFailure(run.result.failures, q.nodeId);
      if (f === "ambiguous")
        throw new RedgreenError("usage", `"${q.nodeId}" matches several failures in run ${q.runId}; pass the full node id`);
      if (f === undefined) {
        const ids = run.result.failures.slice(0, 10).map((x) => x.nodeId);
        throw new RedgreenError(
          "not_found",
          `run ${q.runId} has no failure "${q.nodeId}"${ids.length > 0 ? ` (its failures: ${ids.join(", ")})` : " (it has no failures)"}`,
        );
      }
      return { projectRoot, runId: q.runId, failure: f, result: run.result };
    }
    const projectRoot = this.projectRoot(q.projectPath);
    for (const summary of store.listTestRuns({ projectPath: projectRoot, limit: RUNS_SEARCHED })) {
      if (summary.failed + summary.errors === 0) continue;
      const run = store.getTestRun(summary.id);
      if (run === null) continue;
      const f = pickFailure(run.result.failures, q.nodeId);
      if (f === "ambiguous")
        throw new RedgreenError("usage", `"${q.nodeId}" matches several failures in run ${summary.id}; pass the full node id`);
      if (f !== undefined) return { projectRoot, runId: summary.id, failure: f, result: run.result };
    }
    throw new RedgreenError("not_found", `no stored test run of ${projectRoot} has a failure "${q.nodeId}": call run_tests first`);
  }

  /**
   * The analyzer's verdict on a failure, with suspicious lines from the per-test coverage the project's adapter last
   * recorded, ranked against the outcomes of the failure's run.
   */
  async analyze(ref: FailureRef): Promise<Analysis> {
    const adapter = await this.deps.projects.adapter(ref.projectRoot);
    return runAnalyzer(
      adapter,
      ref.result.failures.map((f) => f.nodeId),
    )(ref.failure);
  }

  /** The configured chat model, loaded once; "skipped" with the reason when none is configured. */
  model(): Promise<LlmModel> {
    if (this.modelPromise === null) {
      const m = this.deps.model;
      const loading: Promise<LlmModel> =
        m === undefined
          ? Promise.resolve({ kind: "skipped", reason: NO_MODEL_REASON })
          : typeof m === "function"
            ? m()
            : Promise.resolve(m);
      this.modelPromise = loading;
      // A failed load is retried on the next call instead of being remembered.
      loading.catch(() => {
        if (this.modelPromise === loading) this.modelPromise = null;
      });
    }
    return this.modelPromise;
  }

  /** Where LLM calls are recorded and budgeted: the deps' log, else the store's llm_calls table. */
  callLog(): LlmCallLog {
    this.lazyCallLog ??= this.deps.llmCallLog ?? createLlmCallRepository(this.deps.store, this.now);
    return this.lazyCallLog;
  }

  redactor(): SecretRedactor {
    this.lazyRedactor ??= this.deps.redactor ?? this.deps.store.redactor;
    return this.lazyRedactor;
  }

  journal(): EditJournal {
    this.lazyJournal ??= this.deps.journal ?? createEditJournal(this.deps.store.db, this.now);
    return this.lazyJournal;
  }

  /** Keeps a proposal and returns its id. */
  rememberProposal(projectRoot: string, nodeId: string, proposal: FixProposal): string {
    const id = newId("fix");
    this.proposals.set(id, { id, projectRoot, nodeId, proposal });
    if (this.proposals.size > MAX_PROPOSALS) this.proposals.delete(this.proposals.keys().next().value!);
    return id;
  }

  /** The edits to check or apply: a remembered proposal's, or the ones given inline (exactly one of the two). */
  editsFor(q: { projectPath?: string | undefined; proposalId?: string | undefined; edits?: FileEdit[] | undefined }): {
    projectRoot: string;
    edits: FileEdit[];
    proposal: StoredProposal | null;
  } {
    if ((q.proposalId === undefined) === (q.edits === undefined)) {
      throw new RedgreenError("usage", "give either proposalId (from find_pattern_fix or generate_llm_fix) or edits, not both or neither");
    }
    if (q.proposalId !== undefined) {
      const stored = this.proposals.get(q.proposalId);
      if (stored === undefined)
        throw new RedgreenError("not_found", `no proposal ${q.proposalId} in this session (proposals live as long as the tool session)`);
      const projectRoot = this.projectRoot(q.projectPath ?? stored.projectRoot);
      if (projectRoot !== stored.projectRoot)
        throw new RedgreenError("usage", `proposal ${q.proposalId} is for ${stored.projectRoot}, not ${projectRoot}`);
      return { projectRoot, edits: stored.proposal.edits, proposal: stored };
    }
    return { projectRoot: this.projectRoot(q.projectPath), edits: q.edits!, proposal: null };
  }

  /** What checkFix needs for a project. */
  async checkDeps(projectRoot: string): Promise<CheckFixDeps> {
    const { adapter, ...languages } = await projectLanguageDeps(this.deps.projects, projectRoot);
    return {
      projectRoot,
      ...languages,
      allowTestEdits: this.allowTestEdits,
      allowRisky: this.allowRisky,
      isTestFile: (rel) => adapter.isTestFile(rel),
    };
  }
}
