// Realistic TestRunResult values for store and report tests (shaped like the pytest adapter's output).
import { TestRunResultSchema } from "../../src/domain/index.js";
import type { Coverage, TestRunResult } from "../../src/domain/index.js";

export const coverageOf = (files: [string, number, number][]): Coverage => {
  const covered = files.reduce((n, [, c]) => n + c, 0);
  const total = files.reduce((n, [, , t]) => n + t, 0);
  return {
    percent: total === 0 ? 100 : (covered / total) * 100,
    coveredLines: covered,
    totalLines: total,
    files: files.map(([file, c, t]) => ({
      file,
      coveredLines: c,
      totalLines: t,
      percent: t === 0 ? 100 : (c / t) * 100,
      missingLines: Array.from({ length: t - c }, (_, i) => i + 1),
    })),
  };
};

/** Two failures (an assertion in a test, an AttributeError raised in project code), 3 passed, 1 skipped. */
export const failingResult = (): TestRunResult =>
  TestRunResultSchema.parse({
    status: "failed",
    passed: 3,
    failed: 2,
    errors: 0,
    skipped: 1,
    total: 6,
    durationSeconds: 0.4321,
    failures: [
      {
        nodeId: "tests/test_cart.py::test_total",
        testFile: "tests/test_cart.py",
        testName: "test_total",
        errorType: "AssertionError",
        errorMessage: "assert 10 == 12\n +  where 10 = total([5, 5])",
        stackTrace: "tests/test_cart.py:14: in test_total\n    assert total([5, 5]) == 12\nE   assert 10 == 12",
        lineNumber: 14,
        faultFile: "tests/test_cart.py",
        faultLine: 14,
        frames: [{ file: "tests/test_cart.py", line: 14, function: "test_total", kind: "test" }],
        phase: "call",
        durationSeconds: 0.01,
      },
      {
        nodeId: "tests/test_user.py::test_name",
        testFile: "tests/test_user.py",
        testName: "test_name",
        errorType: "AttributeError",
        errorMessage: "'User' object has no attribute 'nmae'",
        stackTrace: "...",
        lineNumber: 8,
        faultFile: "shop/user.py",
        faultLine: 21,
        frames: [
          { file: "tests/test_user.py", line: 8, function: "test_name", kind: "test" },
          { file: "shop/user.py", line: 21, function: "display", kind: "project" },
          { file: "/usr/lib/python3.11/enum.py", line: 3, function: "x", kind: "stdlib" },
        ],
        phase: "call",
        durationSeconds: 0.02,
        hint: "Did you mean: 'name'?",
      },
    ],
    coverage: coverageOf([
      ["shop/cart.py", 12, 40],
      ["shop/user.py", 30, 30],
    ]),
    command: ["python", "-m", "pytest", "-q"],
    slowTests: [{ nodeId: "tests/test_cart.py::test_slow", durationSeconds: 2.5, kind: "test" }],
    passedNodeIds: ["tests/test_cart.py::test_a", "tests/test_cart.py::test_b", "tests/test_user.py::test_c"],
  });

/** Everything passed, coverage 100%. */
export const passingResult = (): TestRunResult =>
  TestRunResultSchema.parse({
    status: "passed",
    passed: 5,
    failed: 0,
    errors: 0,
    skipped: 0,
    total: 5,
    durationSeconds: 0.2,
    failures: [],
    coverage: coverageOf([
      ["shop/cart.py", 40, 40],
      ["shop/user.py", 30, 30],
    ]),
    command: ["python", "-m", "pytest", "-q"],
    slowTests: [],
  });
