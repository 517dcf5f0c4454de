// upstreamCauseKey: many tests failing on one bad value (an un-awaited coroutine, a None) from one project function
// share that function as their cause, whatever line of each test it fails on.
import { firstLine, shortErrorType } from "./error-type.js";
import { coroutineCauseKey, noneCauseKey } from "./group.js";
import type { CodeLocation } from "./locate.js";
import { enclosingFunction, findDefinitions, identifiersIn, type SourceReader } from "./source.js";

const COROUTINE_VALUE_RE =
  /'coroutine' object|object of type 'coroutine'|'coroutine' and '|and 'coroutine'|<coroutine object |coroutine '[^']+' was never awaited/;
const NAMED_RE = /coroutine '([\w.<>]+)' was never awaited|<coroutine object ([\w.<>]+) at 0x/;

/** Whether a failure's text shows a coroutine used as a value (attribute, subscript, iteration, comparison, never awaited). */
export const showsCoroutineValue = (text: string): boolean => COROUTINE_VALUE_RE.test(text);

/** The coroutine's qualified name when the failure text names it. */
export const coroutineName = (text: string): string | undefined => {
  const m = NAMED_RE.exec(text);
  return m?.[1] ?? m?.[2];
};

/** The last assignment of `name` above `line` in the lines first..line-1 (1-based), as text. */
const assignmentAbove = (lines: string[], name: string, first: number, line: number): string | undefined => {
  const assign = new RegExp(`^\\s*${name}\\s*(?::[^=]+)?=[^=]`);
  for (let at = line - 1; at >= first; at--) if (assign.test(lines[at - 1]!)) return lines[at - 1]!;
  return undefined;
};

/** Calls on a line, innermost and last first (`asyncio.run(total(s))` → total, run), each name once. */
const callsOn = (line: string): string[] => [...new Set([...line.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]!).reverse())];

/** The function a coroutine's qualified name belongs to; null for a decorator's inner function (`deco.<locals>.wrapper`). */
const functionOf = (qualname: string | undefined): string | null =>
  qualname && !qualname.includes("<locals>") ? qualname.split(".").pop()! : null;

/** The project function a test called to get the value its failing line uses: on that line, or on the line that assigned a name it uses. */
function calledProjectFunction(location: CodeLocation, source: SourceReader): string | null {
  const lines = source.lines(location.file);
  const failing = lines?.[location.line - 1];
  if (!lines || failing === undefined) return null;
  const first = enclosingFunction(lines, location.line)?.start ?? location.line;
  const assigning = [...identifiersIn(failing)].map((name) => assignmentAbove(lines, name, first, location.line));
  for (const line of [failing, ...assigning]) {
    const origin = line === undefined ? undefined : callsOn(line).find((name) => findDefinitions(source, name).length > 0);
    if (origin) return origin;
  }
  return null;
}

/**
 * The group key of the cause shared by the failures one bad value produces, or null when the failure's own location is
 * its cause (any failure in project code, and every other failure):
 * - "coroutine 'Store.load' was never awaited" anywhere in the text (an unraisable warning turned error, raised
 *   wherever the coroutine was collected): that coroutine's function;
 * - a failure located in a test whose error is a coroutine used as a value (`'coroutine' object is not
 *   subscriptable`, `assert <coroutine object f at 0x..> == 2`): the project function the test called to get it, else
 *   the coroutine the text names; whatever the test did with it;
 * - a failure located in a test on a None (`'NoneType' object has no attribute 'name'`): the project function the
 *   test called to get it, with the error's shape (type and message).
 */
export function upstreamCauseKey(text: string, errorType: string, location: CodeLocation | null, source: SourceReader): string | null {
  const neverAwaited = functionOf(/coroutine '([\w.<>]+)' was never awaited/.exec(text)?.[1]);
  if (neverAwaited) return coroutineCauseKey(neverAwaited);
  if (!location || location.kind !== "test") return null;
  if (showsCoroutineValue(text)) {
    const origin = calledProjectFunction(location, source) ?? functionOf(coroutineName(text));
    return origin ? coroutineCauseKey(origin) : null;
  }
  const head = firstLine(text).replace(/ at 0x[0-9a-f]+/g, "");
  if (!/'NoneType'/.test(head)) return null;
  const origin = calledProjectFunction(location, source);
  return origin ? noneCauseKey(origin, `${shortErrorType(errorType)}: ${head}`) : null;
}
