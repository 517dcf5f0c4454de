// coroutineOrigin: the project function a coroutine that reached a test as a value came from (its failures' one cause).
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

/**
 * The cause shared by the failures one un-awaited coroutine produces, as the function it came from:
 * - "coroutine 'Store.load' was never awaited" anywhere in the failure (an unraisable warning turned error, raised
 *   wherever the coroutine was collected): that coroutine's function;
 * - a failure located in a test whose error is the coroutine used as a value (`'coroutine' object is not
 *   subscriptable`, `assert <coroutine object f at 0x..> == 2`): the project function the test called to get it,
 *   on the failing line or on the line that assigned a name the failing line uses; else the coroutine it names.
 * Null for any other failure: one in project code keeps its own location as its cause.
 */
export function coroutineOrigin(text: string, location: CodeLocation | null, source: SourceReader): string | null {
  const neverAwaited = functionOf(/coroutine '([\w.<>]+)' was never awaited/.exec(text)?.[1]);
  if (neverAwaited) return neverAwaited;
  if (!location || location.kind !== "test" || !showsCoroutineValue(text)) return null;
  const lines = source.lines(location.file);
  const failing = lines?.[location.line - 1];
  if (lines && failing !== undefined) {
    const first = enclosingFunction(lines, location.line)?.start ?? location.line;
    const assigning = [...identifiersIn(failing)].map((name) => assignmentAbove(lines, name, first, location.line));
    for (const line of [failing, ...assigning]) {
      const origin = line === undefined ? undefined : callsOn(line).find((name) => findDefinitions(source, name).length > 0);
      if (origin) return origin;
    }
  }
  return functionOf(coroutineName(text));
}
