// Facts patterns read off a Failure: its full text, the frames in the project, the test it belongs to, Python's hint.
import { frameKind, projectRelativePath } from "../../analysis/frames.js";
import { extractHint, hintName } from "../../analysis/hints.js";
import type { Analysis } from "../../domain/analysis.js";
import type { Failure, StackFrame } from "../../domain/failure.js";

/** A frame inside the project, with its path relative to the project root. */
export interface OwnFrame {
  file: string;
  line: number;
  function: string;
  kind: "project" | "test";
  /** 1-based column, when the runner reported one. */
  column?: number;
}

/** Type, message, traceback, chained exceptions and captured output as one searchable text. */
export function failureText(f: Failure): string {
  const chain = (f.chain ?? []).map((c) => `${c.errorType}: ${c.errorMessage}`).join("\n");
  return [`${f.errorType}: ${f.errorMessage}`, f.stackTrace, chain, f.capturedOutput ?? ""].join("\n");
}

/** The exception class name without its module (sqlalchemy.exc.NoResultFound → NoResultFound). */
export const shortType = (errorType: string): string => errorType.split(".").pop() ?? errorType;

const toOwn = (fr: StackFrame, projectRoot: string): OwnFrame | null => {
  const kind = frameKind(fr, projectRoot);
  if (kind !== "project" && kind !== "test") return null;
  const rel = projectRelativePath(fr.file, projectRoot);
  if (rel === null) return null;
  return { file: rel, line: fr.line, function: fr.function, kind, column: fr.column };
};

/** The failure's frames that lie in the project (project code and tests), outermost first. */
export function ownFrames(f: Failure, projectRoot: string): OwnFrame[] {
  return f.frames.map((fr) => toOwn(fr, projectRoot)).filter((x): x is OwnFrame => x !== null);
}

/** The innermost frame when it is the project's own code (or a test): where the exception was raised. */
export function raisingFrame(f: Failure, projectRoot: string): OwnFrame | null {
  const last = f.frames[f.frames.length - 1];
  return last ? toOwn(last, projectRoot) : null;
}

/** The innermost project (or, when allowed, test) frame, even if library frames follow it. */
export function innermostOwnFrame(f: Failure, projectRoot: string, includeTests: boolean): OwnFrame | null {
  const own = ownFrames(f, projectRoot).filter((fr) => includeTests || fr.kind === "project");
  return own[own.length - 1] ?? null;
}

/** The test a failure belongs to: file, function (parameters stripped) and class. */
export function testTarget(f: Failure): { testFile: string; testFunction: string; testClass?: string } | null {
  const at = f.nodeId.indexOf("::");
  if (at < 0) return null;
  const parts = f.nodeId.slice(at + 2).split("::");
  const fn = (parts[parts.length - 1] ?? "").replace(/\[.*$/, "");
  if (!fn) return null;
  const cls = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return { testFile: f.nodeId.slice(0, at), testFunction: fn, testClass: cls || undefined };
}

/** Python's "Did you mean" suggestion from the failure, the analysis or the message. */
export function suggestedName(f: Failure, a?: Analysis): string | undefined {
  return hintName(f.hint) ?? hintName(a?.hint) ?? extractHint(f.errorMessage).suggestion;
}

/** The first line of the message (pytest appends explanation lines to assertion messages). */
export const messageHead = (f: Failure): string => f.errorMessage.split("\n")[0]?.trim() ?? "";

/** None used as a value: a TypeError or AttributeError whose message names None (not callable, not iterable, no attribute). */
export function noneUsedAsValue(f: Failure): boolean {
  return ["TypeError", "AttributeError"].includes(shortType(f.errorType)) && /'NoneType'|\bNoneType\b|\bNone\b/.test(messageHead(f));
}

/** An assertion that compared a None result (`assert None == {...}`, `where None = f(x)`). */
export function noneAsserted(f: Failure): boolean {
  return (
    shortType(f.errorType) === "AssertionError" &&
    /\bassert None\b|\bNone (?:==|!=|in|is)\b|(?:==|!=) None\b|\bwhere None = /.test(f.errorMessage)
  );
}
