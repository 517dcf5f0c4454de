// WorkflowJobs: the workflows start_fix runs in the background of this process, their live progress, and their clean stop.
import type { RunSummary } from "../src/domain/index.js";
import { errorObject } from "./define-tool.js";
import type { ErrorResult } from "./define-tool.js";
import type { RunWorkflow, WorkflowProgress, WorkflowRequest } from "./deps.js";
import { progressLine, throttledProgress } from "./fix-failing-tests.js";

/** Finished jobs remembered per process (their results); the oldest are forgotten past this. */
const MAX_FINISHED = 50;

/** Where a background workflow is: steps reported so far, the last one, and the round it is in. */
export interface JobProgress {
  steps: number;
  message: string | null;
  iteration: number | null;
  maxIterations: number | null;
}

/** One background workflow. `result` is its RunSummary once it ended; `error` the fault that ended it instead. */
export interface WorkflowJob {
  readonly workflowId: string;
  readonly projectRoot: string;
  readonly progress: JobProgress;
  running: boolean;
  result: RunSummary | null;
  error: ErrorResult | null;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** The background workflows of one tool session (one MCP server). */
export class WorkflowJobs {
  private readonly jobs = new Map<string, WorkflowJob>();

  /**
   * Starts a workflow and resolves once it is stored (with its job), so the caller gets an id that get_workflow
   * and list_workflows already know; a fault before that (another run holds the project, no runner) rejects.
   */
  start(runWorkflow: RunWorkflow, request: WorkflowRequest): Promise<WorkflowJob> {
    const controller = new AbortController();
    const progress: JobProgress = { steps: 0, message: null, iteration: null, maxIterations: null };
    const onProgress = throttledProgress((p: WorkflowProgress) => {
      progress.steps += 1;
      progress.message = progressLine(p);
      if (p.iteration !== undefined) progress.iteration = p.iteration;
      if (p.maxIterations !== undefined) progress.maxIterations = p.maxIterations;
    });
    return new Promise<WorkflowJob>((resolveStarted, rejectStarted) => {
      let job: WorkflowJob | null = null;
      const run = runWorkflow(request, {
        onProgress,
        signal: controller.signal,
        onStart: (workflowId) => {
          job = { workflowId, projectRoot: request.projectRoot, progress, running: true, result: null, error: null, controller, done };
          this.remember(job);
          resolveStarted(job);
        },
      });
      const done: Promise<void> = run.then(
        (summary) => {
          if (job !== null) Object.assign(job, { running: false, result: summary });
        },
        (e: unknown) => {
          if (job === null) rejectStarted(e);
          else Object.assign(job, { running: false, error: errorObject(e) });
        },
      );
    });
  }

  /** The job of a workflow started in this process, or undefined. */
  get(workflowId: string): WorkflowJob | undefined {
    return this.jobs.get(workflowId);
  }

  /** Stops a running job cleanly (its runner restores the files to the last kept fix) and waits until it has. */
  async cancel(job: WorkflowJob): Promise<void> {
    job.controller.abort(new Error("cancelled by the caller"));
    await job.done;
  }

  /** Stops every running job and waits for all of them (the server is closing: nobody will poll them any more). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => j.running).map((j) => this.cancel(j)));
  }

  private remember(job: WorkflowJob): void {
    this.jobs.set(job.workflowId, job);
    const finished = [...this.jobs.values()].filter((j) => !j.running);
    for (const old of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED))) this.jobs.delete(old.workflowId);
  }
}
