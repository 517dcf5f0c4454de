// groupFailures: failures sharing a root cause (same file, line and error type; or one bad value's origin) form one group.
import type { Analysis } from "../domain/analysis.js";
import { shortErrorType } from "./error-type.js";

/** The group key for a root cause: where to fix it and what went wrong there. */
export const rootCauseKey = (fileToFix: string | null, lineNumber: number | null, errorType: string): string =>
  `${fileToFix ?? "?"}:${lineNumber ?? "?"}:${shortErrorType(errorType)}`;

/**
 * The group key for a coroutine used as a value in tests: one missing await behind many tests, whatever each test
 * then did with the coroutine (subscripted, compared, awaited too late), is one cause, keyed on the project function
 * the tests got it from.
 */
export const coroutineCauseKey = (origin: string): string => `coroutine:${origin}()`;

/** The group key for a None that tests got from one project function and fail on the same way (`shape`: type and message). */
export const noneCauseKey = (origin: string, shape: string): string => `none:${origin}():${shape}`;

/** A set of failures with one root cause; `representative` is the most confident analysis. */
export interface FailureGroup<T extends Pick<Analysis, "groupKey" | "confidence">> {
  groupKey: string;
  representative: T;
  members: T[];
}

/** Groups analyses (or anything carrying groupKey and confidence, e.g. `{ nodeId, ...analysis }`), largest groups first. */
export function groupFailures<T extends Pick<Analysis, "groupKey" | "confidence">>(items: T[]): FailureGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.groupKey);
    if (list) list.push(item);
    else groups.set(item.groupKey, [item]);
  }
  return [...groups.entries()]
    .map(([groupKey, members]) => ({
      groupKey,
      members,
      representative: members.reduce((best, m) => (m.confidence > best.confidence ? m : best)),
    }))
    .sort((a, b) => b.members.length - a.members.length);
}
