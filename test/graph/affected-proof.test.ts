// Fixes proven on affected runs, confirmed once per iteration by the full run (real pytest, real graph, real journal):
// a fix that breaks a test the impact map cannot see is caught there, bisected and rolled back byte for byte.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunTestsOptions, TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createWorkflowRuntime, type WorkflowRuntime } from "../../graph/runtime.js";
import { runWorkflow } from "../../graph/run.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const FIXTURE = fixturePath("proof", "two-modules");

let runtime: WorkflowRuntime | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const c of cleanups.splice(0)) c();
});

type Kind = "full" | "affected" | "fallback" | "targeted";

/** The project's adapter with every run recorded by what it selected, as the runner reported it. */
function recording(inner: TestRunnerAdapter): { adapter: TestRunnerAdapter; runs: Kind[] } {
  const runs: Kind[] = [];
  const adapter = Object.create(inner) as TestRunnerAdapter;
  adapter.runTests = async (options: RunTestsOptions = {}) => {
    const result = await inner.runTests(options);
    const sel = result.selection;
    runs.push(options.files?.length ? "targeted" : sel?.kind === "affected" ? (sel.fallback ? "fallback" : "affected") : "full");
    return result;
  };
  return { adapter, runs };
}

// Coverage opted in by default here: the first full run records the per-test map the affected runs select by.
async function run(root: string, coverage = true, fullFirstMaxSeconds?: number) {
  const options = { coverage, ...(fullFirstMaxSeconds !== undefined ? { fullFirstMaxSeconds } : {}) };
  runtime = await createWorkflowRuntime({ projectRoot: root, python: testPython, env: {}, testTimeoutSeconds: 5, options });
  const { adapter, runs } = recording(runtime.deps.adapter);
  const summary = await runWorkflow({ ...runtime.deps, adapter }, { projectRoot: root }, { checkpointer: runtime.checkpointer });
  return { summary, runs };
}

function projectCopy(): string {
  const copy = copyProject(FIXTURE);
  cleanups.push(copy.cleanup);
  return copy.root;
}

describe("fixes proven on affected runs", () => {
  it("keeps two fixes in two modules on affected runs, with exactly one full run per iteration", async () => {
    const root = projectCopy();
    const { summary, runs } = await run(root);
    expect(summary.status).toBe("passed");
    expect(summary.iterations).toBe(1);
    expect(summary.fixes.map((f) => [f.file, f.status]).sort()).toEqual([
      ["calc/geometry.py", "kept"],
      ["calc/report.py", "kept"],
    ]);
    // The initial run and the iteration's confirming run are the only full runs; each fix had a targeted and an
    // affected run (no fallback: the initial run recorded the map).
    expect(runs.filter((k) => k === "full")).toHaveLength(2);
    expect(runs.filter((k) => k === "affected")).toHaveLength(2);
    expect(runs.filter((k) => k === "fallback")).toHaveLength(0);
    expect(summary.testRuns).toEqual({ full: 2, affected: 2, targeted: runs.filter((k) => k === "targeted").length });
    expect(summary.final).toMatchObject({ passed: 4, failed: 0, errors: 0 });
    expect(readFileSync(join(root, "calc", "geometry.py"), "utf8")).toMatch(/^import math$/m);
  }, 240_000);

  it("proves a round's only fix on the full suite at once: that run confirms it, no affected or second full run follows", async () => {
    const root = projectCopy();
    writeFileSync(join(root, "calc", "report.py"), "import json\n\n\ndef as_json(data):\n    return json.dumps(data, sort_keys=True)\n");
    const { summary, runs } = await run(root);
    expect(summary.status).toBe("passed");
    expect(summary.fixes.map((f) => [f.file, f.status])).toEqual([["calc/geometry.py", "kept"]]);
    // The suite is quick (under fullFirstMaxSeconds): the full run is the proof's only run, no targeted run before it.
    expect(runs).toEqual(["full", "full"]);
    expect(summary.testRuns).toEqual({ full: 2, affected: 0, targeted: 0 });
  }, 240_000);

  it("runs the targeted tests before that full run when the last full run took longer than fullFirstMaxSeconds", async () => {
    const root = projectCopy();
    writeFileSync(join(root, "calc", "report.py"), "import json\n\n\ndef as_json(data):\n    return json.dumps(data, sort_keys=True)\n");
    const { summary, runs } = await run(root, true, 0);
    expect(summary.status).toBe("passed");
    expect(runs).toEqual(["full", "targeted", "full"]);
    expect(summary.testRuns).toEqual({ full: 2, affected: 0, targeted: 1 });
  }, 240_000);

  // With coverage the affected runs select by the per-test coverage map; without, by the static import map. Neither sees
  // a test that reads a module's bytes: the iteration's confirming full run does.
  it.each([
    ["with coverage", true],
    ["without coverage", false],
  ])(
    "catches a fix that breaks a test the impact map cannot see (%s), bisects it and rolls it back byte for byte",
    async (_, coverage) => {
      const root = projectCopy();
      const geometry = join(root, "calc", "geometry.py");
      const original = readFileSync(geometry);
      // A checksum test: it reads the module as bytes and never executes it, so no run maps it to calc/geometry.py.
      const sha = createHash("sha256").update(original).digest("hex");
      writeFileSync(
        join(root, "tests", "test_vendored.py"),
        "import hashlib\nimport pathlib\n\n\ndef test_geometry_is_the_vendored_release():\n" +
          '    data = (pathlib.Path(__file__).parent.parent / "calc" / "geometry.py").read_bytes()\n' +
          `    assert hashlib.sha256(data).hexdigest() == "${sha}"\n`,
      );
      const { summary, runs } = await run(root, coverage);

      // Both fixes were kept on affected runs that did not select the checksum test.
      const geometryFixes = summary.fixes.filter((f) => f.file === "calc/geometry.py");
      expect(geometryFixes.map((f) => f.status)).toEqual(["kept", "rolled_back"]);
      expect(geometryFixes[1]).toMatchObject({ rule: "broke_tests", iteration: 1 });
      expect(geometryFixes[1]!.evidence!.join("\n")).toContain("tests/test_vendored.py::test_geometry_is_the_vendored_release");
      expect(summary.fixes.filter((f) => f.file === "calc/report.py").map((f) => f.status)).toEqual(["kept"]);
      // Rolled back byte for byte; the other fix of the iteration stays.
      expect(readFileSync(geometry)).toEqual(original);
      expect(readFileSync(join(root, "calc", "report.py"), "utf8")).toMatch(/^import json$/m);
      // Nothing journaled is left pending, and only the report fix remains in the patch.
      expect(runtime!.deps.journal.list(summary.workflowId, "pending")).toEqual([]);
      expect(summary.patch).toContain("calc/report.py");
      expect(summary.patch).not.toContain("calc/geometry.py");
      // The workflow ends honestly: the geometry test still fails, and the status says so.
      expect(summary.status).not.toBe("passed");
      expect(summary.remainingFailures.map((f) => f.nodeId)).toEqual(["tests/test_geometry.py::test_hypot"]);
      expect(runs.filter((k) => k === "affected")).toHaveLength(2);
    },
    300_000,
  );
});
