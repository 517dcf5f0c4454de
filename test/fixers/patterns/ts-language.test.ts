// Pattern routing by language: a Python failure never reaches a TS pattern, a TS failure never reaches a Python one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Failure } from "../../../src/domain/failure.js";
import { failureLanguage } from "../../../src/analysis/language.js";
import { createPatternContext, findPatternFix, patterns, type PatternId } from "../../../src/fixers/patterns/index.js";
import type { PythonCaller } from "../../../src/python/client.js";
import type { TsProject } from "../../../src/ts-project/types.js";
import { isJsTestFile, jsAnalysis, jsFailure, openTsCase, type TsCase } from "../../ts-project/ts-case.js";

/** A TsProject that records every call and answers nothing. */
function recordingTsProject(projectRoot: string, calls: string[]): TsProject {
  return {
    projectRoot,
    diagnostics: async (rel) => (calls.push(`diagnostics ${rel}`), []),
    codeFixes: async (rel) => (calls.push(`codeFixes ${rel}`), []),
    localImports: async (rel) => (calls.push(`localImports ${rel}`), []),
    refresh: () => calls.push("refresh"),
  };
}

/** A Python helper that records every op and declines it. */
const recordingHelper = (calls: string[]): PythonCaller => ({
  call: (op) => {
    calls.push(op);
    return Promise.reject(new Error(`python op ${op} called`));
  },
});

const pythonFailure: Failure = {
  nodeId: "tests/test_users.py::test_name",
  testFile: "tests/test_users.py",
  testName: "test_name",
  errorType: "AssertionError",
  errorMessage: "assert None == 'Ann'",
  stackTrace: "tests/test_users.py:5: AssertionError",
  lineNumber: 5,
  faultFile: "tests/test_users.py",
  faultLine: 5,
  frames: [{ file: "tests/test_users.py", line: 5, function: "test_name", kind: "test" }],
  phase: "call",
  durationSeconds: 0.01,
};

const tsIds = Object.keys(patterns).filter((id) => id.startsWith("ts-")) as PatternId[];

describe("pattern languages", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("missing-await");
  });
  afterAll(() => c?.close());

  it("registers the TS patterns after the Python ones, in their run order", () => {
    expect(tsIds).toEqual(["ts-missing-import", "ts-missing-await", "ts-spelling", "ts-undefined-guard", "ts-unresolved-name"]);
    const ids = Object.keys(patterns);
    expect(ids.slice(-tsIds.length)).toEqual(tsIds);
    for (const id of ids) expect(patterns[id as PatternId].languages).toEqual(id.startsWith("ts-") ? ["typescript"] : ["python"]);
  });

  it("decides the language from the file to fix, else the test file", () => {
    const a = jsAnalysis(pythonFailure);
    expect(failureLanguage(pythonFailure, a.fileToFix)).toBe("python");
    expect(failureLanguage(pythonFailure, "src/cart.mts")).toBe("typescript");
    expect(failureLanguage({ ...pythonFailure, testFile: "test/cart.spec.jsx" }, null)).toBe("typescript");
    expect(failureLanguage({ ...pythonFailure, testFile: "test/x.cjs" }, "pkg/stubs.pyi")).toBe("python");
  });

  it("never hands a Python failure to a TS pattern, even one whose matches() would accept it", async () => {
    const calls: string[] = [];
    const ctx = createPatternContext({
      failure: pythonFailure,
      analysis: { ...jsAnalysis(pythonFailure), fileToFix: "users/service.py" },
      projectRoot: c.root,
      helper: recordingHelper([]),
      typescript: recordingTsProject(c.root, calls),
    });
    expect(patterns["ts-missing-await"].matches(ctx.failure, ctx.analysis)).toBe(true);
    expect(await findPatternFix(ctx, { only: tsIds })).toBeNull();
    expect(calls).toEqual([]);
  });

  it("never hands a TS failure to a Python pattern", async () => {
    const pyCalls: string[] = [];
    const f = jsFailure(c.root, {
      testFile: "test/profile.test.ts",
      testName: "profile > greets the user",
      errorType: "AssertionError",
      errorMessage: "expected 'Hello, undefined' to be 'Hello, Ann' // Object.is equality",
      frames: [{ file: "test/profile.test.ts", line: 10, column: 25, fn: "test/profile.test.ts", kind: "test" }],
    });
    const ctx = createPatternContext({
      failure: f,
      analysis: jsAnalysis(f),
      projectRoot: c.root,
      helper: recordingHelper(pyCalls),
      isTestFile: isJsTestFile,
      typescript: c.project,
    });
    expect(patterns["missing-await"].matches(ctx.failure)).toBe(true);
    // Only the sync greeting() is reachable and the test does not await it: every TS pattern declines.
    expect(await findPatternFix(ctx)).toBeNull();
    expect(pyCalls).toEqual([]);
  });
});
