// A pytest run's TestRunResult from what it left: the plugin's event stream, else JUnit XML, else the terminal text,
// with its coverage and the status its exit, anomalies and the watchdog decide.
import { readFileSync } from "node:fs";
import { RedgreenError } from "../../domain/errors.js";
import { splitNodeId } from "../../domain/node-id.js";
import { countsOf, zeroCounts, type Coverage, type TestRunResult } from "../../domain/test-run.js";
import { parseCoverageJson } from "../../parsers/coverage-json.js";
import type { PytestJsonlAccumulator, PytestRunParts } from "../../parsers/pytest-jsonl.js";
import { parsePytestOutput } from "../../parsers/pytest-text.js";
import type { ProcessResult } from "../../process/run.js";
import { slowestDuration } from "../default-test-timeout.js";
import { lastLines } from "../output-tail.js";
import { slowTests } from "../slow-tests.js";
import { pytestChannelCheck } from "./channels.js";

/** What the result needs from its adapter, and what it tells the adapter back about the run. */
export interface PytestResultContext {
  projectRoot: string;
  python: string;
  /** The files the plugin reported defining tests, and pytest's python_files patterns (null when not reported). */
  reported(testFiles: readonly string[], pythonFiles: string[] | null): void;
  /** The slowest finished test of the run, in seconds (the default per-test timeout grows with it). */
  sawSlowest(seconds: number): void;
}

export async function buildPytestResult(
  ctx: PytestResultContext,
  p: {
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
  },
): Promise<TestRunResult> {
  const { proc } = p;
  const durationSeconds = (performance.now() - p.started) / 1000;
  type StreamOnly = "collected" | "collectedNodeIds" | "doneNodeIds" | "phasesSeen" | "workerOf" | "start" | "finish" | "badLines";
  type Omitted = StreamOnly | "anomalies" | "testFiles" | "pythonFiles" | "skippedNodeIds" | "loadedPaths";
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
      parts = parseJUnitXml(readFileSync(p.junit, "utf8"), { rootDir: ctx.projectRoot });
      source = "junit";
    } catch (e) {
      const why = e instanceof RedgreenError ? e.message : `JUnit XML report missing (${e instanceof Error ? e.message : String(e)})`;
      notes.push(why);
      const text = parsePytestOutput(proc.stdout);
      source = "text";
      if (text.total > 0 || text.failures.length > 0) parts = { ...text, testDurations: new Map<string, number>() };
    }
    if (parts && p.pluginProblem !== null) {
      notes.unshift(
        `the redgreen pytest plugin could not load${p.pluginProblem ? ` (${p.pluginProblem})` : ""}; results come from ` +
          `${source === "junit" ? "JUnit XML" : "terminal text"}`,
      );
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
    ctx.reported(jsonlParts.testFiles, jsonlParts.pythonFiles);
  }
  const anomalies = source === "jsonl" ? [...jsonlParts.anomalies, ...pytestChannelCheck(jsonlParts, proc, p.attempts)] : [];
  const coverage = readCoverage(p.covJson, notes);
  const base = parts ?? {
    ...zeroCounts(),
    failures: [],
    passedNodeIds: [],
    testDurations: new Map<string, number>(),
  };
  let status: TestRunResult["status"];
  let message: string | undefined;
  if (proc.timedOut) {
    status = "timeout";
    message = `the run exceeded its ${p.runTimeout} s limit and was killed; results recorded before that are kept`;
  } else if (p.stall !== null) {
    status = "timeout";
    message =
      `a test ran ${p.stall} s past its last progress, beyond its per-test timeout, and was killed with the run; results recorded ` +
      `before that are kept`;
  } else if (p.aborted) {
    status = "error";
    message = "the run was aborted";
  } else if (p.parentKilled) {
    status = "error";
    message = "a test killed the test runner's parent process or its process group; the run was stopped and its results are incomplete";
  } else if (!parts) {
    status = "error";
    message = [
      `pytest produced no readable results (exit code ${String(proc.exitCode)})`,
      ...notes,
      lastLines(proc.stderr || proc.stdout, 8),
    ]
      .filter(Boolean)
      .join("; ");
  } else if (base.failures.length > 0 || base.failed + base.errors > 0) {
    status = "failed";
  } else if (proc.exitCode === 5 || base.total === 0) {
    status = proc.exitCode === 0 || proc.exitCode === 5 ? "no_tests" : "error";
    if (status === "error") message = `pytest exited with code ${String(proc.exitCode)}: ${lastLines(proc.stderr || proc.stdout, 8)}`;
  } else if (proc.exitCode === 0 || proc.exitCode === 1) {
    status = "passed";
  } else {
    status = "error";
    message =
      `pytest exited with code ${String(proc.exitCode)}${proc.signal ? ` (${proc.signal})` : ""}: ` +
      `${lastLines(proc.stderr || proc.stdout, 8)}`;
  }
  if (!message && notes.length > 0 && source !== "jsonl") message = notes.join("; ");
  const runWide = anomalies.filter((a) => a.nodeId === null);
  if (runWide.length > 0 && (status === "passed" || status === "failed" || status === "no_tests")) {
    // Disagreement is never green: the run is reported as an error, with what disagreed.
    status = "error";
    message = `the test results cannot be trusted: ${runWide.map((a) => a.detail).join("; ")}`;
  }

  const timedOut = new Set(base.failures.filter((f) => f.errorType === "Timeout").map((f) => f.nodeId));
  ctx.sawSlowest(slowestDuration(base.testDurations, timedOut));
  const result: TestRunResult = {
    status,
    ...countsOf(base),
    durationSeconds,
    failures: base.failures,
    coverage,
    command: p.command ?? [ctx.python],
    slowTests: slowTests(base.testDurations),
    passedNodeIds: base.passedNodeIds,
    skippedNodeIds: base.skippedNodeIds,
    source,
    testFiles:
      source === "jsonl"
        ? jsonlParts.testFiles
        : [...new Set([...base.failures.map((f) => f.testFile), ...base.passedNodeIds.map((id) => splitNodeId(id).testFile)])].sort(),
    anomalies,
  };
  if (p.covJson && !coverage) result.coverageError = notes.find((n) => n.startsWith("coverage")) ?? "pytest-cov wrote no coverage report";
  if (message) result.message = message;
  return result;
}

function readCoverage(covJson: string | null, notes: string[]): Coverage | null {
  if (!covJson) return null;
  try {
    return parseCoverageJson(covJson);
  } catch (e) {
    notes.push(`coverage report unavailable: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
