// Where a failure is, from its frames: the failing line in its test file, and the fault (the deepest frame of the project's own code).
import { isAbsolute } from "node:path";
import type { Failure, StackFrame } from "../domain/failure.js";

export type FailureLocation = Pick<Failure, "lineNumber" | "faultFile" | "faultLine">;

/** A frame of the project's own code: a source or test file, or a frame no classifier has placed (kind unknown). */
export const isOwnFrame = (f: StackFrame): boolean => f.kind === undefined || f.kind === "project" || f.kind === "test";

/**
 * `lineNumber`: the deepest frame in `testFile` (the assertion, or the test's call into the code that raised).
 * `faultFile`/`faultLine`: the deepest frame of the project's own code, which may be a source file the test called.
 */
export function failureLocation(frames: readonly StackFrame[], testFile: string): FailureLocation {
  // A frame parsed without the project root (pytest's text alone) keeps its absolute path.
  const isTestFile = (file: string): boolean => file === testFile || (isAbsolute(file) && file.endsWith(`/${testFile}`));
  const inTest = frames.findLast((f) => isTestFile(f.file) && f.line > 0);
  const fault = frames.findLast((f) => isOwnFrame(f) && f.line > 0);
  return { lineNumber: inTest?.line ?? null, faultFile: fault?.file ?? null, faultLine: fault?.line ?? null };
}
