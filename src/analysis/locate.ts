// extractLocationFromTrace: where to fix a failure — the innermost frame in the project's own code.
import type { StackFrame } from "../domain/failure.js";
import { parsePythonTraceback } from "../parsers/traceback.js";
import { frameKind, projectRelativePath } from "./frames.js";

/** A place in the project: path relative to the project root, 1-based line, enclosing function. */
export interface CodeLocation {
  file: string;
  line: number;
  function: string;
  /** The source line when the traceback showed it. */
  code?: string;
  /** Whether the location is in a test file (the fault is in the test or its fixtures) or in project code. */
  kind: "project" | "test";
}

export interface LocateContext {
  projectRoot: string;
}

/**
 * The innermost frame inside the project that is not a test, not site-packages and not the stdlib; the innermost
 * test frame when the fault is in the test itself; null when no frame is in the project. Text input is parsed as
 * a Python traceback (a SyntaxError's own file/line is its innermost frame).
 */
export function extractLocationFromTrace(input: string | StackFrame[], ctx: LocateContext): CodeLocation | null {
  const frames = typeof input === "string" ? parsePythonTraceback(input).frames : input;
  return locateInFrames(frames, ctx);
}

/** Same as extractLocationFromTrace for already-parsed frames, outermost first. */
export function locateInFrames(frames: StackFrame[], ctx: LocateContext): CodeLocation | null {
  let testFallback: CodeLocation | null = null;
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const kind = frameKind(frame, ctx.projectRoot);
    if (kind !== "project" && kind !== "test") continue;
    const file = projectRelativePath(frame.file, ctx.projectRoot) ?? frame.file;
    const location: CodeLocation = { file, line: frame.line, function: frame.function, kind };
    if (frame.code !== undefined) location.code = frame.code;
    if (kind === "project") return location;
    testFallback ??= location;
  }
  return testFallback;
}
