// Which command-line options a JS runner refused, read from its own error output (jest's validator, vitest's cac parser).
/** jest: `Unrecognized option "testTimeout".` or `Following options were not recognized:\n  ["a", "b"]`. */
const JEST_ONE_RE = /Unrecognized option "([^"]+)"/g;
const JEST_MANY_RE = /Following options were not recognized:\s*\[([^\]]*)\]/g;
/** vitest (cac): CACError: Unknown option `--coverage.reportOnFailure` */
const CAC_RE = /Unknown option `([^`]+)`/g;

/** The options a runner's output says it rejected, spelt as on its command line (--name), in order, without repeats. */
export function rejectedOptions(output: string): string[] {
  const names: string[] = [];
  for (const m of output.matchAll(JEST_ONE_RE)) names.push(m[1]!);
  for (const m of output.matchAll(JEST_MANY_RE)) names.push(...[...m[1]!.matchAll(/"([^"]+)"/g)].map((s) => s[1]!));
  for (const m of output.matchAll(CAC_RE)) names.push(m[1]!);
  return [...new Set(names.map((n) => (n.startsWith("-") ? n : `--${n}`)))];
}

/** Why a runner wrote no report, naming the options it rejected when its output says so; null when it rejected none. */
export function rejectedOptionsMessage(runner: string, version: string | null, output: string): string | null {
  const names = rejectedOptions(output);
  if (names.length === 0) return null;
  const who = version === null ? runner : `${runner} ${version}`;
  const what = names.length === 1 ? `the option ${names[0]}` : `the options ${names.join(", ")}`;
  return `${who} rejected ${what} that redgreen passed`;
}
