// Renders a RunSummary as the human-readable final report of `redgreen run` / `resume` / `report`.
import type { RunCounts, RunSummary } from "../domain/index.js";
import { paintStatus, PLAIN } from "./colour.js";
import type { Palette } from "./colour.js";
import { runnerLine } from "./runner-choice.js";
import { suspectLines } from "./suspects.js";
import { runnerArgsNote } from "../runners/runner-args.js";

const counts = (c: RunCounts | null): string =>
  c === null
    ? "not run"
    : `${c.passed} passed, ${c.failed} failed, ${c.errors} errors, ${c.skipped} skipped` +
      (c.coverage === null ? ", coverage not measured" : `, coverage ${c.coverage.toFixed(1)}%`);

const STATUS_LINE: Record<RunSummary["status"], string> = {
  passed: "GREEN: all tests pass",
  failed: "RED: failures remain",
  max_iterations: "RED: iteration cap reached",
  stuck: "RED: stuck",
  no_tests: "no tests found",
  error: "ERROR",
  cancelled: "RED: cancelled by the caller (resumable)",
};

/** The final report, with the unified diff of every kept fix. */
export function renderRunSummary(s: RunSummary, paint: Palette = PLAIN): string {
  const out: string[] = [];
  const note = runnerArgsNote(s.runnerArgs);
  const why = [s.reason !== "" && s.reason !== "all tests pass" ? s.reason : null, note].filter((x) => x !== null);
  const reason = why.length > 0 ? ` (${why.join("; ")})` : "";
  out.push(`${paintStatus(paint, s.status, STATUS_LINE[s.status])}${reason} after ${s.iterations} iteration(s)`);
  out.push(`  before: ${counts(s.initial)}`);
  out.push(`  after:  ${counts(s.final)}`);
  if (s.runner) out.push(`  ${runnerLine(s.runner)}`);
  if (s.testRuns) out.push(`  test runs: ${s.testRuns.full} full, ${s.testRuns.affected} affected-only, ${s.testRuns.targeted} targeted`);
  if (s.fixes.length > 0) {
    out.push("", "Fixes:");
    for (const f of s.fixes) {
      const shown = f.status === "kept" && f.rule === "progress" ? "progress" : f.status;
      out.push(
        `  [${paintStatus(paint, shown)}] iteration ${f.iteration} ${f.source}/${f.strategy} ${f.file} (risk ${f.risk}): ${f.reason}`,
      );
      if (f.rule !== undefined) out.push(`      rule ${f.rule}${f.evidence?.length ? `; evidence:` : ""}`);
      for (const e of (f.evidence ?? []).slice(0, 5)) out.push(`        ${e}`);
    }
  }
  if (s.remainingFailures.length > 0) {
    out.push("", "Remaining failures:");
    for (const f of s.remainingFailures) {
      out.push(`  ${f.nodeId}: ${f.errorType}: ${f.message}`);
      out.push(...suspectLines(f.suspiciousLines, "    "));
    }
  }
  if (s.flaky.length > 0) out.push("", `Flaky (passed on an unchanged re-run, not fixed): ${s.flaky.join(", ")}`);
  for (const n of s.notes) out.push(`Note: ${n}`);
  if (s.patch !== "") out.push("", "Patch of kept fixes:", s.patch.trimEnd());
  out.push("", `Workflow ${s.workflowId}${s.patchPath ? `; patch written to ${s.patchPath}` : ""}; database ${s.db}`);
  return out.join("\n") + "\n";
}
