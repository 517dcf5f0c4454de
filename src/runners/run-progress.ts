// Run defaults and live progress shared by the adapters: the default timeouts, and polling a progress file while a runner runs.
import { favourMemoryFor } from "../process/memory-mode.js";
import type { RunProgress } from "./adapter.js";
import type { FileTail } from "./file-tail.js";
import type { StallWatchdog } from "./stall-watchdog.js";

/** Per-test timeout in seconds when neither the run nor the adapter sets one. */
/** Whole-run limit in seconds when neither the run nor the adapter sets one. */
export const DEFAULT_RUN_TIMEOUT = 900;
/** How often a running runner's progress file is read. */
export const PROGRESS_POLL_MS = 100;

/**
 * A function that passes the current progress to `onProgress` only when its collected/done/failed counts changed. With
 * or without onProgress, a run past BIG_RUN_TESTS tests turns the process's memory mode on (before its results are read).
 */
export function progressReporter(current: () => RunProgress | null, onProgress: ((p: RunProgress) => void) | undefined): () => void {
  let last = "";
  return () => {
    const p = current();
    if (!p) return;
    favourMemoryFor(Math.max(p.collected ?? 0, p.done));
    if (!onProgress) return;
    const key = `${p.collected}/${p.done}/${p.failed}`;
    if (key === last) return;
    last = key;
    onProgress(p);
  };
}

/** How often the progress file is read when nobody listens to progress but a stall watchdog runs. */
export const WATCHDOG_POLL_MS = 500;

/**
 * While a runner runs: reads what `tail` gained and calls `report` when it gained something (only when `live`: every
 * PROGRESS_POLL_MS), then `tick`, then `watchdog.check` (which makes it poll every WATCHDOG_POLL_MS even when not live).
 * Starts no timer when there is none of them; returns the function that stops it.
 */
export function pollWhileRunning(p: {
  tail: FileTail;
  report: () => void;
  live: boolean;
  tick?: (() => void) | undefined;
  watchdog?: StallWatchdog | undefined;
}): () => void {
  const { tail, report, live, tick, watchdog } = p;
  if (!live && !tick && !watchdog) return () => {};
  const timer = setInterval(
    () => {
      let grew = false;
      if (live || watchdog) {
        try {
          grew = tail.poll();
          if (grew && live) report();
        } catch {
          /* the read after the run sees what the file holds */
        }
      }
      tick?.();
      watchdog?.check(grew);
    },
    live || tick ? PROGRESS_POLL_MS : WATCHDOG_POLL_MS,
  );
  return () => clearInterval(timer);
}
