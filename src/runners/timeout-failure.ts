// The Timeout failure every adapter reports for a test it had to stop from outside (a hang dump, a stall).
import type { Failure, FailurePhase, StackFrame } from "../domain/failure.js";
import { splitNodeId } from "../domain/node-id.js";
import { failureLocation } from "../parsers/failure-location.js";

/** A Timeout failure for `nodeId`; the stack trace ends with "Timeout: message" after the given lines. */
export function timeoutFailure(
  nodeId: string,
  message: string,
  p: { traceLines: string[]; frames: StackFrame[]; phase: FailurePhase; durationSeconds: number },
): Failure {
  const { testFile, testName } = splitNodeId(nodeId);
  return {
    nodeId,
    testFile,
    testName,
    errorType: "Timeout",
    errorMessage: message,
    stackTrace: [...p.traceLines, `Timeout: ${message}`].join("\n"),
    ...failureLocation(p.frames, testFile),
    frames: p.frames,
    phase: p.phase,
    durationSeconds: Math.max(0, p.durationSeconds),
  };
}
