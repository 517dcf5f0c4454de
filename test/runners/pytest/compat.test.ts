// The plugin and adapter give the same results under pytest 7, 8 and 9, with and without pytest-xdist.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/index.js";
import { runProcess } from "../../../src/process/run.js";
import { createPytestAdapter, type PytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { testPython } from "../../helpers/python-env.js";
import { compatPython } from "./compat-venvs.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
afterAll(() => copies.cleanup());

const pythons: Record<string, string> = { "pytest 8": testPython };
beforeAll(() => {
  pythons["pytest 7"] = compatPython(7);
  pythons["pytest 9"] = compatPython(9);
}, 600_000);

const fixtures: { fixture: string; files?: string[] }[] = [
  { fixture: "failing" },
  { fixture: "collection_error" },
  { fixture: "marks" },
  { fixture: "hanging", files: ["test_hang.py"] },
];

/** The parts of a result that must not depend on the pytest version or on xdist. */
const normalize = (r: TestRunResult) => ({
  status: r.status,
  counts: [r.passed, r.failed, r.errors, r.skipped, r.xfailed, r.xpassed, r.total],
  failures: r.failures
    .map((f) =>
      [f.nodeId, f.phase, f.errorType, f.lineNumber, f.hint ?? "", f.frames.map((fr) => `${fr.file}:${fr.line}:${fr.kind}`).join(" ")].join(
        " | ",
      ),
    )
    .sort(),
  passed: [...r.passedNodeIds].sort(),
});

const run = async (python: string, fixture: string, files: string[] | undefined, xdist: boolean) => {
  const adapter = await createPytestAdapter({
    projectRoot: copies.copy(fixture),
    python,
    testTimeoutSeconds: 1,
    hangGraceSeconds: 1,
    ...(xdist ? { pytestArgs: ["-n", "2"] } : {}),
  });
  return adapter.runTests(files ? { files } : {});
};

describe("pytest versions and xdist", () => {
  const baseline = new Map<string, ReturnType<typeof normalize>>();

  it.each(fixtures)("baseline: $fixture on pytest 8", async ({ fixture, files }) => {
    const r = await run(testPython, fixture, files, false);
    expect(r.source).toBe("jsonl");
    baseline.set(fixture, normalize(r));
  });

  const combos = ["pytest 7", "pytest 8", "pytest 9"].flatMap((version) =>
    [false, true]
      .filter((xdist) => version !== "pytest 8" || xdist)
      .map((xdist) => ({ version, xdist, label: `${version}${xdist ? " -n 2" : ""}` })),
  );
  it.each(combos)("$label agrees with the baseline", async ({ version, xdist }) => {
    for (const { fixture, files } of fixtures) {
      const r = await run(pythons[version]!, fixture, files, xdist);
      expect(r.source, fixture).toBe("jsonl");
      expect(normalize(r), `${version} ${fixture}`).toEqual(baseline.get(fixture));
    }
  });

  const standbyCombos = ["pytest 7", "pytest 8", "pytest 9"].flatMap((version) =>
    [false, true].map((xdist) => ({ version, xdist, label: `${version}${xdist ? " -n 2" : ""}` })),
  );
  it.each(standbyCombos)("$label: a second run, through the standby the first left, agrees too", async ({ version, xdist }) => {
    const adapter = (await createPytestAdapter({
      projectRoot: copies.copy("failing"),
      python: pythons[version]!,
      testTimeoutSeconds: 1,
      standby: true,
      ...(xdist ? { pytestArgs: ["-n", "2"] } : {}),
    })) as PytestAdapter;
    try {
      await adapter.runTests();
      const second = await adapter.runTests();
      expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
      expect(normalize(second)).toEqual(baseline.get("failing"));
    } finally {
      adapter.close();
    }
  });

  it("reports the pytest version the plugin ran under", async () => {
    const r = await runProcess(pythons["pytest 7"]!, ["-c", "import pytest; print(pytest.__version__)"], {
      cwd: copies.copy("passing"),
      timeoutMs: 30_000,
    });
    expect(r.stdout.trim()).toMatch(/^7\./);
  });

  it("fails a test stuck in C code as Timeout under xdist while the other worker goes on", async () => {
    const r = await run(testPython, "hanging", undefined, true);
    const stuck = r.failures.find((f) => f.testName === "test_stuck_in_c")!;
    expect(stuck.errorType).toBe("Timeout");
    expect(stuck.frames).toEqual([expect.objectContaining({ file: "test_stuck_in_c.py", line: 3, kind: "test" })]);
    expect(r.failures.find((f) => f.testName === "test_loops_forever")?.errorType).toBe("Timeout");
    expect([...r.passedNodeIds].sort()).toEqual(["test_hang.py::test_runs_after_the_hang", "test_stuck_in_c.py::test_after_c_hang"]);
  });

  it("runs without coverage, saying why, when pytest-cov is not installed", async () => {
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("coverage"), python: pythons["pytest 9"]! });
    const r = await adapter.runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.coverage).toBeNull();
    expect(r.coverageError).toMatch(/^pytest-cov is not installed for .*\.venv-pytest9/);
  });
});
