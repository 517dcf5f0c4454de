// Which failing tests are worth re-running for flakiness: none that cannot flake, a bounded sample per root cause.
import { firstLine, shortErrorType } from "../analysis/error-type.js";
import type { Failure } from "../domain/failure.js";

/** Tests re-run per root-cause group before a fix. */
export const FLAKY_SAMPLE_PER_GROUP = 3;
/** Tests re-run in one flakiness check at most (a flaky group's other members are checked in a second, as bounded, round). */
export const FLAKY_SAMPLE_MAX = 60;

/**
 * Errors that code raises the same way on every run: a failure of only these kinds cannot be flaky. JavaScript's
 * ReferenceError is Python's NameError (a name no scope declares, or one read before its declaration ran).
 */
const DETERMINISTIC_ERRORS = new Set([
  ...["ImportError", "ModuleNotFoundError", "NameError", "SyntaxError", "IndentationError", "TabError"],
  "ReferenceError",
]);

/** Whether a failure cannot be flaky: a collection error, or an import, name or syntax error. */
export const deterministicFailure = (f: Failure): boolean => f.phase === "collect" || DETERMINISTIC_ERRORS.has(shortErrorType(f.errorType));

/** Failures with one root cause share this key: the error type and the deepest own frame (else the message's first line). */
export function flakyGroupKey(f: Failure): string {
  const own = f.frames.findLast((fr) => fr.kind === undefined || fr.kind === "project" || fr.kind === "test");
  return `${shortErrorType(f.errorType)}@${own ? `${own.file}:${own.line}` : firstLine(f.errorMessage)}`;
}

/** The candidates a flakiness check re-runs, and each re-run test's group (all candidates of that group, in order). */
export interface FlakySample {
  sample: string[];
  groupOf: Map<string, string[]>;
  /** Candidates left out because every one of their failures is deterministic. */
  deterministic: string[];
}

/** Samples `candidates` (failing node ids) by their first failure in `failures`: at most `perGroup` a group, `max` in all. */
export function sampleFlakyCandidates(
  failures: readonly Failure[],
  candidates: readonly string[],
  limits: { perGroup?: number; max?: number } = {},
): FlakySample {
  const perGroup = limits.perGroup ?? FLAKY_SAMPLE_PER_GROUP;
  const max = limits.max ?? FLAKY_SAMPLE_MAX;
  const byTest = new Map<string, Failure[]>();
  for (const f of failures) byTest.set(f.nodeId, [...(byTest.get(f.nodeId) ?? []), f]);
  const groups = new Map<string, string[]>();
  const deterministic: string[] = [];
  for (const id of candidates) {
    const own = byTest.get(id) ?? [];
    if (own.length > 0 && own.every(deterministicFailure)) {
      deterministic.push(id);
      continue;
    }
    const key = own.length > 0 ? flakyGroupKey(own[0]!) : `?@${id}`;
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  const sample: string[] = [];
  const groupOf = new Map<string, string[]>();
  // Round-robin over groups, so a cap that bites still leaves every group represented as far as it reaches.
  for (let round = 0; round < perGroup && sample.length < max; round++) {
    for (const members of groups.values()) {
      const id = members[round];
      if (id === undefined || sample.length >= max) continue;
      sample.push(id);
      groupOf.set(id, members);
    }
  }
  return { sample, groupOf, deterministic };
}
