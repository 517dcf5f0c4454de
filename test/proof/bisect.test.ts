// Bisecting a round's kept fixes on real pytest with the real journal: the culprit is found and taken back byte for
// byte, and a crash in the middle of a bisection step leaves every file restorable by the journal's recovery.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyJournaled, recoverPending } from "../../src/fixers/journal.js";
import { findCulprit, rollBackFixes, rollbackSet, type BisectDeps } from "../../src/proof/bisect.js";
import type { RunTestsOptions, TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const GEOMETRY = "calc/geometry.py";
const REPORT = "calc/report.py";
const CHECKSUM = "tests/test_vendored.py::test_geometry_is_the_vendored_release";
const WF = "wf";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** two-modules with a checksum test of calc/geometry.py, and two fixes kept in the journal: report's, then geometry's. */
async function keptRound() {
  const copy = copyProject(fixturePath("proof", "two-modules"));
  cleanups.push(copy.cleanup);
  const root = copy.root;
  const original = readFileSync(join(root, GEOMETRY));
  const sha = createHash("sha256").update(original).digest("hex");
  writeFileSync(
    join(root, "tests", "test_vendored.py"),
    "import hashlib\nimport pathlib\n\n\ndef test_geometry_is_the_vendored_release():\n" +
      `    data = (pathlib.Path(__file__).parent.parent / "${GEOMETRY}").read_bytes()\n` +
      `    assert hashlib.sha256(data).hexdigest() == "${sha}"\n`,
  );
  const journal = createMemoryJournal();
  const fix = async (signature: string, file: string, name: string) => {
    await applyJournaled(journal, WF, signature, root, [{ file, find: '"""\n', replace: `"""\nimport ${name}\n`, nearLine: 1 }]);
    journal.settle(WF, signature, "kept");
  };
  await fix("report-fix", REPORT, "json");
  await fix("geometry-fix", GEOMETRY, "math");
  const fixed = readFileSync(join(root, GEOMETRY));
  const reportFixed = readFileSync(join(root, REPORT));
  return { root, journal, original, fixed, reportFixed, adapter: await createPytestAdapter({ projectRoot: root, python: testPython }) };
}

const bisectDeps = (root: string, journal: BisectDeps["journal"], runner: TestRunnerAdapter): BisectDeps => ({
  projectRoot: root,
  workflowId: WF,
  journal,
  runner,
});

describe("bisecting kept fixes", () => {
  it("finds the fix that broke the test, and takes back only it, byte for byte", async () => {
    const { root, journal, original, reportFixed, adapter } = await keptRound();
    const fixes = ["report-fix", "geometry-fix"];
    const deps = bisectDeps(root, journal, adapter);
    const culprit = await findCulprit(deps, fixes, [CHECKSUM]);
    expect(culprit).toMatchObject({ index: 1, evidence: [expect.stringContaining(`${CHECKSUM} (AssertionError`)] });
    expect(rollbackSet(deps, fixes, 1)).toEqual([1]);
    const restored = await rollBackFixes(deps, fixes, [1], (settleJournal) => {
      settleJournal();
      journal.settle(WF, "geometry-fix", "rolled_back", "kept");
    });
    expect(restored).toEqual([GEOMETRY]);
    expect(readFileSync(join(root, GEOMETRY))).toEqual(original);
    expect(readFileSync(join(root, REPORT))).toEqual(reportFixed);
    expect(journal.list(WF, "kept").map((e) => e.signature)).toEqual(["report-fix"]);
    expect(journal.list(WF, "pending")).toEqual([]);
  }, 180_000);

  it("a later fix that changed the culprit's file goes back with it", async () => {
    const { root, journal, adapter } = await keptRound();
    const edit = { file: GEOMETRY, find: "def hypot(a, b):", replace: "def hypot(a, b):  # the hypotenuse", nearLine: 5 };
    await applyJournaled(journal, WF, "geometry-doc", root, [edit]);
    journal.settle(WF, "geometry-doc", "kept");
    const deps = bisectDeps(root, journal, adapter);
    expect(rollbackSet(deps, ["report-fix", "geometry-fix", "geometry-doc"], 1)).toEqual([1, 2]);
    expect(rollbackSet(deps, ["report-fix", "geometry-fix", "geometry-doc"], 0)).toEqual([0]);
  }, 60_000);

  it("a crash during a bisection step leaves the files restorable: recovery puts the round's fixes back", async () => {
    const { root, journal, original, fixed, reportFixed, adapter } = await keptRound();
    let crashed = false;
    const runner = Object.create(adapter) as TestRunnerAdapter;
    runner.runTests = async (options: RunTestsOptions = {}) => {
      if (!readFileSync(join(root, GEOMETRY)).equals(original)) return adapter.runTests(options);
      // The step with the geometry fix taken out: a kill -9 here, then `redgreen resume` recovering the journal.
      expect(journal.list(WF, "pending").map((e) => e.file)).toEqual([GEOMETRY]);
      expect(await recoverPending(journal, WF, root)).toEqual([GEOMETRY]);
      crashed = true;
      throw new Error("killed");
    };
    await expect(findCulprit(bisectDeps(root, journal, runner), ["report-fix", "geometry-fix"], [CHECKSUM])).rejects.toThrow("killed");
    expect(crashed).toBe(true);
    expect(readFileSync(join(root, GEOMETRY))).toEqual(fixed);
    expect(readFileSync(join(root, REPORT))).toEqual(reportFixed);
    expect(journal.list(WF, "pending")).toEqual([]);
    expect(journal.list(WF, "kept").map((e) => e.signature)).toEqual(["report-fix", "geometry-fix"]);
  }, 180_000);
});
