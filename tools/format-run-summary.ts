// formatRunSummary: a whole workflow's RunSummary as a few lines a supervising model can read and act on.
import type { RunCounts, RunSummary, RunSummaryStatus } from "../src/domain/index.js";
import { runnerArgsNote } from "../src/runners/runner-args.js";
import { cutHead } from "./compact.js";

/** Entries listed per section; the rest are counted. */
const MAX_LISTED = 10;

const HEADLINE: Record<RunSummaryStatus, string> = {
  passed: "PASSED",
  failed: "FAILED",
  max_iterations: "STOPPED at the iteration cap",
  stuck: "STUCK",
  no_tests: "NO TESTS",
  error: "ERROR",
  cancelled: "CANCELLED (stopped by the caller; resumable)",
};

const counts = (c: RunCounts): string =>
  `${c.passed} passed, ${c.failed} failed, ${c.errors} errors${c.skipped > 0 ? `, ${c.skipped} skipped` : ""} of ${c.total}`;

const pct = (n: number | null | undefined): string => (n === null || n === undefined ? "n/a" : `${n.toFixed(1)}%`);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : word.endsWith("x") ? "es" : "s"}`;

/** Lists up to MAX_LISTED lines and counts the rest. */
const listed = (lines: string[]): string[] =>
  lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `  … and ${lines.length - MAX_LISTED} more`];

/** The status as a headline; a stuck run says how many fixes it kept before no further fix helped. */
const headline = (s: RunSummary, kept: number): string =>
  s.status !== "stuck"
    ? HEADLINE[s.status]
    : kept === 0
      ? "STUCK (no fix helped)"
      : `STUCK (${plural(kept, "fix")} kept, then no further fix helped)`;

/** The summary text fix_failing_tests returns: status, iterations, kept fixes, remaining failures, patch path. */
export function formatRunSummary(s: RunSummary): string {
  const out: string[] = [];
  const kept = s.fixes.filter((f) => f.status === "kept");
  const note = runnerArgsNote(s.runnerArgs);
  const head = `${headline(s, kept.length)}${note === null ? "" : ` (${note})`}`;
  out.push(`redgreen workflow ${s.workflowId}: ${head} after ${plural(s.iterations, "iteration")}. ${s.reason}`.trim());
  if (s.initial !== null || s.final !== null) {
    const before = s.initial !== null ? counts(s.initial) : "not run";
    const after = s.final !== null ? counts(s.final) : "not run";
    const coverage =
      s.initial?.coverage != null || s.final?.coverage != null
        ? ` Coverage ${pct(s.initial?.coverage)} → ${pct(s.final?.coverage)}.`
        : " Coverage not measured.";
    out.push(`Tests: before ${before}; after ${after}.${coverage}`);
  }
  if (kept.length > 0) {
    out.push(`Kept fixes (${kept.length}):`);
    out.push(
      ...listed(
        kept.map((f) => `  - ${f.file}: ${f.source}/${f.strategy} (risk ${f.risk}, iteration ${f.iteration}): ${cutHead(f.reason, 160)}`),
      ),
    );
  } else {
    out.push("Kept fixes: none.");
  }
  const rolledBack = s.fixes.filter((f) => f.status === "rolled_back").length;
  const rejected = s.fixes.filter((f) => f.status === "rejected").length;
  if (rolledBack + rejected > 0) out.push(`Also tried and undone: ${rolledBack} rolled back, ${rejected} rejected by validation.`);
  if (s.remainingFailures.length > 0) {
    out.push(`Remaining failures (${s.remainingFailures.length}):`);
    const suspect = (f: RunSummary["remainingFailures"][number]): string => {
      const top = f.suspiciousLines?.[0];
      return top === undefined ? "" : ` (most suspicious line: ${top.file}:${top.line})`;
    };
    const line = (f: RunSummary["remainingFailures"][number]): string =>
      `  - ${f.nodeId}: ${f.errorType}: ${cutHead(f.message.split("\n")[0] ?? "", 160)}${suspect(f)}`;
    out.push(...listed(s.remainingFailures.map(line)));
  } else if (s.final !== null) {
    out.push("Remaining failures: none.");
  }
  if (s.flaky.length > 0)
    out.push(
      `Flaky (passed on a re-run, not fixed): ${s.flaky.slice(0, MAX_LISTED).join(", ")}${s.flaky.length > MAX_LISTED ? ", …" : ""}`,
    );
  out.push(s.patchPath !== null ? `Patch: ${s.patchPath}` : "Patch: none (no fix was kept).");
  for (const note of s.notes.slice(0, 5)) out.push(`Note: ${cutHead(note, 200)}`);
  return out.join("\n");
}
