// The workflow graph's state: small digests and ids only; large outputs live in the store's tables.
import { z } from "zod";
import { ReducedValue, StateSchema } from "@langchain/langgraph";
import { AnalysisSchema, FixProposalSchema } from "../src/domain/index.js";
import { RUNNER_NAMES } from "../src/runners/adapter.js";
import { NO_RUNS, RunCountsSchema } from "./run-counts.js";

/** Counts of one test run plus the store id that holds the full result. */
export const RunDigestSchema = z.object({
  runId: z.number().int(),
  status: z.enum(["passed", "failed", "error", "timeout", "no_tests"]),
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
  coverage: z.number().nullable(),
  /** Node ids failing in this run (failed or errored), excluding known-flaky ones. */
  failing: z.array(z.string()),
  message: z.string().optional(),
});
export type RunDigest = z.infer<typeof RunDigestSchema>;

/** Failures sharing one root cause: fixed once. */
export const FailureGroupSchema = z.object({
  groupKey: z.string(),
  nodeIds: z.array(z.string()),
  analysis: AnalysisSchema,
});
export type FailureGroup = z.infer<typeof FailureGroupSchema>;

/** A fix waiting for validation: the proposal and the failing tests it should fix. */
export const CandidateSchema = z.object({
  groupKey: z.string(),
  nodeIds: z.array(z.string()),
  proposal: FixProposalSchema,
  /** sha256 over the edits: a patch already tried is not tried again. */
  signature: z.string(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** An earlier attempt for a failure group that did not survive, told to the next LLM attempt. */
export const AttemptFeedbackSchema = z.object({
  groupKey: z.string(),
  source: z.enum(["pattern", "llm"]),
  strategy: z.string(),
  edits: FixProposalSchema.shape.edits,
  /** Why it was rejected or rolled back. */
  outcome: z.string(),
});
export type AttemptFeedback = z.infer<typeof AttemptFeedbackSchema>;

/** A fix kept on an affected-tests run only: the iteration's full run must confirm it (or bisect and take it back). */
export const UnconfirmedFixSchema = z.object({
  /** Its journal signature (the journal holds the originals of its files). */
  signature: z.string(),
  /** Its fix_attempts row (the record of it kept). */
  fixAttemptId: z.number().int(),
});
export type UnconfirmedFix = z.infer<typeof UnconfirmedFixSchema>;

const append = <T>(item: z.ZodType<T>) =>
  new ReducedValue(
    z.array(item).default(() => []),
    {
      inputSchema: z.union([item, z.array(item)]),
      reducer: (current: T[], next: T | T[]) => current.concat(next),
    },
  );

/** The run's switches, kept in state so `redgreen resume` continues with the same ones. */
export const WorkflowSwitchesSchema = z.object({
  allowTestEdits: z.boolean(),
  /** Policy and overfit violations accepted as warnings (checkpoints from before the switch existed resume without it). */
  allowRisky: z.boolean().default(false),
  approve: z.boolean(),
  noLlm: z.boolean(),
  coverage: z.boolean(),
  dryRun: z.boolean(),
  /** The interpreter and per-test timeout the run started with (null: the default rule). */
  python: z.string().nullable().default(null),
  testTimeoutSeconds: z.number().nullable().default(null),
  /** The hard limit for each run of the suite the run started with (null: the adapter's default). */
  runTimeoutSeconds: z.number().nullable().default(null),
  /** The test runner the run started with (null: detected from the project). */
  runner: z.enum(RUNNER_NAMES).nullable().default(null),
  /** The user's runner args (`redgreen run -- -k smoke`), put on every run; [] for checkpoints from before they existed. */
  runnerArgs: z.array(z.string()).default(() => []),
  /** false: pytest stays off pytest-xdist (`--no-parallel`). */
  parallel: z.boolean().default(true),
});
export type WorkflowSwitches = z.infer<typeof WorkflowSwitchesSchema>;

export const WorkflowState = new StateSchema({
  workflowId: z.string(),
  projectRoot: z.string(),
  switches: WorkflowSwitchesSchema.nullable().default(null),
  maxIterations: z.number().int().min(1).max(20).default(5),
  /** Fix rounds started so far (0 while the initial run is analysed). */
  iteration: z.number().int().default(0),
  status: z.enum(["running", "passed", "failed", "max_iterations", "stuck", "no_tests", "error"]).default("running"),
  statusReason: z.string().default(""),
  initialRun: RunDigestSchema.nullable().default(null),
  lastRun: RunDigestSchema.nullable().default(null),
  /** Set when a fix was kept after the last full run, so run_tests must run the suite again. */
  dirty: z.boolean().default(true),
  flaky: z.array(z.string()).default(() => []),
  /** Node ids already re-run once to check for flakiness. */
  flakyChecked: z.array(z.string()).default(() => []),
  groups: z.array(FailureGroupSchema).default(() => []),
  /** Groups no pattern could fix this iteration: the LLM's work list. */
  llmQueue: z.array(z.string()).default(() => []),
  candidates: z.array(CandidateSchema).default(() => []),
  keptThisIteration: z.number().int().default(0),
  /** This iteration's fixes kept on affected runs, in the order they were kept; run_tests confirms them. */
  unconfirmed: z.array(UnconfirmedFixSchema).default(() => []),
  /** The stored full run this iteration started from: a test it passed that the confirming run fails was broken. */
  iterationStartRunId: z.number().int().nullable().default(null),
  /** Test runs made so far, by kind. */
  runCounts: RunCountsSchema.default(() => ({ ...NO_RUNS })),
  /** The model was asked this iteration and gave nothing usable: another round may still bring a fix. */
  llmFailedThisIteration: z.boolean().default(false),
  /** Why the model cannot be used at all (unreachable, key rejected, unknown model): the workflow ends with status "error". */
  modelError: z.string().nullable().default(null),
  /** Signatures of every patch tried in this workflow (loop detection). */
  triedSignatures: z.array(z.string()).default(() => []),
  /** One failing-set signature (a short hash) per test run: the same set coming back means no progress. */
  failureSignatures: z.array(z.string()).default(() => []),
  /** Fixes kept so far in the whole workflow (the records themselves live in the store's fix_attempts). */
  keptTotal: z.number().int().default(0),
  /** Where the report node wrote the unified diff of all kept fixes. */
  patchPath: z.string().nullable().default(null),
  feedback: append(AttemptFeedbackSchema),
  /** Human-readable notes (e.g. why the LLM step was skipped). */
  notes: append(z.string()),
});

export type WorkflowStateValue = typeof WorkflowState.State;
export type WorkflowStateUpdate = typeof WorkflowState.Update;
