// The pytest TestRunnerAdapter: runs pytest with the bundled plugin and turns its event stream into a TestRunResult.
import { lastLines } from "../output-tail.js";
import { SLOW_TEST_SECONDS } from "../slow-tests.js";
import { existsSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, posix, sep } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { splitNodeId } from "../../domain/node-id.js";
import type { RunSelection, TestRunResult } from "../../domain/test-run.js";
import { isPytestTestModule } from "../../analysis/language.js";
import { PytestJsonlAccumulator } from "../../parsers/pytest-jsonl.js";
import { parsePytestOutput } from "../../parsers/pytest-text.js";
import type { ProcessResult } from "../../process/run.js";
import { resolvePython, uncheckedInterpreter } from "../../python/interpreter.js";
import type { CoverageScope, PerTestCoverage, RunTestsOptions, TestRunnerAdapter } from "../adapter.js";
import { FileTail } from "../file-tail.js";
import { checkProjectRoot } from "../project-root.js";
import { DEFAULT_RUN_TIMEOUT, pollWhileRunning, progressReporter } from "../run-progress.js";
import { defaultTestTimeout } from "../default-test-timeout.js";
import { stallWindowSeconds } from "../stall-watchdog.js";
import { SourceCache } from "../source-cache.js";
import { packageRoot } from "../../paths.js";
import { BytecodeCache } from "./bytecode-cache.js";
import { probeProjectCoverage, type ProjectCoverage } from "./coverage-config.js";
import { matchesPythonFiles } from "./channels.js";
import { AffectedRuns, noAffectedTests } from "./affected-run.js";
import { ContextMap } from "./context-map.js";
import { attachWorkerHangs, pytestStallWatchdog, recoverFromDeadRun, type HangContext } from "./hangs.js";
import { buildPytestResult, type PytestResultContext } from "./result.js";
import { pytestArgs, pytestEnv } from "./command.js";
import type { PytestAdapterOptions } from "./options.js";
import { pytestSelection } from "./selection.js";
import { Standbys, unlessFullAndGreen } from "../standby.js";
import { pytestStandbyLauncher } from "./standby.js";
import { testProcessEnv } from "../test-env.js";
import { runnerArgsForRun } from "../runner-args.js";
import { idleCores, probeXdist, projectSetsWorkers, XDIST_MIN_SUITE_SECONDS, xdistArgs, xdistWorthIt } from "./xdist.js";

export { parsePytestOutput } from "../../parsers/pytest-text.js";
export { parseCoverageJson } from "../../parsers/coverage-json.js";
export type { PytestAdapterOptions } from "./options.js";

/** Attempts after a hard hang or a crash: each resumes without the tests that finished and the culprit. */
const MAX_RESUMES = 10;
/** Python bytecode, and the bytecode pytest's assertion rewriting writes (`<module>.<interpreter>-pytest-<version>.pyc`). */
const BYTECODE = /\.py[co]$/;
const PYTEST_BYTECODE = /-pytest-[^/\\]*\.py[co]$/;

/** What ended a run when no test could be blamed for it. */
type Unattributed = "stall" | "parent" | null;

/**
 * Creates the pytest adapter for a project; throws path_not_found for a missing root and python_missing
 * without an interpreter. An interpreter given as the path of an existing file, or else the project's own
 * virtualenv interpreter, is not started here: the first run checks it (saving a Python start-up per adapter,
 * before the first run can start), and runTests throws python_missing when it does not run.
 */
export async function createPytestAdapter(opts: PytestAdapterOptions): Promise<TestRunnerAdapter> {
  const projectRoot = checkProjectRoot(opts.projectRoot);
  const given = uncheckedInterpreter(projectRoot, opts.python);
  if (given) return new PytestAdapter({ ...opts, projectRoot }, given, false);
  const python = await resolvePython({ projectRoot, python: opts.python });
  return new PytestAdapter({ ...opts, projectRoot }, python);
}

/** The pytest implementation of TestRunnerAdapter. */
export class PytestAdapter implements TestRunnerAdapter {
  readonly name = "pytest" as const;
  readonly projectRoot: string;
  private coverageCheck: ReturnType<typeof probeProjectCoverage> | null = null;
  private xdistCheck: Promise<boolean> | null = null;
  /** Seconds of the longest whole-suite run so far (null before one): xdist only pays off for a slow suite. */
  private suiteSeconds: number | null = null;
  /** Source lines for hang dumps, read fresh for every run (a fix may have edited the files). */
  private readonly sources = new SourceCache();
  /** Files pytest used to define tests in earlier runs: collected modules, conftests, its config file. */
  private readonly reportedTestFiles = new Set<string>();
  /** pytest's python_files patterns as the last run reported them (null before a run). */
  private pythonFiles: string[] | null = null;
  private readonly bytecode = new BytecodeCache();
  /** Which test ran which lines, from the last full run that measured coverage. */
  private readonly contexts = new ContextMap();
  /** Which test ran which lines in the last run of given files that asked for it (fault localisation's probe). */
  private readonly probeContexts = new ContextMap();
  /** The tests an affected run selects. */
  private readonly affected: AffectedRuns;
  /** Seconds of the slowest test earlier runs finished (timed-out tests left out): the default per-test timeout grows with it. */
  private slowestSeen = 0;
  /** Starts each run, through the standby the run before left when there is one. */
  readonly standbys: Standbys;
  /** What the runs so far loaded from the import path (the plugin reports it): what later runs load again. */
  private readonly loaded = new Set<string>();

  /**
   * @param pythonChecked false when `python` has not been started yet: a run that cannot start it
   * asks resolvePython why, which throws python_missing.
   */
  constructor(
    private readonly opts: PytestAdapterOptions & { projectRoot: string },
    readonly python: string,
    private pythonChecked = true,
  ) {
    this.projectRoot = opts.projectRoot;
    this.standbys = new Standbys(pytestStandbyLauncher(python), opts.projectRoot, opts.standby === true);
    this.affected = new AffectedRuns({
      projectRoot: opts.projectRoot,
      python,
      contexts: this.contexts,
      isTestFile: (f) => this.isTestFile(f),
      checkPython: () => this.checkPython(),
    });
  }

  isTestTimeout(durationSeconds: number): boolean {
    return durationSeconds > SLOW_TEST_SECONDS;
  }

  isTestFile(relPath: string): boolean {
    const rel = posix.normalize(relPath.replace(/\\/g, "/"));
    return isPytestTestModule(rel) || this.reportedTestFiles.has(rel) || matchesPythonFiles(rel, this.pythonFiles);
  }

  testCoverage(of: CoverageScope = "suite"): PerTestCoverage | null {
    return (of === "suite" ? this.contexts : this.probeContexts).map();
  }

  invalidateCaches(absFiles: readonly string[]): void {
    this.bytecode.invalidate(absFiles);
  }

  close(): void {
    this.standbys.close();
  }

  runtimeFiles(): readonly string[] {
    // Bytecode that any pytest process on this machine makes (and remakes, racing another at its first making) is
    // left out: redgreen's plugin's and helper's, and pytest's rewritten plugins' in shared site-packages; another
    // redgreen or a pytest in another terminal may write it while a run goes on. The project's bytecode in this
    // adapter's own folder is watched once there (dropped as redgreen writes, compiled again by the next run).
    const own = `${this.bytecode.dir()}${sep}`;
    const shared = (path: string): boolean =>
      !path.startsWith(own) && BYTECODE.test(path) && (path.startsWith(`${packageRoot}${sep}`) || PYTEST_BYTECODE.test(path));
    return [...this.loaded].filter((path) => !shared(path) && (!path.startsWith(own) || existsSync(path)));
  }

  parseOutput(text: string): TestRunResult {
    return parsePytestOutput(text);
  }

  runSpecificTest(file: string, testName: string, options: Omit<RunTestsOptions, "files"> = {}): Promise<TestRunResult> {
    const nodeId = testName.startsWith(`${file}::`) ? testName : `${file}::${testName}`;
    return this.runTests({ ...options, files: [nodeId] });
  }

  async runTests(options: RunTestsOptions = {}): Promise<TestRunResult> {
    const given = options.files ?? [];
    for (const f of given) {
      const path = splitNodeId(f).testFile;
      if (!existsSync(isAbsolute(path) ? path : join(this.projectRoot, path))) {
        throw new RedgreenError("path_not_found", `Test path not found: ${path} (in ${this.projectRoot})`);
      }
    }
    const affected = given.length === 0 && options.affectedBy !== undefined ? await this.affected.select(options.affectedBy) : null;
    const selection: RunSelection =
      affected === null
        ? { kind: given.length > 0 ? "given" : "all" }
        : { kind: "affected", changedFiles: affected.changedFiles, ...(affected.ok ? {} : { fallback: affected.fallback }) };
    if (affected?.ok && affected.select.length === 0) return noAffectedTests(selection, this.python);
    const files = affected?.ok ? affected.select : given;
    let coverageError: string | undefined;
    let coverage: ProjectCoverage | null = null;
    if (options.coverage) {
      const check = await this.coverageSettings();
      if (check.ok) coverage = check.project;
      else coverageError = check.problem;
    }
    // A run of the whole suite (an affected run that fell back included) that measures coverage also records which test
    // ran which lines: the per-test coverage map.
    // A run of given files asking for it records one too, kept apart: it does not describe the suite.
    const full = files.length === 0;
    // Full runs keep the suite's per-test map unless asked not to; a selected run asking for it is fault localisation's probe.
    const into = full
      ? options.perTestCoverage !== false
        ? this.contexts
        : null
      : options.perTestCoverage === true
        ? this.probeContexts
        : null;
    const contexts = into !== null && coverage !== null && !coverage.dynamicContext;
    const tmp = await mkdtemp(join(tmpdir(), "redgreen-pytest-"));
    try {
      const result = await this.execute(tmp, files, options, coverage, contexts);
      if (full) this.suiteSeconds = Math.max(this.suiteSeconds ?? 0, result.durationSeconds);
      if (full) this.affected.sawFullRun(result);
      if (options.coverage && coverageError) result.coverageError = coverageError;
      if (into !== null && coverage !== null) this.keepContexts(into, join(tmp, ".coverage"), result, contexts);
      // A probe that measured nothing leaves no earlier probe's map behind.
      else if (into === this.probeContexts) into.drop(coverageError ?? "the run measured no coverage");
      return { ...result, selection };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Moves a run's coverage data into a context map, or drops the map when the run could not record one. */
  private keepContexts(into: ContextMap, dataFile: string, result: TestRunResult, recorded: boolean): void {
    const run = into === this.contexts ? "full run" : "run";
    if (!recorded) {
      into.drop("the project's coverage settings set dynamic_context, so redgreen records no per-test coverage");
    } else if (result.status !== "passed" && result.status !== "failed") {
      into.drop(`the last ${run} ended with status ${result.status} and recorded no per-test coverage`);
    } else if (!existsSync(dataFile)) {
      into.drop(`the last ${run} wrote no coverage data`);
    } else {
      into.record(dataFile, this.projectRoot);
    }
  }

  /** Throws python_missing (from resolvePython) when the interpreter does not run. */
  private async checkPython(): Promise<void> {
    if (this.pythonChecked) return;
    // The interpreter as it was chosen (given, or the project's virtualenv), so the error names it the same way.
    await resolvePython({ projectRoot: this.projectRoot, python: this.opts.python });
    this.pythonChecked = true;
  }

  /** The project's coverage settings (checked once per adapter), or the reason coverage cannot be measured. */
  private coverageSettings(): ReturnType<typeof probeProjectCoverage> {
    this.coverageCheck ??= probeProjectCoverage(this.python, this.projectRoot, this.baseEnv());
    return this.coverageCheck;
  }

  /** The user's runner args for this run and `-n auto` when it is big enough for pytest-xdist (probed once per adapter). */
  private async extraArgs(files: readonly string[], options: RunTestsOptions): Promise<string[]> {
    // An affected run arrives here as the files it selected (or none, when it fell back to the whole suite).
    const own = { files: files.length > 0, names: false };
    const runnerArgs = runnerArgsForRun("pytest", options.runnerArgs, own, this.projectRoot);
    if (this.opts.parallel !== true) return runnerArgs;
    const minSuiteSeconds = this.opts.xdistMinSuiteSeconds ?? XDIST_MIN_SUITE_SECONDS;
    const size = { runnerArgs, targets: files.length, suiteSeconds: this.suiteSeconds, minSuiteSeconds, idleCores: idleCores() };
    // The interpreter is asked only when workers would pay off: a fast suite never waits for the probe.
    if (!xdistWorthIt(size)) return runnerArgs;
    this.xdistCheck ??= probeXdist(this.python, this.projectRoot, this.baseEnv());
    const available = await this.xdistCheck;
    const choice = { ...size, available, projectSets: available && projectSetsWorkers(this.projectRoot, this.baseEnv()) };
    return [...xdistArgs(choice), ...runnerArgs];
  }

  private baseEnv(): Record<string, string | undefined> {
    return { ...testProcessEnv(process.env, this.opts.passEnv), ...this.opts.env };
  }

  private async execute(
    tmp: string,
    files: string[],
    options: RunTestsOptions,
    coverage: ProjectCoverage | null,
    contexts: boolean,
  ): Promise<TestRunResult> {
    const started = performance.now();
    this.sources.clear();
    const runTimeout = options.runTimeoutSeconds ?? this.opts.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT;
    const testTimeout = options.testTimeoutSeconds ?? this.opts.testTimeoutSeconds ?? defaultTestTimeout(this.slowestSeen);
    const deadline = started + runTimeout * 1000;
    const acc = new PytestJsonlAccumulator(this.projectRoot);
    const covJson = coverage ? join(tmp, "coverage.json") : null;
    const skipped = new Set<string>();
    let usePlugin = this.opts.usePlugin !== false;
    let pluginRetried = false;
    let pluginProblem = "";
    let command: string[] | null = null;
    let proc: ProcessResult;
    let junit: string;
    let attempt = 0;
    /** Set when the last attempt ended by a cause no test could be blamed for: a stall or a killed parent. */
    let unattributed: Unattributed = null;
    const report = progressReporter(() => acc.progress(), options.onProgress);
    const grace = this.opts.hangGraceSeconds ?? 5;
    // Node ids argv cannot carry, or whose names vary between runs, are picked by the plugin after collection.
    const selection = pytestSelection(files, this.projectRoot);
    const selectFile = selection.pick === null ? null : join(tmp, "select.json");
    const extra = await this.extraArgs(files, options);
    if (selectFile !== null) writeFileSync(selectFile, JSON.stringify(selection.pick));

    for (;;) {
      attempt++;
      const jsonl = join(tmp, `events-${attempt}.jsonl`);
      junit = join(tmp, `junit-${attempt}.xml`);
      let deselectFile: string | null = null;
      if (skipped.size > 0) {
        deselectFile = join(tmp, `deselect-${attempt}.txt`);
        // One JSON string a line: a node id may hold a newline.
        writeFileSync(deselectFile, [...skipped].map((id) => JSON.stringify(id)).join("\n") + "\n");
      }
      const verbose = options.verbose === true;
      const covAppend = attempt > 1;
      const args = pytestArgs({
        projectRoot: this.projectRoot,
        pytestArgs: this.opts.pytestArgs,
        files: selection.argv,
        junit,
        verbose,
        usePlugin,
        covJson,
        coverage,
        covAppend,
        contexts,
        extra,
      });
      command ??= [this.python, ...args];
      const env = pytestEnv({
        base: this.baseEnv(),
        hangGraceSeconds: this.opts.hangGraceSeconds,
        bytecode: this.bytecode,
        usePlugin,
        jsonl,
        testTimeout,
        deselectFile,
        selectFile,
        covData: join(tmp, ".coverage"),
      });
      const tail = new FileTail(jsonl, (chunk) => acc.push(chunk));
      acc.beginAttempt();
      const watchdog = usePlugin && testTimeout > 0 ? pytestStallWatchdog(acc, testTimeout, grace) : undefined;
      const stopPolling = pollWhileRunning({ tail, report, live: options.onProgress !== undefined, watchdog });
      const signals = [options.signal, watchdog?.signal].filter((x): x is AbortSignal => x !== undefined);
      try {
        const processOptions = {
          cwd: this.projectRoot,
          env,
          timeoutMs: Math.max(1000, deadline - performance.now()),
          // pytest flushes every progress character: through a pipe each one would wake Node.
          capture: "file" as const,
          ...(this.opts.maxOutputBytes ? { maxOutputBytes: this.opts.maxOutputBytes } : {}),
          signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
        };
        // The standby is started by the same plugin-run environment (its module sits beside the plugin).
        const next = usePlugin && this.opts.standby === true ? unlessFullAndGreen(files.length === 0) : () => false;
        proc = await this.standbys.run(this.python, args, processOptions, next).catch(async (e: unknown) => {
          if (e instanceof RedgreenError && e.code === "runner_failed") await this.checkPython();
          throw e;
        });
        if (usePlugin) {
          tail.poll();
          acc.end();
          report();
        }
      } finally {
        stopPolling();
        tail.close();
      }
      const parts = acc.parts();
      for (const path of parts.loadedPaths) this.loaded.add(path);
      const stalled = watchdog?.stalled === true && options.signal?.aborted !== true;
      unattributed = stalled ? "stall" : proc.parentKilled ? "parent" : null;

      if (!parts.start) {
        if (!proc.timedOut && !proc.aborted) await this.checkPython();
        if (/No module named '?pytest'?(?:\s|$)/m.test(proc.stderr)) {
          throw new RedgreenError(
            "pytest_missing",
            `pytest is not installed for ${this.python}; install it with: ${this.python} -m pip install pytest`,
          );
        }
        if (usePlugin && !pluginRetried && !proc.timedOut && !proc.aborted) {
          // pytest stopped before the plugin wrote anything (the plugin could not load, or pytest
          // could not start): run once more without it and read JUnit XML.
          usePlugin = false;
          pluginRetried = true;
          pluginProblem = lastLines(proc.stderr, 1);
          continue;
        }
      }
      if (usePlugin && parts.start) {
        attachWorkerHangs(this.hangContext(), tmp, jsonl, acc, parts, testTimeout);
        const { culprit, resume } = recoverFromDeadRun(this.hangContext(), tmp, jsonl, acc, parts, proc, skipped, testTimeout, stalled);
        if (culprit) unattributed = null;
        if (resume && attempt <= MAX_RESUMES && performance.now() < deadline - 1000) continue;
      }
      break;
    }
    const stall = unattributed === "stall" ? stallWindowSeconds(testTimeout, grace) : null;
    const aborted = proc.aborted && options.signal?.aborted === true;
    const parentKilled = unattributed === "parent";
    const context = { command, started, runTimeout, covJson, stall, aborted, parentKilled, attempts: attempt };
    return await buildPytestResult(this.resultContext(), {
      acc,
      proc,
      junit,
      usePlugin,
      pluginProblem: pluginRetried ? pluginProblem : null,
      ...context,
    });
  }

  private hangContext(): HangContext {
    return { projectRoot: this.projectRoot, sourceLine: (file, line) => this.sources.line(file, line) };
  }

  private resultContext(): PytestResultContext {
    return {
      projectRoot: this.projectRoot,
      python: this.python,
      reported: (testFiles, pythonFiles) => {
        for (const f of testFiles) this.reportedTestFiles.add(f);
        if (pythonFiles) this.pythonFiles = pythonFiles;
      },
      sawSlowest: (seconds) => {
        this.slowestSeen = Math.max(this.slowestSeen, seconds);
      },
    };
  }
}
