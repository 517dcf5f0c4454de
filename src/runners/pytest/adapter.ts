// The pytest TestRunnerAdapter: runs pytest with the bundled plugin and turns its event stream into a TestRunResult.
import { lastLines } from "../output-tail.js";
import { SLOW_TEST_SECONDS, slowTests } from "../slow-tests.js";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, posix, resolve } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import type { Failure, FailurePhase } from "../../domain/failure.js";
import { splitNodeId } from "../../domain/node-id.js";
import type { Coverage, RunSelection, TestRunResult } from "../../domain/test-run.js";
import { parseCoverageJson } from "../../parsers/coverage-json.js";
import { isPytestTestFile } from "../../parsers/pytest-frames.js";
import { PytestJsonlAccumulator, type PytestRunParts } from "../../parsers/pytest-jsonl.js";
import { parsePytestOutput } from "../../parsers/pytest-text.js";
import { pythonSourcePath } from "../../paths.js";
import { type ProcessResult, runProcess } from "../../process/run.js";
import { resolvePython } from "../../python/interpreter.js";
import type { CoverageScope, PerTestCoverage, RunTestsOptions, TestRunnerAdapter } from "../adapter.js";
import { FileTail } from "../file-tail.js";
import { checkProjectRoot } from "../project-root.js";
import { DEFAULT_RUN_TIMEOUT, pollWhileRunning, progressReporter } from "../run-progress.js";
import { defaultTestTimeout, slowestDuration } from "../default-test-timeout.js";
import { StallWatchdog, stallWindowSeconds } from "../stall-watchdog.js";
import { timeoutFailure } from "../timeout-failure.js";
import { SourceCache } from "../source-cache.js";
import { BytecodeCache } from "./bytecode-cache.js";
import { coverageArgs, probeProjectCoverage, type ProjectCoverage } from "./coverage-config.js";
import { matchesPythonFiles, pytestChannelCheck } from "./channels.js";
import { type AffectedTests, affectedTests } from "./affected.js";
import { ContextMap } from "./context-map.js";
import { ImportMap, type StaticImports } from "./import-map.js";
import { hangPhase, parseHangDump } from "./hang-dump.js";
import { pytestSelection } from "./selection.js";
import { testProcessEnv } from "../test-env.js";
import { runnerArgsForRun } from "../runner-args.js";
import { idleCores, probeXdist, projectSetsWorkers, XDIST_MIN_SUITE_SECONDS, xdistArgs, xdistWorthIt } from "./xdist.js";

export { parsePytestOutput } from "../../parsers/pytest-text.js";
export { parseCoverageJson } from "../../parsers/coverage-json.js";

/** Options of the pytest adapter. */
export interface PytestAdapterOptions {
  projectRoot: string;
  /** Interpreter to use (`--python`); default: the project's .venv/venv, else python3 on PATH. */
  python?: string;
  /**
   * Per-test timeout in seconds, honoured exactly (0 turns it off). Default: max(60, 5x the slowest test an earlier run
   * of this adapter finished), so a default never fails a healthy slow test; slow tests are reported in slowTests.
   */
  testTimeoutSeconds?: number;
  /** Hard limit for a whole run in seconds (default 900); the process group is killed past it. */
  runTimeoutSeconds?: number;
  /** Extra environment variables for pytest. */
  env?: Record<string, string>;
  /** Model credentials the test process gets anyway (`--pass-env`); every other one is withheld (see test-env.ts). */
  passEnv?: readonly string[] | undefined;
  /** Extra pytest arguments placed before the test paths, e.g. ["-n", "2"]. */
  pytestArgs?: string[];
  /**
   * Runs the whole suite and large selections on pytest-xdist (`-n auto`) when the interpreter can import it and an
   * earlier whole-suite run took xdistMinSuiteSeconds or more, unless the runner args or the project's addopts choose
   * workers themselves. Default false (createRunnerAdapter turns it on).
   */
  parallel?: boolean;
  /** Seconds a whole-suite run must have taken before xdist is used (default XDIST_MIN_SUITE_SECONDS; 0: from the first run). */
  xdistMinSuiteSeconds?: number;
  /** false runs pytest without the bundled plugin (results from JUnit XML, then terminal text). */
  usePlugin?: boolean;
  /** Seconds past the per-test timeout before a test stuck in C code is dumped and the run resumed without it (default 5). */
  hangGraceSeconds?: number;
  /** Bytes of stdout/stderr kept from pytest (each; default 2 MiB). */
  maxOutputBytes?: number;
}


const MAX_RESUMES = 10;
/** Milliseconds a stalled pytest gets to write the stack dump SIGUSR2 asks for before its group is killed. */
const STALL_DUMP_WAIT_MS = 500;

/** How a test that did not end at its timeout ended its run. */
type HangKind = "stuck" | "stalled";

/** What ended a run when no test could be blamed for it. */
type Unattributed = "stall" | "parent" | null;
const PLUGIN_MODULE = "redgreen_pytest_plugin";

/**
 * Creates the pytest adapter for a project; throws path_not_found for a missing root and python_missing
 * without an interpreter. An interpreter given as the path of an existing file is not started here:
 * the first run checks it (saving a Python start-up per adapter), and runTests throws python_missing
 * when it does not run.
 */
export async function createPytestAdapter(opts: PytestAdapterOptions): Promise<TestRunnerAdapter> {
  const projectRoot = checkProjectRoot(opts.projectRoot);
  const given = givenInterpreterFile(opts.python);
  if (given) return new PytestAdapter({ ...opts, projectRoot }, given, false);
  const python = await resolvePython({ projectRoot, ...(opts.python ? { python: opts.python } : {}) });
  return new PytestAdapter({ ...opts, projectRoot }, python);
}

/** The interpreter resolvePython would return for `python` when that is the path of an existing file, else null. */
function givenInterpreterFile(python: string | undefined): string | null {
  if (!python || !(python.includes("/") || python.includes("\\"))) return null;
  const path = isAbsolute(python) ? python : resolve(python);
  try {
    return path.includes("/") && statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/** The pytest implementation of TestRunnerAdapter. */
export class PytestAdapter implements TestRunnerAdapter {
  readonly name = "pytest" as const;
  readonly projectRoot: string;
  private readonly pluginDir = pythonSourcePath("runners", "pytest");
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
  /** Which test files import which project modules, built on the first affected run without a coverage map. */
  private imports: ImportMap | null = null;
  /** The test files the last full run ran tests of (null before one): the only files the import map selects. */
  private suiteTestFiles: ReadonlySet<string> | null = null;
  /** Seconds of the slowest test earlier runs finished (timed-out tests left out): the default per-test timeout grows with it. */
  private slowestSeen = 0;

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
  }

  isTestTimeout(durationSeconds: number): boolean {
    return durationSeconds > SLOW_TEST_SECONDS;
  }

  isTestFile(relPath: string): boolean {
    const rel = posix.normalize(relPath.replace(/\\/g, "/"));
    return isPytestTestFile(rel) || this.reportedTestFiles.has(rel) || matchesPythonFiles(rel, this.pythonFiles);
  }

  testCoverage(of: CoverageScope = "suite"): PerTestCoverage | null {
    return (of === "suite" ? this.contexts : this.probeContexts).map();
  }

  invalidateCaches(absFiles: readonly string[]): void {
    this.bytecode.invalidate(absFiles);
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
    const affected = given.length === 0 && options.affectedBy !== undefined ? await this.affectedTests(options.affectedBy) : null;
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
    const into = full ? (options.perTestCoverage !== false ? this.contexts : null) : options.perTestCoverage === true ? this.probeContexts : null;
    const contexts = into !== null && coverage !== null && !coverage.dynamicContext;
    const tmp = await mkdtemp(join(tmpdir(), "redgreen-pytest-"));
    try {
      const result = await this.execute(tmp, files, options, coverage, contexts);
      if (full) this.suiteSeconds = Math.max(this.suiteSeconds ?? 0, result.durationSeconds);
      if (full && (result.status === "passed" || result.status === "failed")) this.suiteTestFiles = testFilesOf(result);
      if (options.coverage && coverageError) result.coverageError = coverageError;
      if (into !== null && coverage !== null) this.keepContexts(into, join(tmp, ".coverage"), result, contexts);
      // A probe that measured nothing leaves no earlier probe's map behind.
      else if (into === this.probeContexts) into.drop(coverageError ?? "the run measured no coverage");
      return { ...result, selection };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** The tests a change reaches by the per-test coverage map, else by the static import map, or why the whole suite runs. */
  private async affectedTests(changed: readonly string[]): Promise<AffectedTests> {
    const { projectRoot, contexts } = this;
    const isTestFile = (f: string): boolean => this.isTestFile(f);
    const map = contexts.map();
    let imports: StaticImports | null = null;
    let whyMissing = contexts.whyMissing();
    if (map === null) {
      await this.checkPython();
      this.imports ??= new ImportMap(projectRoot, this.python);
      // A test file outside the suite (beyond testpaths, say) is never selected: the full suite would not run it.
      const suite = this.suiteTestFiles;
      try {
        imports = await this.imports.build(suite === null ? isTestFile : (f) => suite.has(f));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        whyMissing = `${whyMissing}, and the static import map could not be built: ${why}`;
      }
    }
    return affectedTests(changed, { projectRoot, map, imports, whyMissing, isTestFile });
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
    await resolvePython({ projectRoot: this.projectRoot, python: this.python });
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

  private buildArgs(p: {
    files: string[];
    junit: string;
    verbose: boolean;
    usePlugin: boolean;
    covJson: string | null;
    coverage: ProjectCoverage | null;
    covAppend: boolean;
    contexts: boolean;
    extra: readonly string[];
  }): string[] {
    const args = ["-m", "pytest"];
    if (p.usePlugin) args.push("-p", PLUGIN_MODULE);
    // JUnit XML costs pytest ~5% of a run: it is only written when the plugin's stream is not there.
    if (!p.usePlugin) {
      // xunit1 keeps the file attribute, so node ids can be rebuilt exactly from the XML.
      args.push(`--junitxml=${p.junit}`, "-o", "junit_family=xunit1");
    }
    args.push(
      "--color=no",
      `--rootdir=${this.projectRoot}`,
      // One run should show every broken module, not stop at the first collection error.
      "--continue-on-collection-errors",
      // --verbosity sets the level outright (-q would add to a project's own -q): pytest's summary line, the second
      // result channel, is only printed above -2.
      p.verbose ? "--verbosity=1" : "--verbosity=-1",
    );
    if (p.covJson && p.coverage) {
      const { projectRoot } = this;
      // Without redgreen's plugins on the path (the plugin could not load), pytest-cov names the contexts.
      const contexts = !p.contexts ? null : p.usePlugin ? "plugin" : "pytest-cov";
      args.push(...coverageArgs({ projectRoot, project: p.coverage, covJson: p.covJson, append: p.covAppend, contexts }));
    }
    args.push(...(this.opts.pytestArgs ?? []), ...p.files, ...p.extra);
    return args;
  }

  private buildEnv(p: {
    usePlugin: boolean;
    jsonl: string;
    testTimeout: number;
    deselectFile: string | null;
    selectFile: string | null;
    covData: string;
  }): Record<string, string | undefined> {
    const base = this.baseEnv();
    const env: Record<string, string | undefined> = {
      ...base,
      PYTHONPATH: base.PYTHONPATH ? `${this.pluginDir}:${base.PYTHONPATH}` : this.pluginDir,
      REDGREEN_JSONL: p.jsonl,
      REDGREEN_TEST_TIMEOUT: String(p.testTimeout),
      REDGREEN_HARD_GRACE: String(this.opts.hangGraceSeconds ?? 5),
      // Keeps pytest-cov's data file out of the project.
      COVERAGE_FILE: p.covData,
      PY_COLORS: "0",
    };
    // Bytecode lives in this adapter's own folder, never in the project's __pycache__: a file restored within
    // the same second as its fixed version was compiled can never run from stale bytecode (see invalidateCaches).
    // The plugin switches to the folder once pytest is imported: a fresh PYTHONPYCACHEPREFIX would make the first run
    // recompile the standard library and pytest (about as long again as a warm run of 1,000 tests).
    if (p.usePlugin) {
      env.REDGREEN_PYCACHE_PREFIX = this.bytecode.dir();
      env.REDGREEN_PYCACHE_SEED_BEFORE = String(this.bytecode.seedBefore());
    } else {
      env.PYTHONPYCACHEPREFIX = this.bytecode.dir();
    }
    if (p.deselectFile) env.REDGREEN_DESELECT_FILE = p.deselectFile;
    else delete env.REDGREEN_DESELECT_FILE;
    if (p.selectFile) env.REDGREEN_SELECT_FILE = p.selectFile;
    else delete env.REDGREEN_SELECT_FILE;
    return env;
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
      const args = this.buildArgs({ files: selection.argv, junit, verbose, usePlugin, covJson, coverage, covAppend, contexts, extra });
      command ??= [this.python, ...args];
      const env = this.buildEnv({ usePlugin, jsonl, testTimeout, deselectFile, selectFile, covData: join(tmp, ".coverage") });
      const tail = new FileTail(jsonl, (chunk) => acc.push(chunk));
      acc.beginAttempt();
      const watchdog = usePlugin && testTimeout > 0 ? this.stallWatchdog(acc, testTimeout, grace) : undefined;
      const stopPolling = pollWhileRunning({ tail, report, live: options.onProgress !== undefined, watchdog });
      const signals = [options.signal, watchdog?.signal].filter((x): x is AbortSignal => x !== undefined);
      try {
        proc = await runProcess(this.python, args, {
          cwd: this.projectRoot,
          env,
          timeoutMs: Math.max(1000, deadline - performance.now()),
          // pytest flushes every progress character: through a pipe each one would wake Node.
          capture: "file",
          ...(this.opts.maxOutputBytes ? { maxOutputBytes: this.opts.maxOutputBytes } : {}),
          ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
        }).catch(async (e: unknown) => {
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
      const stalled = watchdog?.stalled === true && options.signal?.aborted !== true;
      unattributed = stalled ? "stall" : proc.parentKilled ? "parent" : null;

      if (!parts.start) {
        if (!proc.timedOut && !proc.aborted) await this.checkPython();
        if (/No module named '?pytest'?(?:\s|$)/m.test(proc.stderr)) {
          throw new RedgreenError("pytest_missing", `pytest is not installed for ${this.python}; install it with: ${this.python} -m pip install pytest`);
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
        this.attachWorkerHangs(tmp, jsonl, acc, parts, testTimeout);
        const { culprit, resume } = this.recoverFromDeadRun(tmp, jsonl, acc, parts, proc, skipped, testTimeout, stalled);
        if (culprit) unattributed = null;
        if (resume && attempt <= MAX_RESUMES && performance.now() < deadline - 1000) continue;
      }
      break;
    }
    const stall = unattributed === "stall" ? stallWindowSeconds(testTimeout, grace) : null;
    const aborted = proc.aborted && options.signal?.aborted === true;
    const parentKilled = unattributed === "parent";
    const context = { command, started, runTimeout, covJson, stall, aborted, parentKilled, attempts: attempt };
    return await this.buildResult({ acc, proc, junit, usePlugin, pluginProblem: pluginRetried ? pluginProblem : null, ...context });
  }

  /**
   * Watches a run for a test that outlives its timeout (it ignores SIGALRM, swallows Timeout, cancelled the plugin's
   * watchdog): pytest is asked for a stack dump (SIGUSR2, which the plugin hands to faulthandler), then killed.
   */
  private stallWatchdog(acc: PytestJsonlAccumulator, testTimeout: number, grace: number): StallWatchdog {
    return new StallWatchdog(
      stallWindowSeconds(testTimeout, grace) * 1000,
      () => acc.testsRunning(),
      (stop) => {
        const pid = acc.parts().start?.pid;
        try {
          if (pid) process.kill(pid, "SIGUSR2");
        } catch {
          /* gone already: nothing to dump */
        }
        setTimeout(stop, STALL_DUMP_WAIT_MS);
      },
    );
  }

  /** xdist: a worker whose test hung in C code dumped its stack and died; xdist reported a crash for that test. */
  private attachWorkerHangs(tmp: string, jsonl: string, acc: PytestJsonlAccumulator, parts: PytestRunParts, testTimeout: number): void {
    for (const [worker, dumpPath] of this.hangDumps(tmp, jsonl)) {
      if (worker === "main") continue;
      const crashed = parts.failures.find((f) => f.errorType === "WorkerCrashed" && parts.workerOf.get(f.nodeId) === worker);
      if (!crashed) continue;
      const dump = readFileSync(dumpPath, "utf8");
      acc.replaceFailure(crashed.nodeId, crashed.phase, this.hangFailure(crashed.nodeId, "call", dump, crashed.durationSeconds, testTimeout, "stuck"));
    }
  }

  /**
   * A run that died before its session finished (a hang dumped by faulthandler, a segfault, os._exit):
   * the first collected test that did not finish is the culprit. Records it, and returns it with whether the
   * run should resume without the finished tests and the culprit.
   */
  private recoverFromDeadRun(
    tmp: string,
    jsonl: string,
    acc: PytestJsonlAccumulator,
    parts: PytestRunParts,
    proc: ProcessResult,
    skipped: Set<string>,
    testTimeout: number,
    stalled: boolean,
  ): { culprit: string | null; resume: boolean } {
    const none = { culprit: null, resume: false };
    if (parts.finish || proc.timedOut || (proc.aborted && !stalled) || !parts.collectedNodeIds) return none;
    const culprit = parts.collectedNodeIds.find((id) => !parts.doneNodeIds.has(id) && !skipped.has(id));
    if (!culprit) return none;
    const seen = parts.phasesSeen.get(culprit) ?? new Set<string>();
    const failedAlready = parts.failures.some((f) => f.nodeId === culprit);
    const dump = this.hangDumps(tmp, jsonl).get("main");
    const dumpText = dump ? readFileSync(dump, "utf8") : null;
    // Passing phases reach the stream only with the test's last line, so the dump knows the phase best.
    const phase: FailurePhase =
      (dumpText ? hangPhase(dumpText) : null) ??
      (seen.has("call") || (seen.has("setup") && failedAlready) ? "teardown" : seen.has("setup") ? "call" : "setup");
    if (dumpText || stalled) {
      acc.addFailure(this.hangFailure(culprit, phase, dumpText ?? "", testTimeout, testTimeout, stalled ? "stalled" : "stuck"));
    } else {
      const how = proc.parentKilled
        ? "and its supervising parent were killed (the test killed its parent process or its process group)"
        : proc.signal
          ? `was killed by ${proc.signal}`
          : `exited with code ${String(proc.exitCode)}`;
      const message = `the Python process ${how} while this test ran (${phase}); the run resumed without it`;
      const { testFile, testName } = splitNodeId(culprit);
      acc.addFailure({
        nodeId: culprit,
        testFile,
        testName,
        errorType: "Crash",
        errorMessage: message,
        stackTrace: `${lastLines(proc.stderr, 30)}\nCrash: ${message}`.trim(),
        lineNumber: null,
        faultFile: null,
        faultLine: null,
        frames: [],
        phase,
        durationSeconds: 0,
      });
    }
    for (const id of parts.doneNodeIds) skipped.add(id);
    skipped.add(culprit);
    return { culprit, resume: parts.collectedNodeIds.some((id) => !skipped.has(id)) };
  }

  /** Non-empty faulthandler dumps the plugin left next to the JSONL file, by xdist worker id ("main" without xdist). */
  private hangDumps(tmp: string, jsonl: string): Map<string, string> {
    const prefix = `${jsonl.slice(tmp.length + 1)}.hang-`;
    const out = new Map<string, string>();
    for (const name of readdirSync(tmp)) {
      if (!name.startsWith(prefix)) continue;
      const path = join(tmp, name);
      if (statSync(path).size === 0) continue;
      const worker = name.slice(prefix.length).replace(/-\d+$/, "");
      out.set(worker, path);
    }
    return out;
  }

  private hangFailure(nodeId: string, phase: FailurePhase, dump: string, duration: number, seconds: number, kind: HangKind): Failure {
    const frames = parseHangDump(dump, this.projectRoot, (file, line) => this.sources.line(file, line));
    const why =
      kind === "stuck"
        ? "could not be interrupted (stuck outside Python code)"
        : "did not stop (it ignores or swallows the timeout); redgreen killed the run";
    const message = `test exceeded the per-test timeout of ${seconds} s during ${phase} and ${why}; the run went on without it`;
    const traceLines = [
      "Traceback (most recent call last):",
      ...frames.flatMap((f) => [`  File "${f.file}", line ${f.line}, in ${f.function}`, ...(f.code ? [`    ${f.code}`] : [])]),
    ];
    return timeoutFailure(nodeId, message, { traceLines, frames, phase, durationSeconds: duration });
  }

  private async buildResult(p: {
    acc: PytestJsonlAccumulator;
    proc: ProcessResult;
    junit: string;
    usePlugin: boolean;
    /** Set when the run was retried without the plugin: the first attempt's last error line. */
    pluginProblem: string | null;
    command: string[] | null;
    started: number;
    runTimeout: number;
    covJson: string | null;
    /** How many times pytest was started for this run (resumes after a hard hang or a crash). */
    attempts: number;
    /** Seconds of silence after which a test no culprit was found for was killed (null otherwise). */
    stall: number | null;
    /** Whether the caller aborted the run. */
    aborted: boolean;
    /** Whether a test killed the runner's parent and no culprit was found. */
    parentKilled: boolean;
  }): Promise<TestRunResult> {
    const { proc } = p;
    const durationSeconds = (performance.now() - p.started) / 1000;
    type StreamOnly = "collected" | "collectedNodeIds" | "doneNodeIds" | "phasesSeen" | "workerOf" | "start" | "finish" | "badLines";
    type Omitted = StreamOnly | "anomalies" | "testFiles" | "pythonFiles" | "skippedNodeIds";
    // Terminal text cannot name skipped tests: skippedNodeIds is left out then.
    let parts: (Omit<PytestRunParts, Omitted> & { skippedNodeIds?: string[] | undefined }) | null = null;
    let source: TestRunResult["source"] = "jsonl";
    const notes: string[] = [];
    const jsonlParts = p.acc.parts();
    if (p.usePlugin && jsonlParts.start) {
      parts = jsonlParts;
    } else {
      // Loaded only on this fallback path: the XML parser is a large share of the CLI's start-up.
      const { parseJUnitXml } = await import("../../parsers/junit-xml.js");
      try {
        parts = parseJUnitXml(readFileSync(p.junit, "utf8"), { rootDir: this.projectRoot });
        source = "junit";
      } catch (e) {
        const why = e instanceof RedgreenError ? e.message : `JUnit XML report missing (${e instanceof Error ? e.message : String(e)})`;
        notes.push(why);
        const text = parsePytestOutput(proc.stdout);
        source = "text";
        if (text.total > 0 || text.failures.length > 0) parts = { ...text, testDurations: new Map<string, number>() };
      }
      if (parts && p.pluginProblem !== null) {
        notes.unshift(`the redgreen pytest plugin could not load${p.pluginProblem ? ` (${p.pluginProblem})` : ""}; results come from ${source === "junit" ? "JUnit XML" : "terminal text"}`);
      }
    }

    // pytest's usage errors (exit 4) name a missing path or test; conftest failures came through as collect errors.
    if (proc.exitCode === 4 && (!parts || parts.failures.length === 0)) {
      const out = `${proc.stdout}\n${proc.stderr}`;
      const missingPath = /ERROR: file or directory not found: (.+)/.exec(out);
      if (missingPath) throw new RedgreenError("path_not_found", `Test path not found: ${missingPath[1]!.trim()}`);
      const missingTest = /ERROR: not found: (.+)/.exec(out);
      if (missingTest) throw new RedgreenError("not_found", `No test matches ${missingTest[1]!.trim()}`);
    }

    if (source === "jsonl") {
      for (const f of jsonlParts.testFiles) this.reportedTestFiles.add(f);
      if (jsonlParts.pythonFiles) this.pythonFiles = jsonlParts.pythonFiles;
    }
    const anomalies = source === "jsonl" ? [...jsonlParts.anomalies, ...pytestChannelCheck(jsonlParts, proc, p.attempts)] : [];
    const coverage = this.readCoverage(p.covJson, notes);
    const base = parts ?? { passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0, failures: [], passedNodeIds: [], testDurations: new Map<string, number>() };
    let status: TestRunResult["status"];
    let message: string | undefined;
    if (proc.timedOut) {
      status = "timeout";
      message = `the run exceeded its ${p.runTimeout} s limit and was killed; results recorded before that are kept`;
    } else if (p.stall !== null) {
      status = "timeout";
      message = `a test ran ${p.stall} s past its last progress, beyond its per-test timeout, and was killed with the run; results recorded before that are kept`;
    } else if (p.aborted) {
      status = "error";
      message = "the run was aborted";
    } else if (p.parentKilled) {
      status = "error";
      message = "a test killed the test runner's parent process or its process group; the run was stopped and its results are incomplete";
    } else if (!parts) {
      status = "error";
      message = [`pytest produced no readable results (exit code ${String(proc.exitCode)})`, ...notes, lastLines(proc.stderr || proc.stdout, 8)].filter(Boolean).join("; ");
    } else if (base.failures.length > 0 || base.failed + base.errors > 0) {
      status = "failed";
    } else if (proc.exitCode === 5 || base.total === 0) {
      status = proc.exitCode === 0 || proc.exitCode === 5 ? "no_tests" : "error";
      if (status === "error") message = `pytest exited with code ${String(proc.exitCode)}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
    } else if (proc.exitCode === 0 || proc.exitCode === 1) {
      status = "passed";
    } else {
      status = "error";
      message = `pytest exited with code ${String(proc.exitCode)}${proc.signal ? ` (${proc.signal})` : ""}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
    }
    if (!message && notes.length > 0 && source !== "jsonl") message = notes.join("; ");
    const runWide = anomalies.filter((a) => a.nodeId === null);
    if (runWide.length > 0 && (status === "passed" || status === "failed" || status === "no_tests")) {
      // Disagreement is never green: the run is reported as an error, with what disagreed.
      status = "error";
      message = `the test results cannot be trusted: ${runWide.map((a) => a.detail).join("; ")}`;
    }

    const timedOut = new Set(base.failures.filter((f) => f.errorType === "Timeout").map((f) => f.nodeId));
    this.slowestSeen = Math.max(this.slowestSeen, slowestDuration(base.testDurations, timedOut));
    const result: TestRunResult = {
      status,
      passed: base.passed,
      failed: base.failed,
      errors: base.errors,
      skipped: base.skipped,
      xfailed: base.xfailed,
      xpassed: base.xpassed,
      total: base.total,
      durationSeconds,
      failures: base.failures,
      coverage,
      command: p.command ?? [this.python],
      slowTests: slowTests(base.testDurations),
      passedNodeIds: base.passedNodeIds,
      ...(base.skippedNodeIds ? { skippedNodeIds: base.skippedNodeIds } : {}),
      source,
      testFiles: source === "jsonl" ? jsonlParts.testFiles : [...new Set([...base.failures.map((f) => f.testFile), ...base.passedNodeIds.map((id) => splitNodeId(id).testFile)])].sort(),
      anomalies,
    };
    if (p.covJson && !coverage) result.coverageError = notes.find((n) => n.startsWith("coverage")) ?? "pytest-cov wrote no coverage report";
    if (message) result.message = message;
    return result;
  }

  private readCoverage(covJson: string | null, notes: string[]): Coverage | null {
    if (!covJson) return null;
    try {
      return parseCoverageJson(covJson);
    } catch (e) {
      notes.push(`coverage report unavailable: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }
}

/** The test files a run ran tests of (passed, failed or skipped). */
function testFilesOf(result: TestRunResult): Set<string> {
  const ids = [...result.passedNodeIds, ...(result.skippedNodeIds ?? []), ...result.failures.map((f) => f.nodeId)];
  return new Set(ids.map((id) => splitNodeId(id).testFile));
}

/** An affected-tests run whose changed files no test executed: nothing to run, so nothing to compare. */
function noAffectedTests(selection: RunSelection, python: string): TestRunResult {
  const files = (selection.changedFiles ?? []).join(", ");
  return {
    status: "no_tests",
    ...{ passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0, durationSeconds: 0 },
    failures: [],
    coverage: null,
    command: [python],
    slowTests: [],
    passedNodeIds: [],
    source: "jsonl",
    testFiles: [],
    anomalies: [],
    selection,
    message: `no test executed ${files} in the last full run: no test to run`,
  };
}
