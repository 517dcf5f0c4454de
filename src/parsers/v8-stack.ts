// V8 stack traces (Node, vitest, jest): error header, "at ..." frames, and classified StackFrames outermost first.
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRelativePath } from "../analysis/frames.js";
import type { StackFrame } from "../domain/failure.js";

/** One "at ..." line as V8 printed it. */
export interface V8Frame {
  /** Path or URL-decoded file path; "node:internal/..." kept as is. */
  file: string;
  line: number;
  column: number;
  function: string;
}

/** What a JS parser needs to classify frames and show their source lines. */
export interface JsFrameContext {
  /** Absolute project root; more than one when the root is reached through a symlink. */
  projectRoots: string[];
  /** Whether a project-relative path is a test file for this runner. */
  isTestFile(relPath: string): boolean;
  /** The text of a source line (1-based) of an absolute file, when readable. */
  sourceLine?(absFile: string, line: number): string | undefined;
}

/** A JS error split into its parts, frames outermost first. */
export interface JsError {
  errorType: string;
  errorMessage: string;
  stackTrace: string;
  frames: StackFrame[];
}

const AT_RE = /^\s*at (.*)$/;
const CALL_RE = /^(?:async )?(?:new )?(.*?) \((.*)\)$/;
const LOCATION_RE = /^(.*):(\d+):(\d+)$/;
const TYPE_RE = /^([A-Z$_][\w$]*(?:\.[A-Z$_][\w$]*)*): ?([\s\S]*)$/;
const TIMEOUT_RE = /^(?:Test timed out in \d+ms|Hook timed out in \d+ms|thrown: "Exceeded timeout of \d+ ?ms for a (?:test|hook))/;
const MAX_MESSAGE = 4000;

/** Turns "file:///a/b.ts" into "/a/b.ts"; leaves paths and node: specifiers alone. */
function locationFile(raw: string): string {
  if (raw.startsWith("file://")) {
    try {
      return fileURLToPath(raw);
    } catch {
      return raw.slice("file://".length);
    }
  }
  return raw;
}

/** Parses the location part of a frame ("file:line:col", "<anonymous>", "eval at f (file:1:2), <anonymous>:3:4"). */
function parseLocation(loc: string): { file: string; line: number; column: number } | null {
  // An eval frame: the location that matters is where eval was called.
  const evalAt = /^eval at [^(]*\((.*?)\)(?:, .*)?$/.exec(loc);
  if (evalAt) return parseLocation(evalAt[1]!);
  const m = LOCATION_RE.exec(loc.trim());
  if (!m) return null;
  return { file: locationFile(m[1]!), line: Number(m[2]), column: Number(m[3]) };
}

/** Parses one "at ..." line (without requiring the leading spaces), or null when it has no file position. */
export function parseV8FrameLine(text: string): V8Frame | null {
  const at = AT_RE.exec(text);
  if (!at) return null;
  const body = at[1]!.trim();
  const call = CALL_RE.exec(body);
  const fn = call ? call[1]!.trim() : "";
  const loc = parseLocation(call ? call[2]! : body.replace(/^async /, ""));
  if (!loc) return null;
  return { ...loc, function: fn || "<anonymous>" };
}

/** Every frame of a stack text with a file position, innermost first as V8 prints them. */
export function parseV8Stack(stack: string): V8Frame[] {
  const out: V8Frame[] = [];
  for (const line of stack.split("\n")) {
    const f = parseV8FrameLine(line);
    if (f) out.push(f);
  }
  return out;
}

/**
 * An absolute file's path relative to the first of the roots it lies in (forward slashes), or null outside them (and for a relative path).
 */
export function relativeToRoots(file: string, roots: string[]): string | null {
  if (!isAbsolute(file)) return null;
  for (const root of roots) {
    const rel = projectRelativePath(file, root);
    if (rel !== null) return rel;
  }
  return null;
}

/** Kind and reported path of a frame's file: node: and internal modules are stdlib, node_modules and outside files library. */
export function classifyJsFile(
  file: string,
  ctx: JsFrameContext,
): { file: string; absFile: string | null; kind: NonNullable<StackFrame["kind"]> } {
  if (file.startsWith("node:") || file.startsWith("internal/") || !/[\\/]/.test(file)) return { file, absFile: null, kind: "stdlib" };
  const abs = isAbsolute(file) ? file : resolve(ctx.projectRoots[0] ?? ".", file);
  const rel = relativeToRoots(abs, ctx.projectRoots);
  if (rel === null) return { file: abs, absFile: abs, kind: "library" };
  if (rel.split("/").includes("node_modules")) return { file: rel, absFile: abs, kind: "library" };
  return { file: rel, absFile: abs, kind: ctx.isTestFile(rel) ? "test" : "project" };
}

/** V8 frames (innermost first) as classified StackFrames, outermost first. */
export function toStackFrames(frames: V8Frame[], ctx: JsFrameContext): StackFrame[] {
  const out: StackFrame[] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i]!;
    const c = classifyJsFile(f.file, ctx);
    const frame: StackFrame = { file: c.file, line: f.line, column: f.column, function: f.function, kind: c.kind };
    const code = c.absFile && c.kind !== "library" ? ctx.sourceLine?.(c.absFile, f.line) : undefined;
    if (code) frame.code = code;
    out.push(frame);
  }
  return out;
}

/** Splits an error text into its header (type and message) and the "at" lines, plus any "[cause]:" sections. */
export function splitErrorText(text: string): { header: string; stack: string; causes: string[] } {
  const [main, ...causes] = text.split(/\n\s*\[cause\]: /);
  const lines = main!.split("\n");
  const first = lines.findIndex((l) => AT_RE.test(l));
  const headerLines = first === -1 ? lines : lines.slice(0, first);
  return { header: headerLines.join("\n").trim(), stack: first === -1 ? "" : lines.slice(first).join("\n"), causes };
}

/** The error type and message of a header like "TypeError: x is not a function"; runner conventions decide the rest. */
export function errorTypeAndMessage(header: string): { errorType: string; errorMessage: string } {
  const m = TYPE_RE.exec(header);
  let errorType = m ? m[1]! : "Error";
  let message = (m ? m[2]! : header).trim();
  // jest throws its matcher failures as plain Errors whose message starts with the matcher call.
  if (errorType === "Error" && /^expect\(/.test(message)) errorType = "AssertionError";
  if (TIMEOUT_RE.test(message)) errorType = "Timeout";
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
  return { errorType, errorMessage: message };
}

/**
 * Parses one failure text (header + V8 stack, jest's "[cause]:" sections) into type, message and frames.
 * When the main stack has no frame in the project (a jest timeout is thrown from jest-circus), the frames
 * come from the first cause that has one.
 */
export function parseJsError(text: string, ctx: JsFrameContext): JsError {
  const parts = splitErrorText(text.replace(/\r\n/g, "\n"));
  const { errorType, errorMessage } = errorTypeAndMessage(parts.header);
  const own = (fs: StackFrame[]): boolean => fs.some((f) => f.kind === "test" || f.kind === "project");
  let frames = toStackFrames(parseV8Stack(parts.stack), ctx);
  if (!own(frames)) {
    for (const cause of parts.causes) {
      const cf = toStackFrames(parseV8Stack(splitErrorText(cause).stack), ctx);
      if (own(cf)) {
        frames = cf;
        break;
      }
    }
  }
  return { errorType, errorMessage, stackTrace: text.trim(), frames };
}
