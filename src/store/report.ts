// Test reports (summary, failure details, coverage, recommendations) and coverage deltas, computed from a TestRunResult alone.
import type { Coverage, Failure, SlowTest, TestRunCounts, TestRunResult, TestRunStatus } from "../domain/index.js";

/** Below this line coverage the report recommends adding tests. */
export const COVERAGE_TARGET_PERCENT = 80;

export interface ReportSummary extends TestRunCounts {
  status: TestRunStatus;
  durationSeconds: number;
  /** Percent of run tests (passed + failed + errors) that passed; null when none ran. */
  passRate: number | null;
  message?: string;
}

export interface FailureDetail {
  nodeId: string;
  errorType: string;
  errorMessage: string;
  phase: Failure["phase"];
  /** The test's location, "testFile:lineNumber", or the test file alone when no frame is in it. */
  location: string;
  /** The fault's location, "faultFile:faultLine", when it differs from location. */
  raisedAt: string | null;
  hint?: string;
}

export interface CoverageSummary {
  percent: number;
  coveredLines: number;
  totalLines: number;
  /** Up to five files below the target, least covered first. */
  leastCovered: { file: string; percent: number; missingLines: number }[];
}

/** A test report: summary, failure details, coverage summary and recommendations. */
export interface TestReport {
  summary: ReportSummary;
  failureDetails: FailureDetail[];
  coverageSummary: CoverageSummary | null;
  coverageError: string | null;
  slowTests: SlowTest[];
  recommendations: string[];
}

export interface CoverageDelta {
  before: number | null;
  after: number | null;
  /** after - before in percentage points; null when either side was not measured. */
  delta: number | null;
  /** Files whose percent changed (or that appeared or vanished), biggest change first; empty when a side is null. */
  files: { file: string; before: number | null; after: number | null; delta: number }[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

const failureDetail = (f: Failure): FailureDetail => {
  const location = f.lineNumber === null ? f.testFile : `${f.testFile}:${f.lineNumber}`;
  const raised = f.faultFile === null ? null : f.faultLine === null ? f.faultFile : `${f.faultFile}:${f.faultLine}`;
  return {
    nodeId: f.nodeId,
    errorType: f.errorType,
    errorMessage: f.errorMessage,
    phase: f.phase,
    location,
    raisedAt: raised === location ? null : raised,
    ...(f.hint === undefined ? {} : { hint: f.hint }),
  };
};

const coverageSummary = (c: Coverage): CoverageSummary => ({
  percent: round2(c.percent),
  coveredLines: c.coveredLines,
  totalLines: c.totalLines,
  leastCovered: c.files
    .filter((f) => f.totalLines > 0 && f.percent < COVERAGE_TARGET_PERCENT)
    .sort((a, b) => a.percent - b.percent || a.file.localeCompare(b.file))
    .slice(0, 5)
    .map((f) => ({ file: f.file, percent: round2(f.percent), missingLines: f.missingLines.length })),
});

const ERROR_ADVICE: Record<string, string> = {
  ImportError: "check the import statements and that the imported packages are installed",
  ModuleNotFoundError: "check the import statements and that the imported packages are installed",
  AssertionError: "compare the expected and actual values in each assertion with the code under test",
  AttributeError: "look for misspelled attribute names or objects that are None",
  TypeError: "check the argument counts and types at the failing calls, and values that are None or undefined",
  ReferenceError: "look for undefined or misspelled names and missing imports",
  RangeError: "check the sizes, indexes and numbers passed at the failing calls",
  NameError: "look for undefined or misspelled names and missing imports",
  KeyError: "check that the dictionary keys exist before reading them",
  SyntaxError: "fix the syntax error; nothing in that file can run until then",
  IndentationError: "fix the indentation; nothing in that file can run until then",
  Timeout: "look for blocking calls, infinite loops or missing awaits",
};

const GENERIC_ADVICE = "read the stack trace from the innermost project frame outward";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

const recommendationsFor = (r: TestRunResult, cov: CoverageSummary | null): string[] => {
  const out: string[] = [];
  if (r.status === "no_tests") {
    out.push(
      "No tests were collected: check the path and the runner's test-file settings (pytest's testpaths / python_files, vitest's " +
        "include, jest's testMatch).",
    );
  }
  if (r.status === "error") {
    out.push(
      "The test runner could not run the suite: fix the problem in the message above (configuration, plugins, interpreter, " +
        "installed packages) and run again.",
    );
  }
  if (r.status === "timeout") {
    out.push("The run hit its time limit: raise the timeout or run fewer files with --files.");
  }
  const collect = r.failures.filter((f) => f.phase === "collect");
  if (collect.length > 0) {
    const one = collect.length === 1;
    out.push(
      `${plural(collect.length, "file")} failed to import; fix ${one ? "it" : "them"} first, since ${one ? "its" : "their"} tests ` +
        `did not run.`,
    );
  }
  // Error types that share advice share a line: "3 failures with ValueError ×2, KeyError: ...".
  const byAdvice = new Map<string, Map<string, number>>();
  for (const f of r.failures) {
    const advice = ERROR_ADVICE[f.errorType] ?? GENERIC_ADVICE;
    const types = byAdvice.get(advice) ?? new Map<string, number>();
    types.set(f.errorType, (types.get(f.errorType) ?? 0) + 1);
    byAdvice.set(advice, types);
  }
  const total = (types: Map<string, number>): number => [...types.values()].reduce((a, b) => a + b, 0);
  for (const [advice, types] of [...byAdvice].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))) {
    const names = [...types]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([type, n]) => (n > 1 && types.size > 1 ? `${type} ×${n}` : type));
    out.push(`${plural(total(types), "failure")} with ${names.join(", ")}: ${advice}.`);
  }
  if (r.coverageError !== undefined) out.push(`Coverage was not measured (${r.coverageError}).`);
  if (cov !== null && cov.percent < COVERAGE_TARGET_PERCENT) {
    const files = cov.leastCovered
      .slice(0, 3)
      .map((f) => `${f.file} (${f.percent}%)`)
      .join(", ");
    out.push(`Coverage is ${cov.percent}%, below ${COVERAGE_TARGET_PERCENT}%${files ? `: add tests for ${files}` : ""}.`);
  }
  const slow = [...r.slowTests].sort((a, b) => b.durationSeconds - a.durationSeconds);
  if (slow[0] !== undefined) {
    out.push(
      `${plural(slow.length, "slow test")} or file${slow.length === 1 ? "" : "s"}; the slowest is ${slow[0].nodeId} (` +
        `${slow[0].durationSeconds.toFixed(2)}s).`,
    );
  }
  if (out.length === 0) out.push("All tests pass; nothing to fix.");
  return out;
};

/** Builds the report for one run. */
export function buildTestReport(result: TestRunResult): TestReport {
  const ran = result.passed + result.failed + result.errors;
  const cov = result.coverage === null ? null : coverageSummary(result.coverage);
  return {
    summary: {
      status: result.status,
      total: result.total,
      passed: result.passed,
      failed: result.failed,
      errors: result.errors,
      skipped: result.skipped,
      xfailed: result.xfailed,
      xpassed: result.xpassed,
      durationSeconds: round2(result.durationSeconds),
      passRate: ran === 0 ? null : round2((result.passed / ran) * 100),
      ...(result.message === undefined ? {} : { message: result.message }),
    },
    failureDetails: result.failures.map(failureDetail),
    coverageSummary: cov,
    coverageError: result.coverageError ?? null,
    slowTests: [...result.slowTests].sort((a, b) => b.durationSeconds - a.durationSeconds),
    recommendations: recommendationsFor(result, cov),
  };
}

/** How coverage moved between two runs, overall and per file. */
export function calculateCoverageDelta(before: Coverage | null, after: Coverage | null): CoverageDelta {
  if (before === null || after === null) {
    // Per-file changes mean nothing when one side was not measured.
    const pct = (c: Coverage | null): number | null => (c === null ? null : round2(c.percent));
    return { before: pct(before), after: pct(after), delta: null, files: [] };
  }
  const perFile = new Map<string, { before: number | null; after: number | null }>();
  for (const f of before.files) perFile.set(f.file, { before: f.percent, after: null });
  for (const f of after.files) perFile.set(f.file, { before: perFile.get(f.file)?.before ?? null, after: f.percent });
  const files = [...perFile]
    .map(([file, v]) => ({ file, before: v.before, after: v.after, delta: round2((v.after ?? 0) - (v.before ?? 0)) }))
    .filter((f) => f.delta !== 0 || f.before === null || f.after === null)
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.file.localeCompare(y.file));
  return { before: round2(before.percent), after: round2(after.percent), delta: round2(after.percent - before.percent), files };
}
