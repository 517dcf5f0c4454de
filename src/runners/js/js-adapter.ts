// The shared TestRunnerAdapter of the JS runners: runs vitest or jest with their JSON report and the bundled progress reporter.
import { SLOW_TEST_SECONDS } from "../slow-tests.js";
import { mkdirSync, readdirSync, realpathSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, posix, relative, resolve } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import type { Failure } from "../../domain/failure.js";
import type { RunSelection, TestRunResult } from "../../domain/test-run.js";
import { jsNodeId } from "../../parsers/jest-json.js";
import { parseJsText } from "../../parsers/js-text.js";
import { relativeToRoots, type JsFrameContext } from "../../parsers/v8-stack.js";
import type { ProcessResult } from "../../process/run.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../adapter.js";
import { FileTail } from "../file-tail.js";
import { DEFAULT_RUN_TIMEOUT, pollWhileRunning, progressReporter } from "../run-progress.js";
import { defaultTestTimeout } from "../default-test-timeout.js";
import { SourceCache } from "../source-cache.js";
import { StallWatchdog, stallWindowSeconds } from "../stall-watchdog.js";
import { configuredSetupFiles, isJsSetupPath } from "./config-files.js";
import { refineHookPhases } from "./hook-phase.js";
import { JsSelection } from "./name-filter.js";
import { ReporterLog } from "./progress.js";
import { crashOfRun } from "./uncaught-crash.js";
import { MAX_RESUMES, STALL_GRACE_SECONDS, stallFailure, withKilledTests } from "./stalls.js";
import { buildJsResult, readCompleteReport, type CompleteReport, type JsRunOutcome } from "./js-result.js";
import type { JsAdapterOptions, JsRunnerSpec } from "./runner-spec.js";

export type { JsAdapterOptions, JsRunArgs, JsRunnerSpec } from "./runner-spec.js";
import { type RelatedSelection, relatedSelection } from "./related.js";
import { isJsTestFile } from "./test-files.js";
import { jsRunnerEnv, testProcessEnv } from "../test-env.js";
import { Standbys, unlessFullAndGreen } from "../standby.js";
import { runnerCliPackage } from "./runner-version.js";
import { jsRuntimeFiles } from "./runtime-files.js";
import { STANDBY_FILES } from "./standby.js";
import { runnerArgsForRun } from "../runner-args.js";

/** The largest timer Node honours; a per-test timeout of 0 ("off") becomes this. */
const MAX_TIMER_MS = 2_147_483_647;

/** A requested test file or folder: absolute path, and whether it is a folder (every test under it runs). */
interface RunTarget {
  path: string;
  folder: boolean;
}

/** What a run asks for: the requested tests, their files and folders, and the changed files whose related tests run. */
interface RunPlan {
  selection: JsSelection;
  targets: RunTarget[];
  related: string[];
}

/** The vitest/jest implementation of TestRunnerAdapter; the runner-specific part comes from a JsRunnerSpec. */
export class JsRunnerAdapter implements TestRunnerAdapter {
  readonly name: "vitest" | "jest";
  readonly projectRoot: string;
  private readonly roots: string[];
  /** Starts each run, through the standby the run before left when there is one. */
  readonly standbys: Standbys;
  private readonly sources = new SourceCache();
  /** Project-relative files the runner reported as test files in earlier runs (a custom testMatch/include may name any file). */
  private readonly reportedTestFiles = new Set<string>();
  /** Setup files the runner's config names; read lazily, forgotten at every run (the config may have been edited). */
  private setupFiles: Set<string> | null = null;

  constructor(
    private readonly spec: JsRunnerSpec,
    private readonly opts: JsAdapterOptions,
  ) {
    this.name = spec.name;
    this.projectRoot = resolve(opts.projectRoot);
    this.standbys = new Standbys(spec.standby, this.projectRoot, opts.standby === true);
    // Runners report real paths: a root reached through a symlink is matched by both spellings.
    const real = realpathSync(this.projectRoot);
    this.roots = real === this.projectRoot ? [this.projectRoot] : [this.projectRoot, real];
  }

  /** Why coverage is left off: a run with it wrote no report while the same run without it did (null: coverage works). */
  private coverageBreaksRuns: string | null = null;

  /** The slowest test a run of this adapter finished (seconds): the default stall window grows with it. */
  private slowestSeen = 0;

  close(): void {
    this.standbys.close();
  }

  /** Listed at the first run's guard: the installed packages' files, which no run is expected to change. */
  private runtime: string[] | null = null;

  runtimeFiles(): readonly string[] {
    this.runtime ??= jsRuntimeFiles(this.projectRoot, runnerCliPackage(this.spec.bin)?.dir ?? null, [
      this.spec.bin,
      this.spec.reporter,
      ...STANDBY_FILES,
    ]);
    return this.runtime;
  }

  isTestTimeout(durationSeconds: number): boolean {
    return durationSeconds > SLOW_TEST_SECONDS;
  }

  isTestFile(relPath: string): boolean {
    const rel = posix.normalize(relPath.replace(/\\/g, "/"));
    return isJsTestFile(rel, (base) => this.spec.isConfigName(base)) || this.reportedTestFiles.has(rel) || this.configSetupFiles().has(rel);
  }

  private configSetupFiles(): Set<string> {
    this.setupFiles ??= configuredSetupFiles(this.projectRoot, this.configNames());
    return this.setupFiles;
  }

  /** The runner's config files in the project root. */
  private configNames(): string[] {
    try {
      return readdirSync(this.projectRoot).filter((n) => this.spec.isConfigName(n));
    } catch {
      return []; // an unreadable root names no config files
    }
  }

  /** The run's test files, the config's setup files and the runner's config files in the root: what defines the tests. */
  private definingFiles(reported: readonly string[]): string[] {
    return [...new Set([...reported, ...this.configSetupFiles(), ...this.configNames()])].sort();
  }

  parseOutput(text: string): TestRunResult {
    const r = parseJsText(text, this.frameContext(), this.name);
    r.failures = refineHookPhases(r.failures, (rel) => this.sourceText(rel));
    return r;
  }

  runSpecificTest(file: string, testName: string, options: Omit<RunTestsOptions, "files"> = {}): Promise<TestRunResult> {
    const nodeId = testName.startsWith(`${file}::`) ? testName : jsNodeId(file, testName === "" ? [] : [testName]);
    return this.runTests({ ...options, files: [nodeId] });
  }

  async runTests(options: RunTestsOptions = {}): Promise<TestRunResult> {
    const given = options.files ?? [];
    const selection = new JsSelection(given, this.projectRoot, (f) => this.relative(f));
    const targets = selection.paths().map((path) => this.target(path));
    const affected = given.length === 0 && options.affectedBy !== undefined ? this.relatedFiles(options.affectedBy) : null;
    const related = affected?.ok ? affected.related : [];
    const runSelection: RunSelection =
      affected === null
        ? { kind: given.length > 0 ? "given" : "all" }
        : { kind: "affected", changedFiles: affected.changedFiles, ...(affected.ok ? {} : { fallback: affected.fallback }) };
    let coverageError: string | undefined;
    let coverageOn = false;
    if (options.coverage) {
      const problem = this.spec.coverageProblem();
      if (problem) coverageError = problem;
      else coverageOn = true;
    }
    if (coverageOn && this.coverageBreaksRuns !== null) {
      coverageOn = false;
      coverageError = this.coverageBreaksRuns;
    }
    const tmp = await mkdtemp(join(tmpdir(), `redgreen-${this.name}-`));
    try {
      const first = await this.execute(join(tmp, "run"), { selection, targets, related }, options, coverageOn);
      let result = first.result;
      // A crash through project code is the project's, not coverage's: no second run for it.
      if (coverageOn && !first.reported && first.result.crash === undefined && !options.signal?.aborted) {
        // Coverage is extra information, never the verdict: a runner that cannot finish with it runs without it,
        // and later runs of this adapter skip it at once.
        const again = await this.execute(join(tmp, "without-coverage"), { selection, targets, related }, options, false);
        if (again.reported) {
          this.coverageBreaksRuns =
            `coverage made ${this.name} fail (${(result.message ?? "").split("\n")[0]!.slice(0, 200)}); the tests ran without ` +
            `coverage`;
          coverageError = this.coverageBreaksRuns;
          result = again.result;
        }
      }
      if (coverageError) result.coverageError = coverageError;
      return { ...result, selection: runSelection };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** The changed files for the runner's related-tests mode, or why the whole suite runs. */
  private relatedFiles(changed: readonly string[]): RelatedSelection {
    const isConfigOrSetup = (rel: string): boolean =>
      this.spec.isConfigName(posix.basename(rel)) || isJsSetupPath(rel) || this.configSetupFiles().has(rel);
    return relatedSelection(changed, { projectRoot: this.projectRoot, runner: this.name, isConfigOrSetup });
  }

  /** A requested path with whether it is a folder (one stat); throws path_not_found when it does not exist. */
  private target(path: string): RunTarget {
    try {
      return { path, folder: statSync(path).isDirectory() };
    } catch (e) {
      throw new RedgreenError(
        "path_not_found",
        `Test path not found: ${relative(this.projectRoot, path) || path} (in ${this.projectRoot})`,
        { cause: e },
      );
    }
  }

  private relative(absFile: string): string {
    return relativeToRoots(absFile, this.roots) ?? absFile;
  }

  private frameContext(): JsFrameContext {
    return {
      projectRoots: this.roots,
      isTestFile: (rel) => this.isTestFile(rel),
      sourceLine: (abs, line) => this.sources.line(abs, line),
    };
  }

  private sourceText(rel: string): string | null {
    return this.sources.text(isAbsolute(rel) ? rel : join(this.projectRoot, rel));
  }

  /** Runs the selection, resuming past stalled tests; `reported` is false when the runner wrote no JSON report. */
  private async execute(
    tmp: string,
    plan: RunPlan,
    options: RunTestsOptions,
    coverageOn: boolean,
  ): Promise<{ result: TestRunResult; reported: boolean }> {
    const started = performance.now();
    // Source lines (and the config's setup files) are read fresh for every run: the files may have been edited since the last one.
    this.sources.clear();
    this.setupFiles = null;
    const runTimeout = options.runTimeoutSeconds ?? this.opts.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT;
    const explicit = options.testTimeoutSeconds ?? this.opts.testTimeoutSeconds;
    // No timeout given: the runner keeps the project's own per-test timeout, and only a test that blocks the runner's
    // own timer (a synchronous loop) meets redgreen's watchdog, after a default that never fails a healthy test.
    const testTimeout = explicit ?? defaultTestTimeout(this.slowestSeen);
    const deadline = started + runTimeout * 1000;
    const killed: Failure[] = [];
    const { selection } = plan;
    for (let attempt = 1; ; attempt++) {
      const dir = join(tmp, String(attempt));
      mkdirSync(dir, { recursive: true });
      const a = await this.attempt(dir, plan, options, coverageOn, { explicit, watchdog: testTimeout }, deadline);
      const stuck = a.stalled ? a.log.running() : [];
      for (const t of stuck) {
        const rel = this.relative(t.file);
        selection.exclude(rel, t.titles);
        if (selection.keeps(rel, null)) killed.push(stallFailure(this.name, rel, t.titles, testTimeout));
      }
      // A stall resumes without the stuck tests (all of them: with none finishing, every running one is stuck).
      if (stuck.length > 0 && attempt <= MAX_RESUMES && performance.now() < deadline - 1000) continue;
      const aborted = a.proc.aborted && options.signal?.aborted === true;
      const stall = a.stalled && stuck.length === 0 ? stallWindowSeconds(testTimeout, STALL_GRACE_SECONDS) : null;
      const { result, reported } = this.buildResult({ ...a, selection, started, runTimeout, aborted, stall, coverageDir: a.coverageDir });
      return { result: withKilledTests(result, killed), reported };
    }
  }

  /** One run of the runner; `stalled` when the watchdog killed it because a running test outlived its timeout. */
  private async attempt(
    tmp: string,
    { selection, targets, related }: RunPlan,
    options: RunTestsOptions,
    coverageOn: boolean,
    timeouts: { explicit: number | undefined; watchdog: number },
    deadline: number,
  ): Promise<{
    proc: ProcessResult;
    log: ReporterLog;
    reportFile: string;
    completeReport: CompleteReport | null;
    coverageDir: string | null;
    lingered: number | null;
    stalled: boolean;
    command: string[];
  }> {
    const reportFile = join(tmp, "report.json");
    const progressFile = join(tmp, "progress.jsonl");
    const coverageDir = coverageOn ? join(tmp, "coverage") : null;
    const namePattern = selection.namePattern();
    const own = { files: targets.length > 0 || related.length > 0, names: namePattern !== null };
    const args = [
      ...this.spec.args({
        files: targets.map((t) => t.path),
        folders: targets.filter((t) => t.folder).map((t) => t.path),
        related,
        namePattern,
        reportFile,
        reporter: this.spec.reporter,
        testTimeoutMs:
          timeouts.explicit === undefined
            ? null
            : timeouts.explicit > 0
              ? Math.min(MAX_TIMER_MS, Math.round(timeouts.explicit * 1000))
              : MAX_TIMER_MS,
        coverageDir,
      }),
      // The user's runner args last: jest's variadic --selectProjects cannot swallow the adapter's files there.
      ...runnerArgsForRun(this.spec.name, options.runnerArgs, own, this.projectRoot),
    ];
    const base = { ...testProcessEnv(process.env, this.opts.passEnv), ...this.opts.env };
    const env = { ...jsRunnerEnv(base), REDGREEN_PROGRESS: progressFile };
    const log = new ReporterLog(
      (file, titles) => jsNodeId(this.relative(file), titles),
      (file, titles) => selection.keeps(this.relative(file), titles),
    );
    const tail = new FileTail(progressFile, (chunk) => log.push(chunk));
    const reportProgress = progressReporter(() => log.progress(), options.onProgress);
    // The run's own stop: the caller's abort, a stalled test, or a runner still running `exitGraceMs` after its report was complete.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    if (options.signal?.aborted) stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // A synchronous loop in a test blocks the runner's own timeout: the watchdog kills the run when a running test goes silent.
    const window = timeouts.watchdog;
    const watchdog =
      window > 0 ? new StallWatchdog(stallWindowSeconds(window, STALL_GRACE_SECONDS) * 1000, () => log.running().length > 0) : undefined;
    watchdog?.signal.addEventListener("abort", onAbort, { once: true });
    const grace = this.spec.exitGraceMs;
    let reportDoneAt: number | null = null;
    let completeReport: CompleteReport | null = null;
    let lingered: number | null = null;
    const enforceGrace =
      grace === null
        ? undefined
        : (): void => {
            if (stop.signal.aborted) return;
            if (reportDoneAt === null) {
              completeReport = readCompleteReport(reportFile);
              if (completeReport !== null) reportDoneAt = performance.now();
            } else if (performance.now() - reportDoneAt >= grace) {
              lingered = (performance.now() - reportDoneAt) / 1000;
              stop.abort();
            }
          };
    // Without a progress listener or a watchdog the reporter's file is read once, after the run.
    const stopPolling = pollWhileRunning({
      tail,
      report: reportProgress,
      live: options.onProgress !== undefined,
      tick: enforceGrace,
      watchdog,
    });
    let proc: ProcessResult;
    try {
      const processOptions = {
        cwd: this.projectRoot,
        env,
        timeoutMs: Math.max(1000, deadline - performance.now()),
        capture: "file" as const,
        ...(this.opts.maxOutputBytes ? { maxOutputBytes: this.opts.maxOutputBytes } : {}),
        signal: stop.signal,
      };
      const next = this.opts.standby === true ? unlessFullAndGreen(!own.files && !own.names) : () => false;
      proc = await this.standbys.run(this.spec.bin, args, processOptions, next);
      tail.poll();
      reportProgress();
    } finally {
      stopPolling();
      tail.close();
      options.signal?.removeEventListener("abort", onAbort);
    }
    const stalled = watchdog?.stalled === true && options.signal?.aborted !== true;
    return { proc, log, reportFile, completeReport, coverageDir, lingered, stalled, command: [this.spec.bin, ...args] };
  }

  private buildResult(p: JsRunOutcome): { result: TestRunResult; reported: boolean } {
    return buildJsResult(
      {
        spec: this.spec,
        frameContext: this.frameContext(),
        sourceText: (rel) => this.sourceText(rel),
        reportedTestFiles: (rels) => rels.forEach((rel) => this.reportedTestFiles.add(rel)),
        sawSlowest: (seconds) => {
          this.slowestSeen = Math.max(this.slowestSeen, seconds);
        },
        definingFiles: (reported) => this.definingFiles(reported),
        crashOf: (proc, log, selection) =>
          crashOfRun(proc, log, selection, { runner: this.name, frameContext: this.frameContext(), relative: (f) => this.relative(f) }),
      },
      p,
    );
  }
}
