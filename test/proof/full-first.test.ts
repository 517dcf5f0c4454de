// proveFix with fullFirst, on real pytest: one full run stands in for the targeted run, and it alone decides.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { proveFix } from "../../src/proof/index.js";
import { PythonHelper } from "../../src/python/client.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const CONVERT = "units/convert.py";
const TARGET = "tests/test_b_convert.py::test_kilometres_in_metres";
// The honest fix of the typo. The target then passes in the full suite (test_a registers "km" before it runs), and
// fails run alone (KeyError: nothing registered "km").
const FIX = { file: CONVERT, find: "amount * UNIT[unit]", replace: "amount * UNITS[unit]" };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Proves FIX on a fresh copy of order-dependent, logging each run the proof makes. */
async function prove(options: { fullFirst?: boolean; scope?: "full" | "affected" }) {
  const copy = copyProject(fixturePath("proof", "order-dependent"));
  cleanups.push(copy.cleanup);
  const inner = await createPytestAdapter({ projectRoot: copy.root, python: testPython });
  const baseline = await inner.runTests();
  const runs: string[] = [];
  const adapter = Object.create(inner) as TestRunnerAdapter;
  adapter.runTests = (o = {}) => {
    runs.push(o.files?.length ? "targeted" : o.affectedBy ? "affected" : "full");
    return inner.runTests(o);
  };
  const helper = await PythonHelper.start({ python: testPython, projectRoot: copy.root });
  try {
    const outcome = await proveFix(
      { proposal: { source: "pattern", strategy: "edit", edits: [FIX], explanation: "typo" }, targets: [TARGET], baseline },
      {
        projectRoot: copy.root,
        adapter,
        helper,
        journal: createMemoryJournal(),
        journalKey: { workflowId: "w", signature: "typo" },
        allowTestEdits: false,
        coverage: false,
        ...options,
      },
    );
    return { outcome, runs, baseline, text: readFileSync(join(copy.root, CONVERT), "utf8") };
  } finally {
    await helper.close();
  }
}

describe("proveFix fullFirst", () => {
  it("proves with one full run: a target that passes in the full suite is fixed, even though it fails run alone", async () => {
    const { outcome, runs, baseline, text } = await prove({ fullFirst: true });
    expect(baseline.failures.map((f) => [f.nodeId, f.errorType])).toEqual([[TARGET, "NameError"]]);
    expect(runs).toEqual(["full"]);
    expect(outcome).toMatchObject({ status: "kept", rule: null, fixedNodeIds: [TARGET], confirmed: true });
    expect(outcome.fullRun).toMatchObject({ passed: 2, failed: 0 });
    expect(text).toContain("amount * UNITS[unit]");
  }, 120_000);

  it("without it, the targeted run sees the target fail alone and the fix is rolled back byte for byte", async () => {
    const { outcome, runs, text } = await prove({});
    expect(runs).toEqual(["targeted"]);
    expect(outcome).toMatchObject({ status: "rolled_back", rule: "still_failing" });
    expect(outcome.reason).toContain("KeyError");
    expect(text).toBe(readFileSync(fixturePath("proof", "order-dependent", CONVERT), "utf8"));
  }, 120_000);

  it("is ignored with scope affected (the caller confirms later, the targeted run still goes first)", async () => {
    const { outcome, runs } = await prove({ fullFirst: true, scope: "affected" });
    expect(runs).toEqual(["targeted"]);
    expect(outcome).toMatchObject({ status: "rolled_back", rule: "still_failing" });
  }, 120_000);
});
