// Test identity across runs on a real vitest project whose test names carry a seed, a uuid, a timestamp and a
// duration: a correct fix is kept (not rolled back as "broke N passing tests"), and a test missing from a run is
// absent, not failing.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../src/domain/index.js";
import { stableNodeId } from "../../src/domain/node-id.js";
import { compareRuns } from "../../src/proof/compare-runs.js";
import { confirmFlaky } from "../../src/proof/flaky.js";
import { proveFix } from "../../src/proof/index.js";
import { createRunnerAdapter } from "../../src/runners/create-adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import { fixturePath } from "../helpers/python-env.js";
import { copyJsProject } from "../helpers/project-copy.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function seededProject() {
  const copy = copyJsProject(fixturePath("vitest", "seeded-names"));
  cleanups.push(copy.cleanup);
  const adapter = await createRunnerAdapter({ projectRoot: copy.root, runner: "vitest" });
  const baseline: TestRunResult = await adapter.runTests({ coverage: false });
  return { root: copy.root, adapter, baseline };
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe("volatile test names on a real vitest project", () => {
  it("keeps a correct fix although every test has a new name in each run", async () => {
    const { root, adapter, baseline } = await seededProject();
    expect(baseline).toMatchObject({ status: "failed", passed: 4, failed: 1, total: 5 });
    const target = baseline.failures[0]!.nodeId;
    expect(target).toMatch(/::money > total adds every price \(with seed=-?\d+\)$/);
    const typescript = createTsProject({ projectRoot: root });
    cleanups.push(() => closeTsProject(typescript));
    const edits = [{ file: "src/money.ts", find: "summ(prices)", replace: "sum(prices)" }];
    const outcome = await proveFix(
      { proposal: { source: "pattern", strategy: "typo", edits, explanation: "typo" }, targets: [target], baseline },
      {
        projectRoot: root,
        adapter,
        typescript,
        journal: createMemoryJournal(),
        journalKey: { workflowId: "wf", signature: "sig" },
        allowTestEdits: false,
        coverage: false,
      },
    );
    expect(outcome.status, outcome.reason).toBe("kept");
    expect(outcome.fixedNodeIds).toEqual([target]);
    expect(outcome.warnings.join("\n")).not.toMatch(/absent/);
    // The names really changed between the runs: only their stable forms agree.
    const after = outcome.fullRun!.passedNodeIds;
    expect(after).toHaveLength(5);
    expect(after.filter((id) => baseline.passedNodeIds.includes(id) || id === target)).toHaveLength(0);
    expect(sorted(after.map(stableNodeId))).toEqual(sorted([...baseline.passedNodeIds, target].map(stableNodeId)));
    expect(readFileSync(join(root, "src/money.ts"), "utf8")).toContain("return sum(prices);");
  }, 90_000);

  it("tells tests that fail in a later run from tests that are absent from it", async () => {
    const { root, adapter, baseline } = await seededProject();
    const halfTests = baseline.passedNodeIds.filter((id) => id.includes("half"));
    expect(halfTests).toHaveLength(2);
    // A run of one test: the other passing tests are absent from it, not failing.
    const one = await adapter.runTests({ files: [halfTests[0]!] });
    expect(one).toMatchObject({ status: "passed", total: 1 });
    expect(compareRuns(baseline, one)).toEqual({ failing: [], absent: baseline.passedNodeIds.filter((id) => id !== halfTests[0]) });
    // A real break: the half tests fail in the next full run and are reported failing, by the baseline's ids.
    const money = join(root, "src/money.ts");
    writeFileSync(money, readFileSync(money, "utf8").replace("Math.floor(cents / 2)", "cents * 2 + 1"));
    const broken = await adapter.runTests();
    const cmp = compareRuns(baseline, broken);
    expect(sorted(cmp.failing)).toEqual(sorted(halfTests));
    expect(cmp.absent).toEqual([]);
    // A flaky check across runs matches them by stable id too: failing ones are not flaky, passing ones are.
    const stillPassing = baseline.passedNodeIds.filter((id) => !id.includes("half"));
    expect(sorted(await confirmFlaky(adapter, [...halfTests, ...stillPassing]))).toEqual(sorted(stillPassing));
    // A test file that no longer loads fails as a whole: every test in it is failing, none absent.
    writeFileSync(money, `throw new Error("module broken");\n${readFileSync(money, "utf8")}`);
    const unloadable = await adapter.runTests();
    expect(unloadable.failures.map((f) => f.nodeId)).toEqual(["tests/money.test.ts"]);
    expect(compareRuns(baseline, unloadable)).toEqual({ failing: baseline.passedNodeIds, absent: [] });
  }, 90_000);
});
