// Progress: a fix that fixes no target but moves a target's failure further on; kept as progress, never as fixed.
import { stableIdSet, stableNodeId } from "../domain/node-id.js";
import { failuresWithStableId } from "./compare-runs.js";
import { escapeRegExp } from "../parsers/escape-regexp.js";
import type { Failure, FailurePhase, StackFrame, TestRunResult } from "../domain/index.js";

/** Lookup errors whose message names the missing thing: a new name at the same statement means the old one resolved. */
const NAME_ERRORS = new Set(["NameError", "ImportError", "ModuleNotFoundError", "UnboundLocalError", "ReferenceError"]);

/** Where a line of the code before the fix is after it (the fix may have inserted lines above the failure). */
export type LineMap = (file: string, line: number) => number;
const unchanged: LineMap = (_file, line) => line;

const PHASE_ORDER: Record<FailurePhase, number> = { collect: 0, setup: 1, call: 2, teardown: 3 };

const firstLine = (text: string): string => text.split("\n")[0] ?? "";
const signatureOf = (f: Failure): string => `${f.phase}\0${f.errorType}\0${firstLine(f.errorMessage)}`;
/** A failure in one line: its error type and the first line of its message. */
export const describeError = (f: Failure): string => `${f.errorType}: ${firstLine(f.errorMessage).slice(0, 160)}`;

/** Where a failure happened: its innermost frame in the project's own code or tests (null when it has none). */
function failurePoint(f: Failure): StackFrame | null {
  const own = f.frames.filter((fr) => fr.kind === undefined || fr.kind === "project" || fr.kind === "test");
  return own[own.length - 1] ?? null;
}

/**
 * Whether `after` is the same test failing further on than `before`:
 * - in a later phase (setup now passes, the call fails; the call now passes, the teardown fails), or
 * - in the same phase, with a frame of the function where `before` failed stopped at a later line of it (the code ran
 *   past the old failure and failed afterwards, there or deeper), or
 * - at the very statement of `before`, with the same lookup error for another name, the old name still in that
 *   statement (`from m import a, b` with `a` now found: NameError 'a' -> NameError 'b'; renaming `a` away is no progress).
 * Lines are compared where the fix left them (`where`). An error that moved anywhere else (earlier, into lines the fix
 * inserted, or into code the old failure never reached) is a different failure.
 */
export function advanced(before: Failure, after: Failure, where: LineMap = unchanged): boolean {
  if (PHASE_ORDER[after.phase] !== PHASE_ORDER[before.phase]) return PHASE_ORDER[after.phase] > PHASE_ORDER[before.phase];
  if (signatureOf(after) === signatureOf(before)) return false;
  const point = failurePoint(before);
  if (point === null) return false;
  const line = where(point.file, point.line);
  const sameFunction = after.frames.filter((fr) => fr.file === point.file && fr.function === point.function);
  if (sameFunction.some((fr) => fr.line > line)) return true;
  const samePoint = failurePoint(after);
  const oldName = /'([^']+)'/.exec(firstLine(before.errorMessage))?.[1];
  return (
    NAME_ERRORS.has(before.errorType) &&
    after.errorType === before.errorType &&
    samePoint !== null &&
    samePoint.file === point.file &&
    samePoint.function === point.function &&
    samePoint.line === line &&
    oldName !== undefined &&
    new RegExp(`\\b${escapeRegExp(oldName)}\\b`).test(samePoint.code ?? "")
  );
}

/**
 * How a still-failing target progressed between the baseline and a run, as one evidence line, or null when it did not:
 * its failure advanced (see `advanced`), or it fails strictly fewer ways than before and each remaining failure is one
 * it already had. A target with no failure in the run but no pass either (not collected) made no progress.
 */
export function progressOf(baseline: TestRunResult, run: TestRunResult, nodeId: string, where: LineMap = unchanged): string | null {
  const before = failuresWithStableId(baseline, nodeId);
  const after = failuresWithStableId(run, nodeId);
  if (before.length === 0 || after.length === 0 || after.length > before.length) return null;
  if (advanced(before[0]!, after[0]!, where) && after.slice(1).every((a) => before.some((b) => signatureOf(a) === signatureOf(b)))) {
    return `${nodeId}: ${describeError(before[0]!)} -> ${describeError(after[0]!)}`;
  }
  const known = new Set(before.map(signatureOf));
  if (after.length < before.length && after.every((a) => known.has(signatureOf(a)))) {
    return `${nodeId}: ${before.length} failure(s) -> ${after.length}, none new`;
  }
  return null;
}

/**
 * Failing node ids of the full run that the baseline did not have failing (known-flaky ones aside): a progress fix may
 * move its targets' failures, never add failures elsewhere.
 */
export function newFailures(baseline: TestRunResult, full: TestRunResult, exempt: ReadonlySet<string>): string[] {
  const before = stableIdSet(baseline.failures.map((f) => f.nodeId));
  const exemptIds = stableIdSet(exempt);
  return [...new Set(full.failures.map((f) => f.nodeId))].filter((id) => !before.has(stableNodeId(id)) && !exemptIds.has(stableNodeId(id)));
}
