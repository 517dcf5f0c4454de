// guardAdapter: every test run watched for file changes: what a run changed is reported and put back byte for byte.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TamperedFile, TestRunResult } from "../domain/test-run.js";
import { writeFileAtomic } from "../fixers/apply.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../runners/adapter.js";
import { diffScans, WatchedFiles, type Scan } from "./watched-files.js";

const GUARDED = Symbol("redgreen.guarded");
const cache = new WeakMap<TestRunnerAdapter, TestRunnerAdapter>();

/** Whether an adapter's runs are already watched. */
const isGuarded = (adapter: TestRunnerAdapter): boolean => (adapter as { [GUARDED]?: true })[GUARDED] === true;

/** A wrapper that only observes the runs of `inner` (counts them) and passes them through is guarded when `inner` is. */
export function observingAdapter(inner: TestRunnerAdapter, wrapper: TestRunnerAdapter): TestRunnerAdapter {
  return isGuarded(inner) ? Object.assign(wrapper, { [GUARDED]: true as const }) : wrapper;
}

/**
 * The adapter with every run watched: the project's source, test and config files are scanned before and after each
 * run; whatever the run changed is listed in `result.tampered` and restored (created files removed), so no test,
 * conftest, snapshot or source file keeps a change made while tests ran. Files changed between runs (a fix applied
 * or undone) have the runner's caches dropped first (Python bytecode). Idempotent: one guard per adapter.
 */
export function guardAdapter(inner: TestRunnerAdapter): TestRunnerAdapter {
  if (isGuarded(inner)) return inner;
  const known = cache.get(inner);
  if (known) return known;
  const files = new WatchedFiles(inner.projectRoot);
  let afterLast: Scan | null = null;

  const guardedRun = async (run: () => Promise<TestRunResult>): Promise<TestRunResult> => {
    const before = files.scan();
    if (afterLast !== null) {
      const between = diffScans(afterLast, before).map((c) => join(inner.projectRoot, c.file));
      if (between.length > 0) inner.invalidateCaches?.(between);
    }
    const result = await run();
    const after = files.scan();
    const changes = diffScans(before, after);
    const tampered: TamperedFile[] = changes.map((c) => ({ file: c.file, change: c.change }));
    const unrestored: string[] = [];
    for (const c of changes) {
      const path = join(inner.projectRoot, c.file);
      if (c.change === "created") {
        rmSync(path, { force: true });
        continue;
      }
      const bytes = files.bytes(before.get(c.file)!);
      if (bytes !== null) await writeFileAtomic(path, bytes);
      else unrestored.push(c.file);
    }
    if (changes.length > 0) inner.invalidateCaches?.(changes.map((c) => join(inner.projectRoot, c.file)));
    // A run that changed nothing needs no third scan: what it left is what the next run starts from.
    afterLast = changes.length > 0 ? files.scan() : after;
    if (unrestored.length > 0) {
      const note = `the run changed ${unrestored.join(", ")}, too large for redgreen to restore`;
      result.message = result.message ? `${result.message}; ${note}` : note;
    }
    return { ...result, tampered };
  };

  const guarded: TestRunnerAdapter & { [GUARDED]: true } = {
    [GUARDED]: true,
    name: inner.name,
    projectRoot: inner.projectRoot,
    runTests: (options?: RunTestsOptions) => guardedRun(() => inner.runTests(options)),
    runSpecificTest: (file, testName, options) => guardedRun(() => inner.runSpecificTest(file, testName, options)),
    parseOutput: (text) => inner.parseOutput(text),
    isTestTimeout: (seconds) => inner.isTestTimeout(seconds),
    isTestFile: (rel) => inner.isTestFile(rel),
    invalidateCaches: (absFiles) => inner.invalidateCaches?.(absFiles),
    // Only adapters that record per-test coverage have it: the guarded one has it exactly when the inner one does.
    ...(inner.testCoverage ? { testCoverage: (of) => inner.testCoverage?.(of) ?? null } : {}),
  };
  cache.set(inner, guarded);
  return guarded;
}
