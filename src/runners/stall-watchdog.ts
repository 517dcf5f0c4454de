// StallWatchdog: stops a run whose running test has gone silent well past the per-test timeout (a test that ignores or swallows the
// runner's own timeout).

/**
 * Seconds of silence past which a running test counts as stuck: two per-test timeouts (setup + call, then teardown) plus the grace and a
 * margin.
 */
export function stallWindowSeconds(testTimeoutSeconds: number, graceSeconds: number): number {
  return 2 * testTimeoutSeconds + Math.max(0, graceSeconds) + 2;
}

/**
 * Fed on every progress poll: while `running()` says a test is under way and the progress file has not grown for
 * `windowMs`, it calls `onStall` once with the function that stops the run (through `signal`).
 */
export class StallWatchdog {
  private last = performance.now();
  private fired = false;
  private readonly controller = new AbortController();
  /** Aborted when the watchdog stops the run. */
  readonly signal: AbortSignal = this.controller.signal;

  constructor(
    private readonly windowMs: number,
    private readonly running: () => boolean,
    private readonly onStall: (stop: () => void) => void = (stop) => stop(),
  ) {}

  /** One poll: `grew` tells whether the progress file gained something since the last one. */
  check(grew: boolean): void {
    const now = performance.now();
    if (grew || !this.running()) {
      this.last = now;
      return;
    }
    if (this.fired || now - this.last <= this.windowMs) return;
    this.fired = true;
    this.onStall(() => this.controller.abort());
  }

  /** Whether the watchdog stopped the run. */
  get stalled(): boolean {
    return this.fired;
  }
}
