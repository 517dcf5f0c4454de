// A vitest/jest run's TestRunResult, from what it left: its JSON report, its exit, the live reporter's log and coverage.
import { existsSync, readFileSync } from "node:fs";
import type { Failure } from "../../domain/failure.js";
import { countsOf, type Coverage, type RunAnomaly, type TestRunResult } from "../../domain/test-run.js";
import { parseIstanbulCoverageFiles } from "../../parsers/istanbul-coverage.js";
import { emptyParts, parseJestJson, type JestJsonParts } from "../../parsers/jest-json.js";
import type { JsFrameContext } from "../../parsers/v8-stack.js";
import type { ProcessResult } from "../../process/run.js";
import { slowestDuration } from "../default-test-timeout.js";
import { lastLines } from "../output-tail.js";
import { slowTests } from "../slow-tests.js";
import { refineHookPhases } from "./hook-phase.js";
import type { JsRunnerSpec } from "./runner-spec.js";
import type { JsSelection } from "./name-filter.js";
import type { ReporterLog } from "./progress.js";
import { rejectedOptionsMessage } from "./rejected-options.js";

/** The runner's JSON report, read once it was complete (the exit-grace check reads it while the runner lingers). */
export interface CompleteReport {
  data: unknown;
}

/**
 * The runner's JSON report once it is complete: the file parses as one JSON object (jest and vitest write it in one
 * piece; jest before 30 without a final newline, so a cut-off write is told apart by parsing, not by its end); else null.
 */
export function readCompleteReport(path: string): CompleteReport | null {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return typeof data === "object" && data !== null && !Array.isArray(data) ? { data } : null;
  } catch {
    return null;
  }
}

/** A runner that died of an uncaught error: the tests it was running, failed with it, and the ones that passed before. */
export interface JsCrash {
  crash: string;
  failures: Failure[];
  passedNodeIds: string[];
}

/** What the result needs from its adapter: the runner, where frames point, and the adapter's memory of earlier runs. */
export interface JsResultContext {
  spec: Pick<JsRunnerSpec, "name" | "version" | "preferReporterErrors" | "openHandleNote">;
  frameContext: JsFrameContext;
  sourceText(rel: string): string | null;
  /** The test files the report names (they stay test files for the adapter). */
  reportedTestFiles(rel: readonly string[]): void;
  /** The slowest finished test of the run, in seconds (the default per-test timeout grows with it). */
  sawSlowest(seconds: number): void;
  definingFiles(reported: readonly string[]): string[];
  crashOf(proc: ProcessResult, log: ReporterLog, selection: JsSelection): JsCrash | null;
}

/** What one run of the runner left behind. */
export interface JsRunOutcome {
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
}

/** The run's TestRunResult; `reported` is false when the runner wrote no JSON report. */
export function buildJsResult(ctx: JsResultContext, p: JsRunOutcome): { result: TestRunResult; reported: boolean } {
  const { proc } = p;
  let reported = true;
  let crashed: JsCrash | null = null;
  const notes: string[] = [];
  let parts: JestJsonParts | null = null;
  if (p.completeReport || existsSync(p.reportFile)) {
    try {
      parts = parseJestJson(p.completeReport ? p.completeReport.data : readFileSync(p.reportFile, "utf8"), {
        ...ctx.frameContext,
        keep: (rel, titles) => p.selection.keeps(rel, titles),
        capturedOutput: (file, titles) => p.log.consoleText(file, titles),
        errorTexts: ctx.spec.preferReporterErrors ? (file: string, titles: string[] | null) => p.log.errorTexts(file, titles) : undefined,
      });
      ctx.reportedTestFiles(parts.testFiles);
    } catch (e) {
      notes.push(e instanceof Error ? e.message : String(e));
    }
  }
  const base = parts ?? emptyParts();
  const failures = refineHookPhases(base.failures, ctx.sourceText);
  const anomalies: RunAnomaly[] = [];
  const streamed = p.log.progress();
  if (parts && failures.length === 0 && base.failed + base.errors === 0 && streamed !== null && streamed.failed > 0) {
    anomalies.push({
      kind: "channels_disagree",
      nodeId: null,
      detail: `the live reporter saw ${streamed!.failed} failing test(s) but ${ctx.spec.name}'s JSON report lists none`,
    });
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
    const rejected = rejectedOptionsMessage(ctx.spec.name, ctx.spec.version, `${proc.stdout}\n${proc.stderr}`);
    const why = [
      `${ctx.spec.name} wrote no JSON report (exit code ${String(proc.exitCode)}${proc.signal ? `, ${proc.signal}` : ""})`,
      ...notes,
    ];
    message = rejected ?? [...why, lastLines(proc.stderr || proc.stdout, 12)].filter(Boolean).join("; ");
    crashed = rejected === null ? ctx.crashOf(proc, p.log, p.selection) : null;
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
    anomalies.push({
      kind: "channels_disagree",
      nodeId: null,
      detail: `${ctx.spec.name} exited with code 1 although its JSON report lists no failure`,
    });
    message = `the test results cannot be trusted: ${anomalies.at(-1)!.detail}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
  } else {
    status = "error";
    message = `${ctx.spec.name} exited with code ${String(proc.exitCode)}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
  }
  let coverage: Coverage | null = null;
  let coverageError: string | undefined;
  if (p.coverageDir) {
    try {
      coverage = parseIstanbulCoverageFiles(p.coverageDir, {
        projectRoots: ctx.frameContext.projectRoots,
        isTestFile: ctx.frameContext.isTestFile,
      });
    } catch (e) {
      coverageError = `coverage report unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const timedOut = new Set(failures.filter((f) => f.errorType === "Timeout").map((f) => f.nodeId));
  ctx.sawSlowest(slowestDuration(base.testDurations, timedOut));
  if (crashed) {
    failures.push(...crashed.failures);
    base.failed += crashed.failures.length;
    base.passed = crashed.passedNodeIds.length;
    base.passedNodeIds = crashed.passedNodeIds;
    base.total = base.passed + base.failed;
  }
  const result: TestRunResult = {
    status,
    ...countsOf(base),
    durationSeconds: (performance.now() - p.started) / 1000,
    failures,
    coverage,
    command: p.command,
    slowTests: slowTests(base.testDurations),
    passedNodeIds: base.passedNodeIds,
    source: "json",
    testFiles: ctx.definingFiles(parts?.testFiles ?? []),
    anomalies,
  };
  if (coverageError) result.coverageError = coverageError;
  if (crashed) result.crash = crashed.crash;
  // A run that completed but left a handle open is reported as it ended, with a note saying so.
  const handles = ctx.spec.openHandleNote(`${proc.stdout}\n${proc.stderr}`, p.lingered);
  if (handles && status !== "timeout" && status !== "error") message = message ? `${message}; ${handles}` : handles;
  if (message) result.message = message;
  return { result, reported };
}
