// pytest's second result channel: its own exit status and summary line must agree with the plugin's stream.
import type { RunAnomaly } from "../../domain/test-run.js";
import type { PytestRunParts } from "../../parsers/pytest-jsonl.js";
import type { ProcessResult } from "../../process/run.js";

/** The counts of pytest's final summary line ("2 failed, 6 passed, 1 warning in 0.05s"), or null without one. */
export interface PytestSummary {
  passed: number;
  failed: number;
  errors: number;
}

const SUMMARY_RE =
  /^(?:=+ )?((?:\d+ [a-z]+(?: [a-z]+)?)(?:, \d+ [a-z]+(?: [a-z]+)?)*|no tests ran) in \d+(?:\.\d+)?s(?: \([^)]*\))?(?: =+)?\s*$/gm;

/** The last summary line pytest printed, or null. */
export function parsePytestSummary(stdout: string): PytestSummary | null {
  let last: string | null = null;
  for (const m of stdout.matchAll(SUMMARY_RE)) last = m[1]!;
  if (last === null) return null;
  const out: PytestSummary = { passed: 0, failed: 0, errors: 0 };
  for (const part of last.split(", ")) {
    const m = /^(\d+) (.+)$/.exec(part);
    if (!m) continue;
    const n = Number(m[1]);
    if (m[2] === "passed") out.passed = n;
    else if (m[2] === "failed") out.failed = n;
    else if (m[2] === "error" || m[2] === "errors") out.errors = n;
  }
  return out;
}

/**
 * Whether pytest's own outcome agrees with the plugin's stream. Checked when the stream says the session finished in
 * one pytest process (a resumed run spans several): the exit status the stream recorded must be the process's, and
 * pytest's summary line must exist and count the same passes, failures and errors. Code under test that writes
 * events into the stream and leaves (os._exit) is caught here.
 */
export function pytestChannelCheck(parts: PytestRunParts, proc: ProcessResult, attempts: number): RunAnomaly[] {
  if (!parts.finish || attempts !== 1 || proc.timedOut || proc.aborted) return [];
  const problems: string[] = [];
  if (proc.exitCode !== parts.finish.exitstatus) {
    problems.push(
      `pytest exited with ${proc.signal ?? String(proc.exitCode)} but the result stream recorded exit status ${parts.finish.exitstatus}`,
    );
  }
  const summary = parsePytestSummary(proc.stdout);
  const untrusted = parts.failures.filter((f) => f.errorType === "UntrustedPass").length;
  const stream = { passed: parts.passed + untrusted, failed: parts.failed - untrusted, errors: parts.errors };
  if (summary === null) {
    problems.push("pytest printed no summary line although the result stream says the session finished");
  } else if (summary.passed !== stream.passed || summary.failed !== stream.failed || summary.errors !== stream.errors) {
    const show = (c: PytestSummary): string => `${c.passed} passed, ${c.failed} failed, ${c.errors} errors`;
    problems.push(`pytest's summary says ${show(summary)} but the result stream says ${show(stream)}`);
  }
  return problems.map((detail) => ({ kind: "channels_disagree", nodeId: null, detail }));
}

/** Whether a project-relative file matches pytest's python_files patterns (glob on the base name, as pytest does). */
export function matchesPythonFiles(relPath: string, patterns: readonly string[] | null): boolean {
  if (!patterns || !relPath.endsWith(".py")) return false;
  const base = relPath.slice(relPath.lastIndexOf("/") + 1);
  return patterns.some((p) => globToRegExp(p).test(p.includes("/") ? relPath : base));
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
