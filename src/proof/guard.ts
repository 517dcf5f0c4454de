// guardAdapter: every test run watched for file changes: what a run changed is reported and put back byte for byte.
import { rmSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { RedgreenError } from "../domain/errors.js";
import type { TamperedFile, TestRunResult } from "../domain/test-run.js";
import { writeFileAtomic } from "../fixers/apply.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../runners/adapter.js";
import { wrapAdapter } from "../runners/wrap-adapter.js";
import { CLOCK_SLACK_MS, listRuntime, runtimeChanges, type RuntimeChange, type RuntimeListing } from "./runtime-files.js";
import { diffScans, WatchedFiles, type Scan } from "./watched-files.js";

const GUARDED = Symbol("redgreen.guarded");
const cache = new WeakMap<TestRunnerAdapter, TestRunnerAdapter>();

/** Whether an adapter's runs are already watched. */
const isGuarded = (adapter: TestRunnerAdapter): boolean => (adapter as { [GUARDED]?: true })[GUARDED] === true;

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

  // What the runs load from outside the project's own tree (whose files the scans watch and restore), as it is now.
  const runtimePaths = (): RuntimeListing =>
    listRuntime(
      (inner.runtimeFiles?.() ?? []).filter((path) => {
        const rel = relative(inner.projectRoot, path);
        return outsideOf(rel) || !files.owns(rel.split(sep).join("/"));
      }),
    );
  // When the last run's check ended: what changed outside since then (a process a run left behind may write after
  // its run ended) counts against the next run.
  let checkedAt: number | null = null;

  const guardedRun = async (run: () => Promise<TestRunResult>): Promise<TestRunResult> => {
    const before = files.scan();
    if (afterLast !== null) {
      const between = diffScans(afterLast, before).map((c) => join(inner.projectRoot, c.file));
      if (between.length > 0) inner.invalidateCaches?.(between);
    }
    // What runs load from outside is listed once the run is under way (it is checked by ctime, which needs no earlier
    // stamp): as known before the run, so a module it loads for the first time, bytecode and all, is not counted.
    // Since the last check (less the clock's slack: nothing of redgreen's writes there then), or, for the first run,
    // since it starts: what was installed just before it is not its doing, and its process needs longer than the
    // clock's slack to start.
    const started = Date.now();
    const since = checkedAt !== null ? checkedAt - CLOCK_SLACK_MS : started;
    let runtime: RuntimeListing | null = null;
    const listing = setImmediate(() => (runtime = runtimePaths()));
    const result = await run().finally(() => clearImmediate(listing));
    // Checked before the project's files are put back (which drops their bytecode, some of it listed). For the first
    // run, what the listing saw (made before the run's process could act) is not the run's doing, though the kernel's
    // coarse clock may have stamped it at the run's start.
    const sinceListed = checkedAt === null && runtime !== null;
    const outside = runtimeChanges(runtime ?? runtimePaths(), since, { sinceListed });
    checkedAt = Date.now();
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
    if (outside.length > 0)
      throw runtimeTampered(inner.projectRoot, outside, runtimeChanges(runtime ?? runtimePaths(), started, { sinceListed }));
    return { ...result, tampered };
  };

  const guarded = Object.assign(
    wrapAdapter(inner, {
      runTests: (options?: RunTestsOptions) => guardedRun(() => inner.runTests(options)),
      runSpecificTest: (file, testName, options) => guardedRun(() => inner.runSpecificTest(file, testName, options)),
    }),
    { [GUARDED]: true as const },
  );
  cache.set(inner, guarded);
  return guarded;
}

/** Whether a path relative to the project root leads outside it. */
const outsideOf = (rel: string): boolean => rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);

/**
 * The fault of a run that changed what runs load from outside the project (`during` it; the rest since the last run
 * ended): redgreen cannot put it back (it does not keep the bytes of installed packages), and no later run could be
 * believed, so nothing after it runs.
 */
function runtimeTampered(projectRoot: string, changes: readonly RuntimeChange[], during: readonly RuntimeChange[]): RedgreenError {
  const shown = (list: readonly RuntimeChange[]): string => {
    const named = list.slice(0, 3).map((c) => {
      const rel = relative(projectRoot, c.path);
      return `${outsideOf(rel) ? c.path : rel} ${c.change}`;
    });
    return `${named.join(", ")}${list.length > 3 ? ` and ${list.length - 3} more` : ""}`;
  };
  const reinstall = "reinstall the runner and the project's packages (pip install --force-reinstall, npm ci)";
  if (during.length > 0) {
    return new RedgreenError(
      "runner_failed",
      `the test run (or a process it left running) changed what every later run loads from outside the project ` +
        `(${shown(during)}): redgreen stops, no later run could be trusted; ${reinstall} before running it again`,
    );
  }
  return new RedgreenError(
    "runner_failed",
    `what the runs load from outside the project changed since the last run ended (${shown(changes)}), by a process a ` +
      `run left running or by hand: redgreen stops, no later run could be trusted; if you changed these packages ` +
      `yourself, run redgreen again, else ${reinstall} first`,
  );
}
