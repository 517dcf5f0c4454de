// wrapAdapter: one adapter in front of another, changing how runs are made and passing every other member through.
import type { RunTestsOptions, TestRunnerAdapter } from "./adapter.js";

/** The runs a wrapper makes itself; each defaults to the inner adapter's. */
export interface WrappedRuns {
  runTests?: (options?: RunTestsOptions) => ReturnType<TestRunnerAdapter["runTests"]>;
  runSpecificTest?: TestRunnerAdapter["runSpecificTest"];
}

/**
 * `inner` with its runs made by `runs`. A wrapper's runs go through `inner` in the end, so the markers `inner` carries
 * under symbols (src/proof/guard.ts's "guarded") hold for the wrapper too and are kept on it.
 */
export function wrapAdapter(inner: TestRunnerAdapter, runs: WrappedRuns): TestRunnerAdapter {
  const markers = Object.fromEntries(
    Object.getOwnPropertySymbols(inner).map((sym) => [sym, (inner as unknown as Record<symbol, unknown>)[sym]]),
  );
  const wrapped: TestRunnerAdapter = {
    ...markers,
    name: inner.name,
    projectRoot: inner.projectRoot,
    runTests: runs.runTests ?? ((options) => inner.runTests(options)),
    runSpecificTest: runs.runSpecificTest ?? ((file, testName, options) => inner.runSpecificTest(file, testName, options)),
    parseOutput: (text) => inner.parseOutput(text),
    isTestTimeout: (seconds) => inner.isTestTimeout(seconds),
    isTestFile: (rel) => inner.isTestFile(rel),
    invalidateCaches: (absFiles) => inner.invalidateCaches?.(absFiles),
  };
  // Only adapters that record per-test coverage have it: the wrapper has it exactly when the inner one does.
  if (inner.testCoverage) wrapped.testCoverage = (of) => inner.testCoverage?.(of) ?? null;
  if (inner.close) wrapped.close = () => inner.close?.();
  if (inner.runtimeFiles) wrapped.runtimeFiles = () => inner.runtimeFiles?.() ?? [];
  return wrapped;
}
