// renderTestReport: the plain-text form of a TestReport that `redgreen test` prints.
import type { TestReport } from "./report.js";

const STATUS_WORD: Record<TestReport["summary"]["status"], string> = {
  passed: "PASSED",
  failed: "FAILED",
  error: "ERROR",
  timeout: "TIMED OUT",
  no_tests: "NO TESTS",
};

/** Lines of an error message kept per failure; the stored run keeps all of it. */
const MESSAGE_LINES = 6;

const count = (n: number, word: string, always = false): string | null => (n > 0 || always ? `${n} ${word}` : null);

/** One line: status, counts, duration. */
export function summaryLine(report: TestReport): string {
  const s = report.summary;
  const parts = [
    count(s.passed, "passed", true),
    count(s.failed, "failed"),
    count(s.errors, s.errors === 1 ? "error" : "errors"),
    count(s.skipped, "skipped"),
    count(s.xfailed, "xfailed"),
    count(s.xpassed, "xpassed"),
  ].filter((p): p is string => p !== null);
  return `${STATUS_WORD[s.status]}  ${parts.join(", ")} in ${s.durationSeconds.toFixed(2)}s`;
}

const indent = (text: string, prefix: string): string[] => {
  const lines = text.split("\n");
  const kept = lines.slice(0, MESSAGE_LINES).map((l) => prefix + l);
  if (lines.length > MESSAGE_LINES) kept.push(`${prefix}… (${lines.length - MESSAGE_LINES} more lines)`);
  return kept;
};

/** The whole report as text, ending in a newline. */
export function renderTestReport(report: TestReport): string {
  const out: string[] = [summaryLine(report)];
  if (report.summary.message !== undefined) out.push(`  ${report.summary.message}`);
  if (report.failureDetails.length > 0) {
    out.push("", "Failures");
    report.failureDetails.forEach((f, i) => {
      out.push(`  ${i + 1}) ${f.nodeId}${f.phase === "call" ? "" : ` [${f.phase}]`}`);
      out.push(...indent(`${f.errorType}: ${f.errorMessage}`.trimEnd(), "     "));
      out.push(`     at ${f.location}${f.raisedAt === null ? "" : ` (raised in ${f.raisedAt})`}`);
      if (f.hint !== undefined) out.push(`     hint: ${f.hint}`);
    });
  }
  out.push("");
  if (report.coverageSummary !== null) {
    const c = report.coverageSummary;
    out.push(`Coverage  ${c.percent.toFixed(1)}% (${c.coveredLines}/${c.totalLines} lines)`);
    for (const f of c.leastCovered) out.push(`  ${f.file}  ${f.percent.toFixed(1)}% (${f.missingLines} lines missing)`);
  } else {
    out.push(`Coverage  not measured${report.coverageError === null ? "" : ` (${report.coverageError})`}`);
  }
  if (report.slowTests.length > 0) {
    out.push("", "Slow tests");
    for (const t of report.slowTests)
      out.push(`  ${t.durationSeconds.toFixed(2)}s  ${t.nodeId}${t.kind === "file" ? " (whole file)" : ""}`);
  }
  out.push("", "Recommendations", ...report.recommendations.map((r) => `  - ${r}`));
  return out.join("\n") + "\n";
}
