// The per-test timeout redgreen uses when none is given (pytest's, and the JS runners' stall watchdog): generous, from the slowest test
// seen.

/** Floor of the default per-test timeout, in seconds: a default must never turn a healthy slow test red. */
export const MIN_DEFAULT_TEST_TIMEOUT = 60;
/** The default per-test timeout is this many times the slowest test an earlier run finished. */
export const SLOWEST_TEST_FACTOR = 5;

/** max(MIN_DEFAULT_TEST_TIMEOUT, SLOWEST_TEST_FACTOR x the slowest test seen), in whole seconds. */
export function defaultTestTimeout(slowestSeconds: number): number {
  return Math.max(MIN_DEFAULT_TEST_TIMEOUT, Math.ceil(SLOWEST_TEST_FACTOR * Math.max(0, slowestSeconds)));
}

/** The slowest test duration in `durations`, leaving out `excluded` tests (those stopped by a timeout). */
export function slowestDuration(durations: ReadonlyMap<string, number>, excluded: ReadonlySet<string>): number {
  let slowest = 0;
  for (const [nodeId, seconds] of durations) if (!excluded.has(nodeId) && seconds > slowest) slowest = seconds;
  return slowest;
}
