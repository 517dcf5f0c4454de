// judgeRun: whether one run made while proving a fix can be believed at all, before its passes are counted.
import type { ProofRule, RunAnomaly, TestRunResult } from "../domain/index.js";

/** Why a run cannot count for the fix; `status` is "rejected" for evidence of gaming, "rolled_back" for a run that failed. */
export interface RunVerdict {
  status: "rejected" | "rolled_back";
  rule: ProofRule;
  reason: string;
  evidence: string[];
}

export interface JudgeContext {
  /** The last full run before the fix. */
  baseline: TestRunResult;
  /** The protected set: the runner's test files, conftests, setup and config files. */
  isTestFile: (relPath: string) => boolean;
  /** A targeted or affected run selects some tests; only a full run is compared with the baseline's test count. */
  scope: "targeted" | "affected" | "full";
}

const key = (a: RunAnomaly): string => `${a.kind}\0${a.nodeId ?? ""}`;

/**
 * The verdict on a run, or null when it can be believed: no protected file changed while it ran (a non-test file the
 * unchanged suite itself rewrites is volatile, not tampering), no anomaly the baseline did not have, it ended in a
 * result (not an error or timeout), and, for a full run, no fewer tests than the baseline collected.
 */
export function judgeRun(run: TestRunResult, ctx: JudgeContext): RunVerdict | null {
  const volatile = new Set((ctx.baseline.tampered ?? []).map((t) => t.file).filter((f) => !ctx.isTestFile(f)));
  const tampered = (run.tampered ?? []).filter((t) => !volatile.has(t.file));
  if (tampered.length > 0) {
    const evidence = tampered.map(
      (t) => `${t.file} ${t.change}${ctx.isTestFile(t.file) ? " (a test file)" : ""} while the tests ran; restored`,
    );
    return {
      status: "rejected",
      rule: "tamper",
      reason: `files changed while the tests ran: ${evidence.slice(0, 3).join("; ")}`,
      evidence,
    };
  }
  const known = new Set(ctx.baseline.anomalies.map(key));
  const anomalies = run.anomalies.filter((a) => !known.has(key(a)));
  if (anomalies.length > 0) {
    const evidence = anomalies.map((a) => `${a.kind}${a.nodeId ? ` ${a.nodeId}` : ""}: ${a.detail}`);
    return {
      status: "rejected",
      rule: "untrusted_result",
      reason: `the test results cannot be trusted: ${evidence.slice(0, 2).join("; ")}`,
      evidence,
    };
  }
  if (run.status === "error" || run.status === "timeout") {
    const why = run.message ?? `the run ended with status ${run.status}`;
    return { status: "rolled_back", rule: "run_failed", reason: `the test run failed: ${why.split("\n")[0]}`, evidence: [why] };
  }
  if (ctx.scope === "full" && run.total < ctx.baseline.total) {
    const evidence = [`${ctx.baseline.total} tests before the fix, ${run.total} after`];
    return { status: "rejected", rule: "tests_vanished", reason: `tests vanished: ${evidence[0]}`, evidence };
  }
  return null;
}
