// AffectedRuns: which tests the pytest adapter runs for a change, from the suite's per-test coverage map or else a static
// import map built once over the test files the last full run ran.
import { splitNodeId } from "../../domain/node-id.js";
import type { RunSelection, TestRunResult } from "../../domain/test-run.js";
import { type AffectedTests, affectedTests } from "./affected.js";
import type { ContextMap } from "./context-map.js";
import { ImportMap, type StaticImports } from "./import-map.js";

/** What the selection needs from its adapter. */
export interface AffectedRunsContext {
  projectRoot: string;
  python: string;
  /** The suite's per-test coverage map (recorded by full runs that measured coverage). */
  contexts: ContextMap;
  isTestFile(relPath: string): boolean;
  /** Throws python_missing when the interpreter does not run (the import map is built on it). */
  checkPython(): Promise<void>;
}

/** The affected-tests selection of one adapter, with the import map and the suite's test files it keeps between runs. */
export class AffectedRuns {
  /** Which test files import which project modules, built on the first affected run without a coverage map. */
  private imports: ImportMap | null = null;
  /** The test files the last full run ran tests of (null before one): the only files the import map selects. */
  private suiteTestFiles: ReadonlySet<string> | null = null;

  constructor(private readonly ctx: AffectedRunsContext) {}

  /** Remembers the test files a full run that passed or failed ran tests of (passed, failed or skipped). */
  sawFullRun(result: TestRunResult): void {
    if (result.status !== "passed" && result.status !== "failed") return;
    const ids = [...result.passedNodeIds, ...(result.skippedNodeIds ?? []), ...result.failures.map((f) => f.nodeId)];
    this.suiteTestFiles = new Set(ids.map((id) => splitNodeId(id).testFile));
  }

  /** The tests a change reaches by the per-test coverage map, else by the static import map, or why the whole suite runs. */
  async select(changed: readonly string[]): Promise<AffectedTests> {
    const { projectRoot, contexts } = this.ctx;
    const isTestFile = (f: string): boolean => this.ctx.isTestFile(f);
    const map = contexts.map();
    let imports: StaticImports | null = null;
    let whyMissing = contexts.whyMissing();
    if (map === null) {
      await this.ctx.checkPython();
      this.imports ??= new ImportMap(projectRoot, this.ctx.python);
      // A test file outside the suite (beyond testpaths, say) is never selected: the full suite would not run it.
      const suite = this.suiteTestFiles;
      try {
        imports = await this.imports.build(suite === null ? isTestFile : (f) => suite.has(f));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        whyMissing = `${whyMissing}, and the static import map could not be built: ${why}`;
      }
    }
    return affectedTests(changed, { projectRoot, map, imports, whyMissing, isTestFile });
  }
}

/** An affected-tests run whose changed files no test executed: nothing to run, so nothing to compare. */
export function noAffectedTests(selection: RunSelection, python: string): TestRunResult {
  const files = (selection.changedFiles ?? []).join(", ");
  return {
    status: "no_tests",
    ...{ passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0, durationSeconds: 0 },
    failures: [],
    coverage: null,
    command: [python],
    slowTests: [],
    passedNodeIds: [],
    source: "jsonl",
    testFiles: [],
    anomalies: [],
    selection,
    message: `no test executed ${files} in the last full run: no test to run`,
  };
}
