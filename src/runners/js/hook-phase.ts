// Which phase a JS test failure happened in, read from the test file: inside a before* hook, an after* hook, or the test body.
import type { Failure, FailurePhase } from "../../domain/failure.js";

const CALL_RE = /(?<![.\w$])(beforeEach|beforeAll|afterEach|afterAll|it|test)(?:\.\w+)*\s*\(/g;
const STRINGS_RE = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`|\/\/.*$/g;

const phaseOfCall = (name: string): FailurePhase => (name.startsWith("before") ? "setup" : name.startsWith("after") ? "teardown" : "call");

/** Brackets opened minus closed in a piece of code. */
function balance(code: string): number {
  let n = 0;
  for (const c of code) {
    if (c === "(" || c === "{" || c === "[") n++;
    else if (c === ")" || c === "}" || c === "]") n--;
  }
  return n;
}

/** The source's lines with strings and line comments blanked out, for bracket counting. */
const codeLines = (source: string): string[] =>
  source.split("\n").map((l) => l.replace(STRINGS_RE, (m) => (m.startsWith("//") ? "" : '""')));

/**
 * The phase of the innermost test or hook call whose brackets are still open at `line` (1-based) of a source's
 * codeLines: setup for beforeEach/beforeAll, teardown for afterEach/afterAll, call for it/test and anywhere else.
 * A bracket count, which is enough for test files.
 */
function phaseAt(lines: string[], line: number): FailurePhase {
  if (line < 1 || line > lines.length) return "call";
  let after = 0;
  for (let k = line - 1; k >= 0; k--) {
    const text = lines[k]!;
    const matches = [...text.matchAll(CALL_RE)];
    // Innermost first: the last call on the line is the most nested one.
    for (let m = matches.length - 1; m >= 0; m--) {
      const match = matches[m]!;
      const rest = text.slice(match.index);
      if (balance(rest) + after > 0) return phaseOfCall(match[1]!);
    }
    after += balance(text);
  }
  return "call";
}

/** Sets the phase of test failures (not collect errors) from where the innermost frame in their own test file points. */
export function refineHookPhases(failures: Failure[], readSource: (relFile: string) => string | null): Failure[] {
  // Each test file is read and blanked once, however many of its tests failed.
  const files = new Map<string, string[] | null>();
  const linesOf = (rel: string): string[] | null => {
    if (!files.has(rel)) {
      const source = readSource(rel);
      files.set(rel, source === null ? null : codeLines(source));
    }
    return files.get(rel) ?? null;
  };
  return failures.map((f) => {
    if (f.phase === "collect" || f.phase === "teardown") return f;
    const frame = [...f.frames].reverse().find((fr) => fr.file === f.testFile);
    if (!frame) return f;
    const lines = linesOf(f.testFile);
    if (lines === null) return f;
    const phase = phaseAt(lines, frame.line);
    return phase === f.phase ? f : { ...f, phase };
  });
}
