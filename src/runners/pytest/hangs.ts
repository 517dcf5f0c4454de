// A pytest run that hung or died: the stall watchdog, the culprit test of a dead run with its Timeout or Crash failure,
// and xdist workers that dumped their stack before dying.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Failure, FailurePhase } from "../../domain/failure.js";
import { splitNodeId } from "../../domain/node-id.js";
import type { PytestJsonlAccumulator, PytestRunParts } from "../../parsers/pytest-jsonl.js";
import type { ProcessResult } from "../../process/run.js";
import { lastLines } from "../output-tail.js";
import { StallWatchdog, stallWindowSeconds } from "../stall-watchdog.js";
import { timeoutFailure } from "../timeout-failure.js";
import { hangPhase, parseHangDump } from "./hang-dump.js";

/** Milliseconds a stalled pytest gets to write the stack dump SIGUSR2 asks for before its group is killed. */
const STALL_DUMP_WAIT_MS = 500;

/** How a test that did not end at its timeout ended its run. */
type HangKind = "stuck" | "stalled";

/** Where a hang's frames point: the project root and its source lines (read fresh for every run). */
export interface HangContext {
  projectRoot: string;
  sourceLine(file: string, line: number): string | undefined;
}

/**
 * Watches a run for a test that outlives its timeout (it ignores SIGALRM, swallows Timeout, cancelled the plugin's
 * watchdog): pytest is asked for a stack dump (SIGUSR2, which the plugin hands to faulthandler), then killed.
 */
export function pytestStallWatchdog(acc: PytestJsonlAccumulator, testTimeout: number, grace: number): StallWatchdog {
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
export function attachWorkerHangs(
  where: HangContext,
  tmp: string,
  jsonl: string,
  acc: PytestJsonlAccumulator,
  parts: PytestRunParts,
  testTimeout: number,
): void {
  for (const [worker, dumpPath] of hangDumps(tmp, jsonl)) {
    if (worker === "main") continue;
    const crashed = parts.failures.find((f) => f.errorType === "WorkerCrashed" && parts.workerOf.get(f.nodeId) === worker);
    if (!crashed) continue;
    const dump = readFileSync(dumpPath, "utf8");
    acc.replaceFailure(
      crashed.nodeId,
      crashed.phase,
      hangFailure(where, crashed.nodeId, "call", dump, crashed.durationSeconds, testTimeout, "stuck"),
    );
  }
}

/**
 * A run that died before its session finished (a hang dumped by faulthandler, a segfault, os._exit):
 * the first collected test that did not finish is the culprit. Records it, and returns it with whether the
 * run should resume without the finished tests and the culprit.
 */
export function recoverFromDeadRun(
  where: HangContext,
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
  const dump = hangDumps(tmp, jsonl).get("main");
  const dumpText = dump ? readFileSync(dump, "utf8") : null;
  // Passing phases reach the stream only with the test's last line, so the dump knows the phase best.
  const phase: FailurePhase =
    (dumpText ? hangPhase(dumpText) : null) ??
    (seen.has("call") || (seen.has("setup") && failedAlready) ? "teardown" : seen.has("setup") ? "call" : "setup");
  if (dumpText || stalled) {
    acc.addFailure(hangFailure(where, culprit, phase, dumpText ?? "", testTimeout, testTimeout, stalled ? "stalled" : "stuck"));
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
function hangDumps(tmp: string, jsonl: string): Map<string, string> {
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

function hangFailure(
  where: HangContext,
  nodeId: string,
  phase: FailurePhase,
  dump: string,
  duration: number,
  seconds: number,
  kind: HangKind,
): Failure {
  const frames = parseHangDump(dump, where.projectRoot, where.sourceLine);
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
