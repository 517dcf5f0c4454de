// Parser for the faulthandler stack dump the plugin leaves when a test hangs where signals cannot reach it.
import type { FailurePhase, StackFrame } from "../../domain/failure.js";
import { classifyFramePath } from "../../parsers/pytest-frames.js";

const THREAD_RE = /^(?:Current )?[Tt]hread 0x[0-9a-f]+.*\(most recent call first\):\s*$/;
const FRAME_RE = /^\s+File "(.+)", line (\d+) in (.+?)\s*$/;
// The plugin's own modules (redgreen_*.py in src/runners/pytest) are internal like pytest's.
const INTERNAL_RE =
  /(?:\/_pytest\/|\/pluggy\/|\/pytest\/__main__\.py$|\/runners\/pytest\/redgreen_[a-z_]+\.py$|^<frozen runpy>$|\/runpy\.py$)/;

/** A faulthandler dump's thread stacks, each outermost frame first. */
export function parseFaulthandlerThreads(text: string): { file: string; line: number; function: string }[][] {
  const threads: { file: string; line: number; function: string }[][] = [];
  let current: { file: string; line: number; function: string }[] | null = null;
  for (const line of text.split("\n")) {
    if (THREAD_RE.test(line)) {
      current = [];
      threads.push(current);
      continue;
    }
    const m = FRAME_RE.exec(line);
    if (m && current) current.push({ file: m[1]!, line: Number(m[2]), function: m[3]! });
  }
  return threads.map((t) => t.reverse());
}

/**
 * The stack of the hung test from a faulthandler dump: the thread that runs pytest's test protocol,
 * without pytest/pluggy internals and the harness frames around the test. `readLine` fills in source lines.
 */
export function parseHangDump(text: string, rootDir: string, readLine?: (file: string, line: number) => string | undefined): StackFrame[] {
  const threads = parseFaulthandlerThreads(text);
  const testThread = threads.find((t) => t.some((f) => f.file.includes("/_pytest/runner.py"))) ?? threads[threads.length - 1] ?? [];
  const frames: StackFrame[] = [];
  for (const f of testThread) {
    if (INTERNAL_RE.test(f.file)) continue;
    const c = classifyFramePath(f.file, rootDir);
    const frame: StackFrame = { file: c.file, line: f.line, function: f.function, kind: c.kind };
    const code = readLine?.(f.file, f.line);
    if (code) frame.code = code;
    frames.push(frame);
  }
  const firstOwn = frames.findIndex((f) => f.kind === "project" || f.kind === "test");
  return firstOwn > 0 ? frames.slice(firstOwn) : frames;
}

/** The test phase the dumped test thread was in, read from pytest's runner frames; null when not visible. */
export function hangPhase(text: string): FailurePhase | null {
  const threads = parseFaulthandlerThreads(text);
  const testThread = threads.find((t) => t.some((f) => f.file.includes("/_pytest/runner.py")));
  if (!testThread) return null;
  // Outermost first: the last runner hook on the stack is the phase being run.
  let phase: FailurePhase | null = null;
  for (const f of testThread) {
    if (f.function === "pytest_runtest_setup") phase = "setup";
    else if (f.function === "pytest_runtest_call") phase = "call";
    else if (f.function === "pytest_runtest_teardown") phase = "teardown";
  }
  return phase;
}
