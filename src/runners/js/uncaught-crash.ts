// The uncaught error a JS runner died of before writing its report (a server callback throwing under jest's in-band
// run kills jest itself), read from the runner's output: the failure of the tests that were running when it died.
import type { Failure } from "../../domain/failure.js";
import { failureLocation } from "../../parsers/failure-location.js";
import { parseJsError, type JsError, type JsFrameContext } from "../../parsers/v8-stack.js";

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
