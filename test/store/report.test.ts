import { describe, expect, it } from "vitest";
import { buildTestReport, calculateCoverageDelta, renderTestReport, summaryLine } from "../../src/store/index.js";
import { failureLocation } from "../../src/parsers/failure-location.js";
import { coverageOf, failingResult, passingResult } from "./sample-results.js";

describe("buildTestReport", () => {
  it("summarises a failing run with locations, coverage and recommendations", () => {
    const r = buildTestReport(failingResult());
    expect(r.summary).toEqual({
      status: "failed",
      total: 6,
      passed: 3,
      failed: 2,
      errors: 0,
      skipped: 1,
      xfailed: 0,
      xpassed: 0,
      durationSeconds: 0.43,
      passRate: 60,
    });
    expect(r.failureDetails).toEqual([
      {
        nodeId: "tests/test_cart.py::test_total",
        errorType: "AssertionError",
        errorMessage: "assert 10 == 12\n +  where 10 = total([5, 5])",
        phase: "call",
        location: "tests/test_cart.py:14",
        raisedAt: null,
      },
      {
        nodeId: "tests/test_user.py::test_name",
        errorType: "AttributeError",
        errorMessage: "'User' object has no attribute 'nmae'",
        phase: "call",
        location: "tests/test_user.py:8",
        raisedAt: "shop/user.py:21",
        hint: "Did you mean: 'name'?",
      },
    ]);
    expect(r.coverageSummary).toEqual({
      percent: 60,
      coveredLines: 42,
      totalLines: 70,
      leastCovered: [{ file: "shop/cart.py", percent: 30, missingLines: 28 }],
    });
    expect(r.recommendations).toEqual([
      "1 failure with AssertionError: compare the expected and actual values in each assertion with the code under test.",
      "1 failure with AttributeError: look for misspelled attribute names or objects that are None.",
      "Coverage is 60%, below 80%: add tests for shop/cart.py (30%).",
      "1 slow test or file; the slowest is tests/test_cart.py::test_slow (2.50s).",
    ]);
  });

  it("says so when everything passes, and explains runs without tests or coverage", () => {
    expect(buildTestReport(passingResult()).recommendations).toEqual(["All tests pass; nothing to fix."]);
    const empty = buildTestReport({
      ...passingResult(),
      status: "no_tests",
      passed: 0,
      total: 0,
      coverage: null,
      coverageError: "no data collected",
    });
    expect(empty.summary.passRate).toBeNull();
    expect(empty.coverageSummary).toBeNull();
    expect(empty.recommendations).toEqual([
      "No tests were collected: check the path and the runner's test-file settings (pytest's testpaths / python_files, vitest's " +
        "include, jest's testMatch).",
      "Coverage was not measured (no data collected).",
    ]);
    const broken = buildTestReport({ ...passingResult(), status: "error", passed: 0, total: 0, message: "pytest exited with code 3" });
    expect(broken.recommendations[0]).toMatch(/^The test runner could not run the suite: /);
    expect(broken.recommendations).not.toContain("All tests pass; nothing to fix.");
  });

  it("puts collection errors first", () => {
    const base = failingResult();
    const collect = {
      ...base.failures[0]!,
      nodeId: "tests/test_broken.py",
      phase: "collect" as const,
      errorType: "ModuleNotFoundError",
      errorMessage: "No module named 'shopx'",
    };
    const r = buildTestReport({ ...base, status: "failed", errors: 1, failures: [collect], slowTests: [], coverage: null });
    expect(r.recommendations[0]).toBe("1 file failed to import; fix it first, since its tests did not run.");
    expect(r.recommendations[1]).toMatch(/^1 failure with ModuleNotFoundError: check the import statements/);
  });
});

describe("failure locations and grouped advice", () => {
  it("locates a failure at its innermost test-file frame and names where it was raised", () => {
    const base = failingResult().failures[0]!;
    const calledFrames = [
      { file: "tests/t.py", line: 21, function: "test_a", kind: "test" as const },
      { file: "shop.py", line: 30, function: "parse", kind: "project" as const },
    ];
    const called = {
      ...base,
      nodeId: "tests/t.py::test_a",
      testFile: "tests/t.py",
      errorType: "ValueError",
      frames: calledFrames,
      ...failureLocation(calledFrames, "tests/t.py"),
    };
    const setupFrames = [{ file: "conftest.py", line: 6, function: "db", kind: "test" as const }];
    const setup = {
      ...base,
      nodeId: "tests/t.py::test_b",
      testFile: "tests/t.py",
      errorType: "ConnectionError",
      phase: "setup" as const,
      frames: setupFrames,
      ...failureLocation(setupFrames, "tests/t.py"),
    };
    const again = { ...called, nodeId: "tests/t.py::test_c" };
    const r = buildTestReport({ ...failingResult(), failures: [called, setup, again], slowTests: [], coverage: null });
    expect(r.failureDetails.map((f) => [f.location, f.raisedAt])).toEqual([
      ["tests/t.py:21", "shop.py:30"],
      ["tests/t.py", "conftest.py:6"],
      ["tests/t.py:21", "shop.py:30"],
    ]);
    expect(r.recommendations).toEqual([
      "3 failures with ValueError ×2, ConnectionError: read the stack trace from the innermost project frame outward.",
    ]);
  });
});

describe("renderTestReport", () => {
  it("prints the summary line, each failure with type, message and location, coverage, slow tests", () => {
    const text = renderTestReport(buildTestReport(failingResult()));
    expect(summaryLine(buildTestReport(failingResult()))).toBe("FAILED  3 passed, 2 failed, 1 skipped in 0.43s");
    expect(text).toBe(
      [
        "FAILED  3 passed, 2 failed, 1 skipped in 0.43s",
        "",
        "Failures",
        "  1) tests/test_cart.py::test_total",
        "     AssertionError: assert 10 == 12",
        "      +  where 10 = total([5, 5])",
        "     at tests/test_cart.py:14",
        "  2) tests/test_user.py::test_name",
        "     AttributeError: 'User' object has no attribute 'nmae'",
        "     at tests/test_user.py:8 (raised in shop/user.py:21)",
        "     hint: Did you mean: 'name'?",
        "",
        "Coverage  60.0% (42/70 lines)",
        "  shop/cart.py  30.0% (28 lines missing)",
        "",
        "Slow tests",
        "  2.50s  tests/test_cart.py::test_slow",
        "",
        "Recommendations",
        "  - 1 failure with AssertionError: compare the expected and actual values in each assertion with the code under test.",
        "  - 1 failure with AttributeError: look for misspelled attribute names or objects that are None.",
        "  - Coverage is 60%, below 80%: add tests for shop/cart.py (30%).",
        "  - 1 slow test or file; the slowest is tests/test_cart.py::test_slow (2.50s).",
        "",
      ].join("\n"),
    );
  });

  it("cuts long messages and says coverage was not measured", () => {
    const base = failingResult();
    const long = { ...base.failures[0]!, errorMessage: Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n") };
    const text = renderTestReport(buildTestReport({ ...base, failures: [long], coverage: null }));
    expect(text).toContain("     AssertionError: line 0\n     line 1\n");
    expect(text).toContain("     line 5\n     … (14 more lines)\n");
    expect(text).toContain("Coverage  not measured\n");
  });
});

describe("calculateCoverageDelta", () => {
  it("reports the overall change and the files that changed", () => {
    const before = coverageOf([
      ["a.py", 5, 10],
      ["b.py", 10, 10],
      ["gone.py", 1, 2],
    ]);
    const after = coverageOf([
      ["a.py", 8, 10],
      ["b.py", 10, 10],
      ["new.py", 3, 4],
    ]);
    expect(calculateCoverageDelta(before, after)).toEqual({
      before: 72.73,
      after: 87.5,
      delta: 14.77,
      files: [
        { file: "new.py", before: null, after: 75, delta: 75 },
        { file: "gone.py", before: 50, after: null, delta: -50 },
        { file: "a.py", before: 50, after: 80, delta: 30 },
      ],
    });
  });

  it("has no delta when a side was not measured", () => {
    expect(calculateCoverageDelta(null, coverageOf([["a.py", 1, 2]]))).toEqual({ before: null, after: 50, delta: null, files: [] });
  });
});
