// faultProbe: with no per-test coverage of the suite, one capped run with coverage and per-test contexts of the failures
// whose stack misses project code (and passing tests of their files), so Ochiai can rank their lines anyway.
import { createFaultLocaliser, type FaultLocaliser, stackMissesProject } from "../src/analysis/fault-localisation.js";
import { createFsSourceReader } from "../src/analysis/source.js";
import type { Failure } from "../src/domain/failure.js";
import { splitNodeId } from "../src/domain/node-id.js";
import type { TestRunnerAdapter } from "../src/runners/adapter.js";
import type { WorkflowDeps } from "./deps.js";
import { announce, failingIds, progressTo } from "./nodes/shared.js";

/** Bounds of the probe: failing tests ranked, tests run in all, and the run's hard limit in seconds. */
export const PROBE_LIMITS = { failing: 30, tests: 300, seconds: 120 } as const;

export interface ProbeInput {
  /** The failures of the run being analysed, by node id, and the ids analysed (flaky ones left out). */
  failures: ReadonlyMap<string, Failure>;
  failing: readonly string[];
  /** Node ids that passed in that run: the passing side of the spectrum is drawn from the failures' test files. */
  passed: readonly string[];
  iteration: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs the probe on `adapter` when it can record per-test coverage and some failure's stack stops short of project code;
 * null otherwise, or when the run recorded nothing (coverage unavailable, the run timed out). The failing side is what
 * fails again in the probe: a test that passes there counts as passing.
 */
export async function faultProbe(deps: WorkflowDeps, adapter: TestRunnerAdapter, input: ProbeInput): Promise<FaultLocaliser | null> {
  if (!adapter.testCoverage) return null;
  const isTestFile = (file: string): boolean => adapter.isTestFile(file);
  const targets = input.failing
    .filter((id) => {
      const failure = input.failures.get(id);
      return failure !== undefined && stackMissesProject(failure, isTestFile);
    })
    .slice(0, PROBE_LIMITS.failing);
  if (targets.length === 0) return null;
  const files = new Set(targets.map((id) => splitNodeId(id).testFile));
  const passing = input.passed.filter((id) => files.has(splitNodeId(id).testFile)).slice(0, PROBE_LIMITS.tests - targets.length);
  const what = `${targets.length} failing and ${passing.length} passing test(s), at most ${PROBE_LIMITS.seconds} s`;
  announce(deps, "analyze", input.iteration, `fault localisation: one run with per-test coverage of ${what}`);
  let result;
  try {
    result = await adapter.runTests({
      files: [...targets, ...passing],
      coverage: true,
      perTestCoverage: true,
      runTimeoutSeconds: PROBE_LIMITS.seconds,
      onProgress: progressTo(deps, "localise"),
      signal: input.signal,
    });
  } catch (error) {
    // Ranking is a hint: a probe that cannot run leaves the analysis without it (an abort is rethrown by the node).
    const why = error instanceof Error ? error.message : String(error);
    announce(deps, "analyze", input.iteration, `fault localisation: the run failed (${why})`);
    return null;
  }
  const coverage = adapter.testCoverage("probe");
  if (coverage === null) {
    announce(deps, "analyze", input.iteration, `fault localisation: the run recorded no per-test coverage (${result.status})`);
    return null;
  }
  const failing = failingIds(result);
  return createFaultLocaliser({ coverage, failing, isTestFile, source: createFsSourceReader(adapter.projectRoot) });
}
