// Run defaults and live progress shared by the adapters: the default timeouts, and polling a progress file while a runner runs.
import type { RunProgress } from "./adapter.js";
import type { FileTail } from "./file-tail.js";

/** Per-test timeout in seconds when neither the run nor the adapter sets one. */
export const DEFAULT_TEST_TIMEOUT = 10;
/** Whole-run limit in seconds when neither the run nor the adapter sets one. */
export const DEFAULT_RUN_TIMEOUT = 900;
/** How often a running runner's progress file is read. */
export const PROGRESS_POLL_MS = 100;

/** A function that passes the current progress to `onProgress` only when its collected/done/failed counts changed; a no-op without onProgress. */
export function progressReporter(current: () => RunProgress | null, onProgress: ((p: RunProgress) => void) | undefined): () => void {
  let last = "";
  return () => {
    if (!onProgress) return;
    const p = current();
    if (!p) return;
    const key = `${p.collected}/${p.done}/${p.failed}`;
    if (key === last) return;
    last = key;
    onProgress(p);
  };
}

/**
 * Every PROGRESS_POLL_MS while a runner runs: reads what `tail` gained and calls `report` when it gained something
 * (only when `live`), then `tick`. Starts no timer when there is neither; returns the function that stops it.
 */
export function pollWhileRunning(p: { tail: FileTail; report: () => void; live: boolean; tick?: (() => void) | undefined }): () => void {
  const { tail, report, live, tick } = p;
  if (!live && !tick) return () => {};
  const timer = setInterval(() => {
    if (live) {
      try {
        if (tail.poll()) report();
      } catch {
        /* the read after the run sees what the file holds */
      }
    }
    tick?.();
  }, PROGRESS_POLL_MS);
  return () => clearInterval(timer);
}
