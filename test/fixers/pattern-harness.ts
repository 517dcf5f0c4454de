// Shared harness for the pattern fixture tests: a temp copy of a fixture project, real pytest, the real analyzer and helper.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { analyzeFailure } from "../../src/analysis/index.js";
import type { Analysis } from "../../src/domain/analysis.js";
import type { Failure } from "../../src/domain/failure.js";
import type { FixProposal } from "../../src/domain/fix.js";
import type { TestRunResult } from "../../src/domain/test-run.js";
import { applyEdits, applyFix } from "../../src/fixers/apply.js";
import { createPatternContext, findPatternFix, patterns, type PatternFix, type PatternId } from "../../src/fixers/patterns/index.js";
import { PythonHelper } from "../../src/python/client.js";
import type { OpBudgetOverrides } from "../../src/python/ops.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

/** A fixture project copied to a temp dir, with its first pytest run and a started helper. */
export interface PatternProject {
  dir: string;
  adapter: TestRunnerAdapter;
  helper: PythonHelper;
  before: TestRunResult;
  /** The failure of a test (by node id suffix) and its analysis. */
  failure(nodeIdSuffix: string): { failure: Failure; analysis: Analysis };
  /** findPatternFix for that failure. */
  fix(
    nodeIdSuffix: string,
    options?: { allowTestEdits?: boolean; only?: PatternId[]; onDecline?: (id: PatternId, reason: string) => void },
  ): Promise<PatternFix | null>;
  /** Applies a proposal's edits to the temp copy. */
  apply(proposal: FixProposal): Promise<void>;
  read(rel: string): Promise<string>;
  rerun(): Promise<TestRunResult>;
  close(): Promise<void>;
}

/** `opBudgets` replaces some helper ops' time budgets (a test forcing a timeout). */
export async function openPatternProject(name: string, opBudgets?: OpBudgetOverrides): Promise<PatternProject> {
  const dir = await mkdtemp(join(tmpdir(), `redgreen-pattern-${name}-`));
  await cp(fixturePath("patterns", name), dir, { recursive: true });
  const adapter = await createPytestAdapter({ projectRoot: dir, python: testPython });
  const [before, helper] = await Promise.all([
    adapter.runTests(),
    PythonHelper.start({ python: testPython, projectRoot: dir, ...(opBudgets ? { opBudgets } : {}) }),
  ]);
  const failure = (suffix: string): { failure: Failure; analysis: Analysis } => {
    const f = before.failures.find((x) => x.nodeId === suffix || x.nodeId.endsWith(suffix));
    if (!f) throw new Error(`no failure ${suffix} in ${before.failures.map((x) => x.nodeId).join(", ")}`);
    return { failure: f, analysis: analyzeFailure(f, { projectRoot: dir }) };
  };
  return {
    dir,
    adapter,
    helper,
    before,
    failure,
    async fix(suffix, options = {}) {
      const { failure: f, analysis } = failure(suffix);
      const ctx = createPatternContext({
        failure: f,
        analysis,
        projectRoot: dir,
        helper,
        allowTestEdits: options.allowTestEdits ?? false,
        isTestFile: (rel) => adapter.isTestFile(rel),
      });
      const found = await findPatternFix(ctx, {
        ...(options.only ? { only: options.only } : {}),
        ...(options.onDecline ? { onDecline: options.onDecline } : {}),
      });
      if (found) await expectConforming(dir, found);
      return found;
    },
    async apply(proposal) {
      await applyEdits(dir, proposal.edits);
    },
    read: (rel) => readFile(join(dir, rel), "utf8"),
    rerun: () => adapter.runTests(),
    async close() {
      await helper.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What every pattern proposal must satisfy (one conformance check for all patterns). */
export async function expectConforming(dir: string, found: PatternFix): Promise<void> {
  const pattern = patterns[found.patternId];
  const p = found.proposal;
  expect(p.source).toBe("pattern");
  expect(p.strategy).toBe(pattern.strategy);
  expect(p.explanation.length).toBeGreaterThan(20);
  expect(p.edits.length).toBeGreaterThan(0);
  for (const edit of p.edits) {
    expect(edit.file).not.toMatch(/^(?:\/|\.\.)/);
    expect(edit.find).not.toBe(edit.replace);
    const source = await readFile(join(dir, edit.file), "utf8");
    // The edit applies to the file as it is and changes it.
    expect(applyFix(source, edit)).not.toBe(source);
  }
}
