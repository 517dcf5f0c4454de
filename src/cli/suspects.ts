// The suspicious lines of a failure (Ochiai scores), as the report and the REPL print them.
import type { SuspiciousLine } from "../domain/index.js";

/** A heading and one row per suspicious line, each indented by `indent`; nothing when there are none. */
export function suspectLines(lines: readonly SuspiciousLine[] | undefined, indent: string): string[] {
  if (lines === undefined || lines.length === 0) return [];
  return [
    `${indent}suspicious lines (Ochiai, from per-test coverage):`,
    ...lines.map((l) => `${indent}  ${l.file}:${l.line} (${l.score.toFixed(2)}) ${l.text}`),
  ];
}
