// Plain-text views for the REPL: the opening summary, failure lists and details, analyses, history, workflows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Analysis, Failure, Workflow } from "../../domain/index.js";
import type { TestRunRecord } from "../../store/index.js";
import { paintStatus, PLAIN } from "../colour.js";
import type { Palette } from "../colour.js";
import type { FixNow } from "./fix-states.js";
import { suspectLines } from "../suspects.js";

const firstLine = (text: string): string => (text.split("\n").find((l) => l.trim() !== "") ?? "").trim();

/** "5 passed, 3 failed, 1 error, coverage 92.4%" for a stored run; counts above 0 in their status colour. */
export function runCounts(run: TestRunRecord, paint: Palette = PLAIN): string {
  const count = (n: number, status: string, text: string): string => (n > 0 ? paintStatus(paint, status, text) : text);
  const parts = [count(run.passed, "passed", `${run.passed} passed`), count(run.failed, "failed", `${run.failed} failed`)];
  if (run.errors > 0) parts.push(paint.red(`${run.errors} error${run.errors === 1 ? "" : "s"}`));
  if (run.skipped > 0) parts.push(`${run.skipped} skipped`);
  if (run.coveragePercent !== null) parts.push(`coverage ${run.coveragePercent.toFixed(1)}%`);
  return parts.join(", ");
}

/** The numbered failure list (1-based, the numbers /show, /analyze and /fix take). */
export function renderFailures(failures: readonly Failure[]): string {
  if (failures.length === 0) return "No failing tests.\n";
  return failures
    .map((f, i) => `${String(i + 1).padStart(2)}. ${f.nodeId}\n    ${f.errorType}: ${firstLine(f.errorMessage).slice(0, 160)}\n`)
    .join("");
}

/** The screen the REPL opens on. */
export function renderOpening(input: {
  projectRoot: string;
  workflow: Workflow | null;
  run: TestRunRecord | null;
  failures: readonly Failure[];
  model: string | null;
  /** Set when the run predates a change to the files (see ChatSession.runStale). */
  stale?: string | null;
  paint?: Palette;
}): string {
  const paint = input.paint ?? PLAIN;
  const { workflow, run } = input;
  const lines = [`redgreen chat: ${input.projectRoot}`];
  if (workflow) {
    const kept = workflow.fixHistory.filter((f) => f.status === "kept").length;
    lines.push(
      `workflow ${workflow.id}: ${paintStatus(paint, workflow.status)}, ${workflow.iterations} iteration(s), ${kept} fix(es) kept ` +
        `of ${workflow.fixHistory.length} tried (${workflow.updatedAt})`,
    );
  } else {
    lines.push("no workflow for this project yet (redgreen run starts one; /fix starts one too)");
  }
  lines.push(
    run
      ? `last test run #${run.id} (${run.createdAt}): ${runCounts(run, paint)}` +
          `${input.stale ? ` (before ${input.stale}: /run to refresh)` : ""}`
      : "no test run stored yet: /run runs the tests",
  );
  lines.push(`model: ${input.model ?? "none (slash commands work; free-text questions need one, see /help)"}`);
  const shown = input.failures.slice(0, 8);
  if (shown.length > 0) {
    lines.push("", `failing (${input.failures.length}):`, renderFailures(shown).trimEnd());
    if (input.failures.length > shown.length) lines.push(`    … and ${input.failures.length - shown.length} more: /failures`);
  }
  lines.push("", "Type /help for commands, or ask a question about the failures. Ctrl-C cancels, Ctrl-D exits.");
  return `${lines.join("\n")}\n`;
}

/** Lines around `line` (1-based) of a project file, numbered, the line itself marked with ">". */
export function sourceContext(projectRoot: string, file: string, line: number, radius = 3): string | null {
  let text: string;
  try {
    text = readFileSync(join(projectRoot, file), "utf8");
  } catch {
    return null;
  }
  const all = text.split("\n");
  const from = Math.max(1, line - radius);
  const to = Math.min(all.length, line + radius);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === line ? ">" : " "} ${String(n).padStart(width)} | ${all[n - 1]}`);
  return out.join("\n");
}

/** Keeps the last `max` lines of a trace (the frames nearest the error matter most). */
const tail = (text: string, max: number): string => {
  const lines = text.trimEnd().split("\n");
  return lines.length <= max ? lines.join("\n") : [`… (${lines.length - max} lines above)`, ...lines.slice(-max)].join("\n");
};

/** One failure in full: the error, the trace, and the source around the error site and the test line. */
export function renderFailureDetail(n: number, f: Failure, analysis: Analysis, projectRoot: string): string {
  const out = [`#${n} ${f.nodeId} (${f.phase})`, `${f.errorType}: ${f.errorMessage.trimEnd()}`];
  if (f.hint) out.push(`hint: ${f.hint}`);
  out.push("", "trace:", tail(f.stackTrace || "(no trace recorded)", 30));
  if (analysis.fileToFix !== null && analysis.lineNumber !== null) {
    const ctx = sourceContext(projectRoot, analysis.fileToFix, analysis.lineNumber);
    if (ctx) out.push("", `source ${analysis.fileToFix}:${analysis.lineNumber}:`, ctx);
  }
  if (f.lineNumber !== null && f.testFile !== analysis.fileToFix) {
    const ctx = sourceContext(projectRoot, f.testFile, f.lineNumber);
    if (ctx) out.push("", `test ${f.testFile}:${f.lineNumber}:`, ctx);
  }
  return `${out.join("\n")}\n`;
}

/** The StackTraceAnalyzer's verdict on one failure. */
export function renderAnalysis(n: number, f: Failure, a: Analysis): string {
  return [
    `#${n} ${f.nodeId}`,
    `category:      ${a.errorCategory} (${a.errorType})`,
    `root cause:    ${a.rootCause}`,
    `location:      ${a.fileToFix ?? "unknown"}${a.lineNumber !== null ? `:${a.lineNumber}` : ""}`,
    `strategy:      ${a.fixStrategy}`,
    `suggested fix: ${a.suggestedFix}`,
    `confidence:    ${a.confidence.toFixed(2)}`,
    ...suspectLines(a.suspiciousLines, ""),
    "",
  ].join("\n");
}

/** Iterations of the workflow (test counts after each) and the fixes tried in each. */
export function renderHistory(
  series: readonly { iteration: number; passed: number; failing: number; coverage: number | null }[],
  fixes: readonly FixNow[],
  paint: Palette = PLAIN,
): string {
  if (series.length === 0 && fixes.length === 0) return "No history yet: the workflow has no checkpoint and no fix.\n";
  const iterations = [...new Set([...series.map((s) => s.iteration), ...fixes.map((f) => f.iteration)])].sort((a, b) => a - b);
  const out: string[] = [];
  for (const it of iterations) {
    const s = series.find((x) => x.iteration === it);
    const counts = s
      ? `${s.passed} passed, ${s.failing} failing${s.coverage !== null ? `, coverage ${s.coverage.toFixed(1)}%` : ""}`
      : "no full run";
    out.push(`iteration ${it}${it === 0 ? " (initial run)" : ""}: ${counts}`);
    for (const f of fixes.filter((x) => x.iteration === it)) {
      out.push(
        `  ${paintStatus(paint, f.status, f.status.padEnd(11))} ${f.source}/${f.strategy} on ${f.file} (risk ${f.risk}): ${f.reason}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

/** The project's workflows, newest first. */
export function renderWorkflows(workflows: readonly Workflow[], currentId: string | null, paint: Palette = PLAIN): string {
  if (workflows.length === 0) return "No workflow stored for this project.\n";
  return workflows
    .map(
      (w) =>
        `${w.id === currentId ? "*" : " "} ${w.id}  ${paintStatus(paint, w.status, w.status.padEnd(14))} ` +
        `${String(w.iterations).padStart(2)} iter  ${w.fixHistory.filter((f) => f.status === "kept").length} kept  ${w.createdAt}\n`,
    )
    .join("");
}
