// A JS failure's cause read from the console output its test captured: an error the code logged (a server's error
// handler answering 500) when the test's own error, an assertion on the response, has no frame in the project's code.
import type { Failure } from "../domain/failure.js";
import { failureLocation } from "./failure-location.js";
import { parseJsError, type JsError, type JsFrameContext } from "./v8-stack.js";

/** The header of a logged error: "TypeError: ...", "Error [ERR_X]: ...", "SyntaxError: ..." (any indentation). */
const HEADER_RE = /^\s*((?:[A-Z$_][\w$]*)?(?:Error|Exception)(?: \[[\w-]+\])?): /;
const AT_RE = /^\s*at \S/;

/** The error texts (header and "at" lines, in order) the output carries: each logged Error with a V8 stack. */
export function loggedErrorTexts(output: string): string[] {
  const lines = output.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!HEADER_RE.test(lines[i]!) || !AT_RE.test(lines[i + 1] ?? "")) continue;
    const stack: string[] = [];
    let j = i + 1;
    for (; j < lines.length && AT_RE.test(lines[j]!); j++) stack.push(`    ${lines[j]!.trim()}`);
    out.push([lines[i]!.trim(), ...stack].join("\n"));
    i = j - 1;
  }
  return out;
}

const inSource = (e: JsError): boolean => e.frames.some((f) => f.kind === "project");

/**
 * The failure with the captured output attached and, when its own error has no frame in the project's source files
 * while the output carries a logged error that has one, that error as its type, message, frames and fault (the first
 * such error: later ones tend to follow from it). The test's own error stays in the stack text and ends the chain.
 */
export function withLoggedCause(failure: Failure, output: string | undefined, ctx: JsFrameContext): Failure {
  if (output === undefined || output.trim() === "") return failure;
  const withOutput: Failure = { ...failure, capturedOutput: output };
  if (failure.frames.some((f) => f.kind === "project")) return withOutput;
  const cause = loggedErrorTexts(output)
    .map((text) => parseJsError(text, ctx))
    .find(inSource);
  if (!cause) return withOutput;
  const { faultFile, faultLine } = failureLocation(cause.frames, failure.testFile);
  return {
    ...withOutput,
    errorType: cause.errorType,
    errorMessage: cause.errorMessage,
    stackTrace: `${cause.stackTrace}\n\nlogged while the test failed with:\n${failure.stackTrace}`,
    faultFile,
    faultLine,
    frames: cause.frames,
    chain: [
      { errorType: cause.errorType, errorMessage: cause.errorMessage },
      { errorType: failure.errorType, errorMessage: failure.errorMessage },
    ],
  };
}
