// Frame helpers shared by the pytest parsers: frame kinds, the failing line, and the Failure they make.
import type { Failure, FailurePhase, StackFrame } from "../domain/failure.js";
import { isPytestTestModule } from "../analysis/language.js";
import { splitNodeId } from "../domain/node-id.js";
import { failureLocation } from "./failure-location.js";

/**
 * The kind of a frame's file when the plugin did not classify it (JUnit, terminal text, stack dumps):
 * installed packages are "library", the interpreter's own lib folder "stdlib", relative or in-project
 * paths "test"/"project" by pytest's naming rules.
 */
export function classifyFramePath(file: string, rootDir?: string): { file: string; kind: NonNullable<StackFrame["kind"]> } {
  const norm = file.replace(/\\/g, "/");
  if (norm.startsWith("<")) return { file, kind: norm.startsWith("<frozen") ? "stdlib" : "library" };
  if (/\/(site|dist)-packages\//.test(norm)) return { file, kind: "library" };
  let rel: string | null = null;
  if (rootDir) {
    const root = rootDir.replace(/\\/g, "/").replace(/\/+$/, "") + "/";
    if (norm.startsWith(root)) rel = norm.slice(root.length);
  }
  if (rel === null && !norm.startsWith("/") && !/^[A-Za-z]:\//.test(norm)) rel = norm;
  if (rel !== null) return { file: rel, kind: isPytestTestModule(rel) ? "test" : "project" };
  if (/\/lib\/python\d+(\.\d+)?\//.test(norm) || /\/Lib\//.test(norm)) return { file, kind: "stdlib" };
  // Installed code lives in site-packages or the interpreter's lib folder; another absolute path is
  // most likely the project's own (text output without a known rootdir).
  return { file, kind: isPytestTestModule(norm) ? "test" : "project" };
}

const SYNTAX_ERRORS = new Set(["SyntaxError", "IndentationError", "TabError"]);

/**
 * Drops frames that only show how pytest got to the failure: leading library/stdlib frames (importlib,
 * plugin hook wrappers) before the first project or test frame, and for a syntax error every frame but
 * the project's own (the rest is the importer).
 */
export function focusFrames(frames: StackFrame[], errorType: string): StackFrame[] {
  const own = (f: StackFrame): boolean => f.kind === "project" || f.kind === "test";
  if (SYNTAX_ERRORS.has(errorType.split(".").pop() ?? "")) {
    const mine = frames.filter(own);
    return mine.length > 0 ? mine : frames;
  }
  const first = frames.findIndex(own);
  return first > 0 ? frames.slice(first) : frames;
}

const HINT_RE = /(?:^|\. |\s)(Did you mean: '[^']+'\?|Did you forget to import '[^']+'\??|Or did you forget to import '[^']+'\??)/;

/** Python's own suggestion inside an exception message ("... Did you mean: 'x'?"), when it printed one. */
export function hintFromMessage(message: string): string | undefined {
  const m = HINT_RE.exec(message);
  return m ? m[1] : undefined;
}

/** Adds a kind (and a project-relative path) to frames that have none. */
export function withFrameKinds(frames: StackFrame[], rootDir?: string): StackFrame[] {
  return frames.map((f) => {
    if (f.kind) return f;
    const c = classifyFramePath(f.file, rootDir);
    return { ...f, file: c.file, kind: c.kind };
  });
}

/** A CPython-style traceback text built from frames, for failures that came without pytest's own text. */
export function formatFramesAsTraceback(frames: StackFrame[], errorType: string, errorMessage: string): string {
  const lines = ["Traceback (most recent call last):"];
  for (const f of frames) {
    lines.push(`  File "${f.file}", line ${f.line}, in ${f.function}`);
    if (f.code) lines.push(`    ${f.code}`);
  }
  lines.push(errorMessage ? `${errorType}: ${errorMessage}` : errorType);
  return lines.join("\n");
}

/**
 * A pytest Failure from its parsed parts, the same way every pytest parser builds it: the node id split into file and
 * name, the location from the frames, and the trace text as given (or one formatted from the frames when it is empty).
 */
export function pythonFailure(p: {
  nodeId: string;
  errorType: string;
  errorMessage: string;
  trace: string;
  frames: StackFrame[];
  phase: FailurePhase;
  durationSeconds: number;
}): Failure {
  const { testFile, testName } = splitNodeId(p.nodeId);
  return {
    nodeId: p.nodeId,
    testFile,
    testName,
    errorType: p.errorType,
    errorMessage: p.errorMessage,
    stackTrace: p.trace.trim() || formatFramesAsTraceback(p.frames, p.errorType, p.errorMessage),
    ...failureLocation(p.frames, testFile),
    frames: p.frames,
    phase: p.phase,
    durationSeconds: p.durationSeconds,
  };
}
