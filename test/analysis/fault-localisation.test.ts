// Ochiai ranking on hand-built per-test coverage: exact scores, tie-break, test files excluded, reads kept per file.
import { describe, expect, it } from "vitest";
import { analyzeFailure, createFaultLocaliser, faultLocaliserFor, stackMissesProject } from "../../src/analysis/index.js";
import type { SourceReader } from "../../src/analysis/index.js";
import type { Failure } from "../../src/domain/index.js";
import type { PerTestCoverage } from "../../src/runners/adapter.js";

/** Coverage from a literal table (test → file → lines), counting every linesOf read per test. */
function tableCoverage(table: Record<string, Record<string, number[]>>): PerTestCoverage & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    tests: () => Object.keys(table),
    testsCovering(file) {
      const ids = Object.keys(table).filter((id) => table[id]![file] !== undefined);
      return ids.length === 0 ? null : ids;
    },
    linesOf(id) {
      reads.set(id, (reads.get(id) ?? 0) + 1);
      return new Map(Object.entries(table[id] ?? {}));
    },
  };
}

const memorySource = (files: Record<string, string>): SourceReader => ({
  lines: (rel) => files[rel]?.split("\n") ?? null,
  pythonFiles: () => Object.keys(files).filter((f) => f.endsWith(".py")),
  scriptFiles: () => [],
});

const isTestFile = (rel: string): boolean => rel.startsWith("tests/");

const SOURCES = memorySource({
  "pkg/m.py": "def total(xs):\n    s = 0\n    return s - sum(xs)\n",
  "pkg/a.py": "\n\n\n\n\n\n\n\nLIMIT = 3\n",
});

// F = {t1, t2}. pkg/m.py line 1: ef 2, ep 2; line 2: ef 1, ep 1; line 3: ef 2, ep 0. pkg/a.py line 9: ef 2, ep 0.
const TABLE = {
  "tests/test_m.py::t1": { "pkg/m.py": [1, 2, 3], "pkg/a.py": [9], "tests/test_m.py": [5, 6] },
  "tests/test_m.py::t2": { "pkg/m.py": [1, 3], "pkg/a.py": [9] },
  "tests/test_m.py::p1": { "pkg/m.py": [1, 2] },
  "tests/test_m.py::p2": { "pkg/m.py": [1] },
  "tests/test_other.py::p3": { "pkg/other.py": [1, 2] },
};

describe("createFaultLocaliser", () => {
  it("scores each line a failing test ran with ef / sqrt(|F| * (ef + ep)), best first, ties by file then line", () => {
    const coverage = tableCoverage(TABLE);
    const failing = ["tests/test_m.py::t1", "tests/test_m.py::t2"];
    const localiser = createFaultLocaliser({ coverage, failing, isTestFile, source: SOURCES });
    expect(localiser.rank("tests/test_m.py::t1")).toEqual([
      { file: "pkg/a.py", line: 9, score: 1, text: "LIMIT = 3" },
      { file: "pkg/m.py", line: 3, score: 1, text: "return s - sum(xs)" },
      { file: "pkg/m.py", line: 1, score: 0.7071, text: "def total(xs):" },
      { file: "pkg/m.py", line: 2, score: 0.5, text: "s = 0" },
    ]);
    expect(localiser.rank("tests/test_m.py::t2").map((l) => `${l.file}:${l.line}`)).toEqual(["pkg/a.py:9", "pkg/m.py:3", "pkg/m.py:1"]);
    expect(localiser.rank("tests/test_m.py::t1", 2)).toHaveLength(2);
    // A passing test is no failure to rank; a test file's lines are never suspects.
    expect(localiser.rank("tests/test_m.py::p1")).toEqual([]);
    expect(localiser.rank("tests/test_m.py::t1").some((l) => l.file.startsWith("tests/"))).toBe(false);
  });

  it("counts only measured failing tests in |F| and never reads a passing test of a file no failure ran", () => {
    const coverage = tableCoverage(TABLE);
    // A failing test the coverage did not measure (it failed at collection, say) neither counts nor ranks.
    const failing = ["tests/test_m.py::t1", "tests/test_gone.py::x"];
    const localiser = createFaultLocaliser({ coverage, failing, isTestFile, source: SOURCES });
    // F = {t1}; t2 now counts as passing. a.py 9: ef 1, ep 1; m.py 1: ef 1, ep 3; m.py 2 and 3: ef 1, ep 1.
    expect(localiser.rank("tests/test_m.py::t1").map((l) => [l.file, l.line, l.score])).toEqual([
      ["pkg/a.py", 9, 0.7071],
      ["pkg/m.py", 2, 0.7071],
      ["pkg/m.py", 3, 0.7071],
      ["pkg/m.py", 1, 0.5],
    ]);
    expect(localiser.rank("tests/test_gone.py::x")).toEqual([]);
    expect(coverage.reads.get("tests/test_other.py::p3")).toBeUndefined();
    // Each passing test of a file is read once however many failures are ranked.
    localiser.rank("tests/test_m.py::t1");
    expect(coverage.reads.get("tests/test_m.py::p1")).toBe(1);
  });

  it("reads at 20,000 tests only the tests covering the files the failure ran", () => {
    const table: Record<string, Record<string, number[]>> = {};
    for (let i = 0; i < 20_000; i++) table[`tests/test_${i % 200}.py::t${i}`] = { [`pkg/mod_${i % 200}.py`]: [1, 2, 3 + (i % 7)] };
    table["tests/test_7.py::t7"] = { "pkg/mod_7.py": [1, 2, 99] };
    const coverage = tableCoverage(table);
    const localiser = createFaultLocaliser({ coverage, failing: ["tests/test_7.py::t7"], isTestFile, source: memorySource({}) });
    const [top] = localiser.rank("tests/test_7.py::t7");
    expect(top).toEqual({ file: "pkg/mod_7.py", line: 99, score: 1, text: "" });
    // t7 plus the 99 passing tests of mod_7: the other 19,900 are never read.
    expect(coverage.reads.size).toBe(100);
  });
});

const failure = (faultFile: string | null): Failure => ({
  nodeId: "tests/test_m.py::t1",
  testFile: "tests/test_m.py",
  testName: "t1",
  errorType: "AssertionError",
  errorMessage: "assert 0 == 6",
  stackTrace: "",
  lineNumber: 6,
  faultFile,
  faultLine: faultFile === null ? null : 6,
  frames: [],
  phase: "call",
  durationSeconds: 0,
});

describe("suspects and analyzeFailure", () => {
  it("ranks only failures whose stack stops short of project code", () => {
    expect(stackMissesProject({ faultFile: null }, isTestFile)).toBe(true);
    expect(stackMissesProject({ faultFile: "tests/test_m.py" }, isTestFile)).toBe(true);
    expect(stackMissesProject({ faultFile: "pkg/m.py" }, isTestFile)).toBe(false);
    const coverage = tableCoverage(TABLE);
    const localiser = createFaultLocaliser({ coverage, failing: ["tests/test_m.py::t1"], isTestFile, source: SOURCES });
    expect(localiser.suspects(failure("pkg/m.py"))).toEqual([]);
    // A failure raised in project code costs no coverage read.
    expect(coverage.reads.size).toBe(0);
    expect(localiser.suspects(failure("tests/test_m.py"))[0]).toMatchObject({ file: "pkg/a.py", line: 9, score: 0.7071 });
  });

  it("puts the suspects into the analysis, and leaves the field absent without per-test coverage", () => {
    const adapter = { projectRoot: "/nowhere", isTestFile, testCoverage: (): PerTestCoverage => tableCoverage(TABLE) };
    const localiser = faultLocaliserFor(adapter, ["tests/test_m.py::t1"], SOURCES);
    const analysis = analyzeFailure(failure("tests/test_m.py"), { projectRoot: "/nowhere", source: SOURCES, localiser });
    expect(analysis.suspiciousLines?.map((l) => l.line)).toEqual([9, 2, 3, 1]);
    const jsLike = faultLocaliserFor({ projectRoot: "/nowhere", isTestFile }, ["tests/test_m.py::t1"], SOURCES);
    expect(jsLike).toBeNull();
    const plain = analyzeFailure(failure("tests/test_m.py"), { projectRoot: "/nowhere", source: SOURCES, localiser: jsLike });
    expect("suspiciousLines" in plain).toBe(false);
    expect(faultLocaliserFor({ ...adapter, testCoverage: () => null }, [], SOURCES)).toBeNull();
  });
});
