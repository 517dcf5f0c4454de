// prestartRun: a full run started before anyone asks for it (while the workflow's modules load), handed to the first caller.
import type { TestRunResult } from "../domain/index.js";
import type { RunProgress, RunTestsOptions, TestRunnerAdapter } from "./adapter.js";
import { reportPhase } from "../process/timings.js";
import { wrapAdapter } from "./wrap-adapter.js";

/** What a prestarted run measures: the options the first run is asked with must match these to take it. */
export type PrestartOptions = Pick<RunTestsOptions, "coverage" | "perTestCoverage">;

export interface PrestartedRun {
  /** The adapter whose first full run with the same options is the prestarted one; every other run waits for it to end. */
  adapter: TestRunnerAdapter;
  /** Whether a caller took the run. */
  taken(): boolean;
  /** Stops the run if no caller took it, and resolves once it ended (a caller that took it owns it). */
  cancel(): Promise<void>;
}

/** Both measure no coverage, or both coverage with the same per-test choice (a full run records the map by default). */
const sameMeasure = (a: PrestartOptions, b: RunTestsOptions): boolean =>
  (a.coverage ?? false) === (b.coverage ?? false) && (!a.coverage || (a.perTestCoverage ?? true) === (b.perTestCoverage ?? true));

/** A plain full run: no files, no impact selection. */
const isFullRun = (o: RunTestsOptions): boolean => (o.files === undefined || o.files.length === 0) && o.affectedBy === undefined;

/**
 * Starts `inner.runTests(options)` now. The first `runTests` call on the returned adapter that asks for a full run with
 * the same coverage gets that run's result: its onProgress hears the run's progress (the latest event at once), its
 * signal stops it. Any other first run, and every run after, starts only after the prestarted one ended (one run at a
 * time in a project); a prestarted run nobody took is then stopped first. `signal` stops it too (the caller's Ctrl-C).
 */
export function prestartRun(inner: TestRunnerAdapter, options: PrestartOptions, signal?: AbortSignal): PrestartedRun {
  const controller = new AbortController();
  // A Ctrl-C that came while the runtime was opening stops the run before it starts.
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  let listener: ((p: RunProgress) => void) | undefined;
  let last: RunProgress | undefined;
  const started = performance.now();
  const running: Promise<TestRunResult> = inner.runTests({
    ...options,
    signal: controller.signal,
    onProgress: (p) => {
      last = p;
      listener?.(p);
    },
  });
  // Settled, never rejected: what waits for the end of the run.
  const ended = running.then(
    (r) => reportPhase(`test run: prestarted full, ${r.total} tests`, started),
    () => reportPhase("test run: prestarted full (stopped)", started),
  );
  let taken = false;
  let open = true;
  const afterIt = async <T>(run: () => Promise<T>): Promise<T> => {
    open = false;
    if (!taken) controller.abort(new Error("the prestarted run was not the one asked for"));
    await ended;
    return run();
  };
  const adapter = wrapAdapter(inner, {
    runTests: (o = {}) => {
      if (!open || !isFullRun(o) || !sameMeasure(options, o)) return afterIt(() => inner.runTests(o));
      open = false;
      taken = true;
      listener = o.onProgress;
      if (last !== undefined) listener?.(last);
      if (o.signal) {
        if (o.signal.aborted) controller.abort(o.signal.reason);
        else o.signal.addEventListener("abort", () => controller.abort(o.signal!.reason), { once: true });
      }
      return running;
    },
    runSpecificTest: (file, testName, o) => afterIt(() => inner.runSpecificTest(file, testName, o)),
  });
  return {
    adapter,
    taken: () => taken,
    async cancel() {
      open = false;
      if (!taken) controller.abort(new Error("the prestarted run was not needed"));
      await ended;
    },
  };
}
