// The shared TestRunnerAdapter of the JS runners: runs vitest or jest with their JSON report and the bundled progress reporter.
import { lastLines } from "../output-tail.js";
import { SLOW_TEST_SECONDS, slowTests } from "../slow-tests.js";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, posix, relative, resolve } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import type { Failure } from "../../domain/failure.js";
import { liesWithin } from "../../domain/node-id.js";
import type { Coverage, RunAnomaly, RunSelection, TestRunResult } from "../../domain/test-run.js";
import { parseIstanbulCoverageFiles } from "../../parsers/istanbul-coverage.js";
import { emptyParts, jsNodeId, parseJestJson, type JestJsonParts } from "../../parsers/jest-json.js";
import { parseJsText } from "../../parsers/js-text.js";
import { relativeToRoots, type JsFrameContext } from "../../parsers/v8-stack.js";
import { runProcess, type ProcessResult } from "../../process/run.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../adapter.js";
import { FileTail } from "../file-tail.js";
import { DEFAULT_RUN_TIMEOUT, pollWhileRunning, progressReporter } from "../run-progress.js";
import { defaultTestTimeout, slowestDuration } from "../default-test-timeout.js";
import { SourceCache } from "../source-cache.js";
import { StallWatchdog, stallWindowSeconds } from "../stall-watchdog.js";
import { timeoutFailure } from "../timeout-failure.js";
import { configuredSetupFiles, isJsSetupPath } from "./config-files.js";
import { refineHookPhases } from "./hook-phase.js";
import { JsSelection } from "./name-filter.js";
import { ReporterLog } from "./progress.js";
import { crashFailure, uncaughtError } from "./uncaught-crash.js";
import { rejectedOptionsMessage } from "./rejected-options.js";
import { type RelatedSelection, relatedSelection } from "./related.js";
import { isJsTestFile } from "./test-files.js";
import { testProcessEnv } from "../test-env.js";
import { runnerArgsForRun } from "../runner-args.js";

/** Options shared by the vitest and jest adapters. */
export interface JsAdapterOptions {
  projectRoot: string;
  /**
   * Per-test timeout in seconds, passed to the runner as given (0 turns it off). Without one the project's own setting
   * (or the runner's default) applies, as in a bare run, and redgreen's stall watchdog uses a generous default.
   */
  testTimeoutSeconds?: number;
  /** Hard limit for a whole run in seconds (default 900); the process group is killed past it. */
  runTimeoutSeconds?: number;
  /** Extra environment variables for the runner. */
  env?: Record<string, string>;
  /** Model credentials the test process gets anyway (`--pass-env`); every other one is withheld (see test-env.ts). */
  passEnv?: readonly string[] | undefined;
  /** Bytes of stdout/stderr kept from the runner (each; default 2 MiB). */
  maxOutputBytes?: number;
}

/** What one run asks of the runner's command line. */
export interface JsRunArgs {
  /** Absolute test file (or folder) paths; all tests when empty. */
  files: string[];
  /** The entries of `files` that are folders (every test under them runs). */
  folders: string[];
  /** Absolute changed files whose related tests run (vitest related, jest --findRelatedTests); empty otherwise. */
  related: string[];
  /** A regular expression over "describe titles + test title" joined by spaces, or null. */
  namePattern: string | null;
  reportFile: string;
  /** Absolute path of the bundled progress reporter. */
  reporter: string;
  /** The runner's per-test timeout, or null to leave the project's own setting (or the runner's default) in force. */
  testTimeoutMs: number | null;
  /** Folder for json-summary and json coverage reports, or null without coverage. */
  coverageDir: string | null;
}

/** What differs between vitest and jest. */
export interface JsRunnerSpec {
  readonly name: "vitest" | "jest";
  /** Absolute path of the runner's executable. */
  readonly bin: string;
  /** The version of the runner's CLI package, or null when it cannot be read (named in errors). */
  readonly version: string | null;
  /** Absolute path of the bundled progress reporter. */
  readonly reporter: string;
  /** Whether a file name is one of the runner's config files (they count as test files; their setup files too). */
  isConfigName(base: string): boolean;
  args(p: JsRunArgs): string[];
  /** null when coverage can be measured, else the reason it cannot. */
  coverageProblem(): string | null;
  /** Whether the live reporter's errors are better than the JSON report's (vitest's JSON drops some messages). */
  readonly preferReporterErrors: boolean;
  /**
   * Milliseconds the runner may keep running once its JSON report is complete before it is stopped and the run
   * reported from that report (jest waits forever for a handle a test left open); null: wait for it to exit.
   */
  readonly exitGraceMs: number | null;
  /**
   * A note when a test left a handle (timer, socket) open, else null: the runner's output says so, or the runner
   * was stopped `lingered` seconds after its report was complete (null when it exited by itself).
   */
  openHandleNote(output: string, lingered: number | null): string | null;
}

/** Attempts after a stall: each resumes without the tests that had to be killed. */
const MAX_RESUMES = 5;
/** Seconds past two per-test timeouts before a silent running test counts as stuck. */
const STALL_GRACE_SECONDS = 5;

/** A result with the tests the watchdog killed added as Timeout failures. */
function withKilledTests(result: TestRunResult, killed: Failure[]): TestRunResult {
  if (killed.length === 0) return result;
  const status = result.status === "passed" || result.status === "no_tests" ? "failed" : result.status;
  return { ...result, status, failed: result.failed + killed.length, total: result.total + killed.length, failures: [...killed, ...result.failures] };
}

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

/** A JSON report the runner finished writing. */
interface CompleteReport {
  data: unknown;
}

/**
 * The runner's JSON report once it is complete: the file parses as one JSON object (jest and vitest write it in one
 * piece; jest before 30 without a final newline, so a cut-off write is told apart by parsing, not by its end); else null.
 */
function readCompleteReport(path: string): CompleteReport | null {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return typeof data === "object" && data !== null && !Array.isArray(data) ? { data } : null;
  } catch {
    return null;
  }
}

/** The vitest/jest implementation of TestRunnerAdapter; the runner-specific part comes from a JsRunnerSpec. */
export class JsRunnerAdapter implements TestRunnerAdapter {
  readonly name: "vitest" | "jest";
  readonly projectRoot: string;
  private readonly roots: string[];
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
    // Runners report real paths: a root reached through a symlink is matched by both spellings.
    const real = realpathSync(this.projectRoot);
    this.roots = real === this.projectRoot ? [this.projectRoot] : [this.projectRoot, real];
  }

  /** Why coverage is left off: a run with it wrote no report while the same run without it did (null: coverage works). */
  private coverageBreaksRuns: string | null = null;

  /** The slowest test a run of this adapter finished (seconds): the default stall window grows with it. */
  private slowestSeen = 0;

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
          this.coverageBreaksRuns = `coverage made ${this.name} fail (${(result.message ?? "").split("\n")[0]!.slice(0, 200)}); the tests ran without coverage`;
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
      throw new RedgreenError("path_not_found", `Test path not found: ${relative(this.projectRoot, path) || path} (in ${this.projectRoot})`, { cause: e });
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
        if (selection.keeps(rel, null)) killed.push(this.stallFailure(rel, t.titles, testTimeout));
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
  ): Promise<{ proc: ProcessResult; log: ReporterLog; reportFile: string; completeReport: CompleteReport | null; coverageDir: string | null; lingered: number | null; stalled: boolean; command: string[] }> {
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
        testTimeoutMs: timeouts.explicit === undefined ? null : timeouts.explicit > 0 ? Math.min(MAX_TIMER_MS, Math.round(timeouts.explicit * 1000)) : MAX_TIMER_MS,
        coverageDir,
      }),
      // The user's runner args last: jest's variadic --selectProjects cannot swallow the adapter's files there.
      ...runnerArgsForRun(this.spec.name, options.runnerArgs, own, this.projectRoot),
    ];
    const env: Record<string, string | undefined> = {
      ...testProcessEnv(process.env, this.opts.passEnv),
      ...this.opts.env,
      CI: "1",
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      REDGREEN_PROGRESS: progressFile,
    };
    const log = new ReporterLog((file, titles) => jsNodeId(this.relative(file), titles), (file, titles) => selection.keeps(this.relative(file), titles));
    const tail = new FileTail(progressFile, (chunk) => log.push(chunk));
    const reportProgress = progressReporter(() => log.progress(), options.onProgress);
    // The run's own stop: the caller's abort, a stalled test, or a runner still running `exitGraceMs` after its report was complete.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    if (options.signal?.aborted) stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // A synchronous loop in a test blocks the runner's own timeout: the watchdog kills the run when a running test goes silent.
    const window = timeouts.watchdog;
    const watchdog = window > 0 ? new StallWatchdog(stallWindowSeconds(window, STALL_GRACE_SECONDS) * 1000, () => log.running().length > 0) : undefined;
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
    const stopPolling = pollWhileRunning({ tail, report: reportProgress, live: options.onProgress !== undefined, tick: enforceGrace, watchdog });
    let proc: ProcessResult;
    try {
      proc = await runProcess(this.spec.bin, args, {
        cwd: this.projectRoot,
        env,
        timeoutMs: Math.max(1000, deadline - performance.now()),
        capture: "file",
        ...(this.opts.maxOutputBytes ? { maxOutputBytes: this.opts.maxOutputBytes } : {}),
        signal: stop.signal,
      });
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

  /**
   * A runner that died of an uncaught error through project code (a server callback throwing under jest's in-band run)
   * wrote no report: its failures are the tests it was running, with that error; null when the output shows no such error.
   */
  private crashOf(proc: ProcessResult, log: ReporterLog, selection: JsSelection): { crash: string; failures: Failure[]; passedNodeIds: string[] } | null {
    const error = uncaughtError(`${proc.stdout}\n${proc.stderr}`, this.frameContext());
    if (!error) return null;
    const where = log.underWay().map((t) => ({ rel: this.relative(t.file), titles: t.titles })).filter((t) => selection.keeps(t.rel, t.titles.length ? t.titles : null));
    if (where.length === 0) return null;
    const failures = where.map((t) => {
      const nodeId = jsNodeId(t.rel, t.titles);
      return crashFailure(nodeId, t.rel, t.titles.join(" > "), error, this.name);
    });
    const crash = `${this.name} died of an uncaught ${error.errorType} (${error.errorMessage.split("\n")[0]!.slice(0, 160)}) while running ${failures.map((f) => f.nodeId).join(", ")}; it wrote no report, so the tests after that did not run`;
    // A test of a file the runner died in is not counted passed: the file's run never finished.
    const inCrashed = (id: string): boolean => failures.some((f) => liesWithin(f.nodeId, id));
    return { crash, failures, passedNodeIds: log.passed().filter((id) => !inCrashed(id)) };
  }

  /** The Timeout failure of a test the watchdog killed (it kept running past its timeout: a synchronous loop blocks the runner's own). */
  private stallFailure(relFile: string, titles: string[], testTimeout: number): Failure {
    const message = `test exceeded the per-test timeout of ${testTimeout} s and did not stop (a synchronous loop blocks ${this.name}'s own timeout); redgreen killed the run and went on without it`;
    return timeoutFailure(jsNodeId(relFile, titles), message, { traceLines: [], frames: [], phase: "call", durationSeconds: testTimeout });
  }

  private buildResult(p: {
    proc: ProcessResult;
    reportFile: string;
    /** The report as the exit-grace check already read it, else null (read from reportFile). */
    completeReport: CompleteReport | null;
    coverageDir: string | null;
    log: ReporterLog;
    selection: JsSelection;
    started: number;
    runTimeout: number;
    /** Whether the caller aborted the run. */
    aborted: boolean;
    /** Seconds the runner kept running after its report was complete before it was stopped, or null when it exited. */
    lingered: number | null;
    /** Seconds of silence after which a run was killed without a test to blame, else null. */
    stall: number | null;
    command: string[];
  }): { result: TestRunResult; reported: boolean } {
    const { proc } = p;
    let reported = true;
    let crashed: { crash: string; failures: Failure[]; passedNodeIds: string[] } | null = null;
    const notes: string[] = [];
    let parts: JestJsonParts | null = null;
    if (p.completeReport || existsSync(p.reportFile)) {
      try {
        parts = parseJestJson(p.completeReport ? p.completeReport.data : readFileSync(p.reportFile, "utf8"), {
          ...this.frameContext(),
          keep: (rel, titles) => p.selection.keeps(rel, titles),
          capturedOutput: (file, titles) => p.log.consoleText(file, titles),
          ...(this.spec.preferReporterErrors ? { errorTexts: (file: string, titles: string[] | null) => p.log.errorTexts(file, titles) } : {}),
        });
        for (const rel of parts.testFiles) this.reportedTestFiles.add(rel);
      } catch (e) {
        notes.push(e instanceof Error ? e.message : String(e));
      }
    }
    const base = parts ?? emptyParts();
    const failures = refineHookPhases(base.failures, (rel) => this.sourceText(rel));
    const anomalies: RunAnomaly[] = [];
    const streamed = p.log.progress();
    if (parts && failures.length === 0 && base.failed + base.errors === 0 && streamed !== null && streamed.failed > 0) {
      anomalies.push({ kind: "channels_disagree", nodeId: null, detail: `the live reporter saw ${streamed!.failed} failing test(s) but ${this.name}'s JSON report lists none` });
    }
    let status: TestRunResult["status"];
    let message: string | undefined;
    if (proc.timedOut) {
      status = "timeout";
      message = `the run exceeded its ${p.runTimeout} s limit and was killed`;
    } else if (p.stall !== null) {
      status = "timeout";
      message = `the run made no progress for ${p.stall} s, beyond the per-test timeout, and was killed`;
    } else if (anomalies.length > 0) {
      status = "error";
      message = `the test results cannot be trusted: ${anomalies.map((a) => a.detail).join("; ")}`;
    } else if (p.aborted) {
      status = "error";
      message = "the run was aborted";
    } else if (!parts) {
      status = "error";
      reported = false;
      // A rejected option is the whole story, in one line; otherwise the runner's last lines tell it.
      const rejected = rejectedOptionsMessage(this.name, this.spec.version, `${proc.stdout}\n${proc.stderr}`);
      const why = [`${this.name} wrote no JSON report (exit code ${String(proc.exitCode)}${proc.signal ? `, ${proc.signal}` : ""})`, ...notes];
      message = rejected ?? [...why, lastLines(proc.stderr || proc.stdout, 12)].filter(Boolean).join("; ");
      crashed = rejected === null ? this.crashOf(proc, p.log, p.selection) : null;
      if (crashed) {
        status = "failed";
        message = crashed.crash;
      }
    } else if (failures.length > 0 || base.failed + base.errors > 0) {
      status = "failed";
    } else if (base.total === 0) {
      status = "no_tests";
    } else if (proc.exitCode === 0 || p.lingered !== null) {
      status = "passed";
    } else if (proc.exitCode === 1) {
      // The report lists no failure, yet the runner failed the run: disagreement is never green.
      status = "error";
      anomalies.push({ kind: "channels_disagree", nodeId: null, detail: `${this.name} exited with code 1 although its JSON report lists no failure` });
      message = `the test results cannot be trusted: ${anomalies.at(-1)!.detail}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
    } else {
      status = "error";
      message = `${this.name} exited with code ${String(proc.exitCode)}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
    }
    let coverage: Coverage | null = null;
    let coverageError: string | undefined;
    if (p.coverageDir) {
      try {
        coverage = parseIstanbulCoverageFiles(p.coverageDir, { projectRoots: this.roots, isTestFile: (rel) => this.isTestFile(rel) });
      } catch (e) {
        coverageError = `coverage report unavailable: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const timedOut = new Set(failures.filter((f) => f.errorType === "Timeout").map((f) => f.nodeId));
    this.slowestSeen = Math.max(this.slowestSeen, slowestDuration(base.testDurations, timedOut));
    if (crashed) {
      failures.push(...crashed.failures);
      base.failed += crashed.failures.length;
      base.passed = crashed.passedNodeIds.length;
      base.passedNodeIds = crashed.passedNodeIds;
      base.total = base.passed + base.failed;
    }
    const result: TestRunResult = {
      status,
      passed: base.passed,
      failed: base.failed,
      errors: base.errors,
      skipped: base.skipped,
      xfailed: 0,
      xpassed: 0,
      total: base.total,
      durationSeconds: (performance.now() - p.started) / 1000,
      failures,
      coverage,
      command: p.command,
      slowTests: slowTests(base.testDurations),
      passedNodeIds: base.passedNodeIds,
      source: "json",
      testFiles: this.definingFiles(parts?.testFiles ?? []),
      anomalies,
    };
    if (coverageError) result.coverageError = coverageError;
    if (crashed) result.crash = crashed.crash;
    // A run that completed but left a handle open is reported as it ended, with a note saying so.
    const handles = this.spec.openHandleNote(`${proc.stdout}\n${proc.stderr}`, p.lingered);
    if (handles && status !== "timeout" && status !== "error") message = message ? `${message}; ${handles}` : handles;
    if (message) result.message = message;
    return { result, reported };
  }

}

