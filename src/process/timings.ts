// Phase timings: with REDGREEN_TIMINGS=1 each phase (start-up, test runs, graph nodes, proof checks) is one line on stderr.

const enabled = (): boolean => process.env.REDGREEN_TIMINGS === "1";

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Writes one timeline line, `redgreen timings: <start> s +<duration> s <peak> MB <label>`: the start in seconds since the
 * process started (performance.now()'s origin), the phase's length, and the process's peak RSS so far. Nothing unless
 * REDGREEN_TIMINGS=1.
 */
export function reportPhase(label: string, startedMs: number, endedMs: number = performance.now()): void {
  if (!enabled()) return;
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stderr.write(`redgreen timings: ${seconds(startedMs)} s +${seconds(endedMs - startedMs)} s ${peakMb} MB ${label}\n`);
}

/** Runs `work` as one phase: its line is written when it settles, with `detail` of its value after the label. */
export async function timePhase<T>(label: string, work: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
  const started = performance.now();
  try {
    const value = await work();
    reportPhase(detail ? `${label} ${detail(value)}` : label, started);
    return value;
  } catch (e) {
    reportPhase(`${label} (failed)`, started);
    throw e;
  }
}
