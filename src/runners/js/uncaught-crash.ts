// The uncaught error a JS runner died of before writing its report (a server callback throwing under jest's in-band
// run kills jest itself), read from the runner's output: the failure of the tests that were running when it died.
import type { Failure } from "../../domain/failure.js";
import { liesWithin } from "../../domain/node-id.js";
import { failureLocation } from "../../parsers/failure-location.js";
import { jsNodeId } from "../../parsers/jest-json.js";
import { parseJsError, type JsError, type JsFrameContext } from "../../parsers/v8-stack.js";
import type { ProcessResult } from "../../process/run.js";
import type { JsCrash } from "./js-result.js";
import type { JsSelection } from "./name-filter.js";
import type { ReporterLog } from "./progress.js";

/** `ReferenceError: x is not defined`, `TypeError [ERR_X]: ...`, `Error: ...`: an error header Node prints for an uncaught error. */
const HEADER_RE = /^[A-Z$_][\w$]*(?:Error|Exception)(?: \[[A-Z0-9_]+\])?: \S/;
const AT_RE = /^\s+at /;

/** The last error in the output whose stack passes through project code (not a test file), or null when there is none. */
export function uncaughtError(output: string, ctx: JsFrameContext): JsError | null {
  const lines = output.replace(/\r\n/g, "\n").split("\n");
  for (let i = lines.length - 2; i >= 0; i--) {
    if (!HEADER_RE.test(lines[i]!) || !AT_RE.test(lines[i + 1]!)) continue;
    let end = i + 1;
    while (end < lines.length && AT_RE.test(lines[end]!)) end++;
    const error = parseJsError(lines.slice(i, end).join("\n"), ctx);
    if (error.frames.some((f) => f.kind === "project")) return error;
  }
  return null;
}

/** The crash as the failure of one test that was running when the runner died. */
export function crashFailure(nodeId: string, testFile: string, testName: string, error: JsError, runner: string): Failure {
  return {
    nodeId,
    testFile,
    testName,
    errorType: error.errorType,
    errorMessage: error.errorMessage,
    stackTrace: `${error.stackTrace}\n(uncaught: ${runner} died of it while this test ran)`,
    ...failureLocation(error.frames, testFile),
    frames: error.frames,
    phase: "call",
    durationSeconds: 0,
  };
}

/** Where a crash's frames and test files point: the runner's name, its frame context, and real paths made project-relative. */
export interface CrashContext {
  runner: string;
  frameContext: JsFrameContext;
  relative(absFile: string): string;
}

/**
 * A runner that died of an uncaught error through project code (a server callback throwing under jest's in-band run)
 * wrote no report: its failures are the tests it was running, with that error; null when the output shows no such error.
 */
export function crashOfRun(proc: ProcessResult, log: ReporterLog, selection: JsSelection, ctx: CrashContext): JsCrash | null {
  const error = uncaughtError(`${proc.stdout}\n${proc.stderr}`, ctx.frameContext);
  if (!error) return null;
  const where = log
    .underWay()
    .map((t) => ({ rel: ctx.relative(t.file), titles: t.titles }))
    .filter((t) => selection.keeps(t.rel, t.titles.length ? t.titles : null));
  if (where.length === 0) return null;
  const failures = where.map((t) => {
    const nodeId = jsNodeId(t.rel, t.titles);
    return crashFailure(nodeId, t.rel, t.titles.join(" > "), error, ctx.runner);
  });
  const crash =
    `${ctx.runner} died of an uncaught ${error.errorType} (${error.errorMessage.split("\n")[0]!.slice(0, 160)}) while running ` +
    `${failures.map((f) => f.nodeId).join(", ")}; it wrote no report, so the tests after that did not run`;
  // A test of a file the runner died in is not counted passed: the file's run never finished.
  const inCrashed = (id: string): boolean => failures.some((f) => liesWithin(f.nodeId, id));
  return { crash, failures, passedNodeIds: log.passed().filter((id) => !inCrashed(id)) };
}
