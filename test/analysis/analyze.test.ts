// analyzeFailure beyond the corpus: plugin-style failures with structured frames and hints, in-memory sources, no location.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFailure } from "../../src/analysis/analyze.js";
import { createFsSourceReader, type SourceReader } from "../../src/analysis/source.js";
import { AnalysisSchema } from "../../src/domain/analysis.js";
import type { Failure, StackFrame } from "../../src/domain/failure.js";
import { projectsDir } from "./corpus.js";

/** An in-memory project: path → source text. */
const memorySource = (files: Record<string, string>): SourceReader => ({
  lines: (p) => (p in files ? files[p]!.split("\n") : null),
  pythonFiles: () => Object.keys(files).filter((p) => p.endsWith(".py")),
  scriptFiles: () => Object.keys(files).filter((p) => /\.[cm]?[jt]sx?$/.test(p)),
});

const failure = (over: Partial<Failure> & { frames: StackFrame[] }): Failure => ({
  nodeId: "tests/test_app.py::test_it",
  testFile: "tests/test_app.py",
  testName: "test_it",
  errorType: "Exception",
  errorMessage: "",
  stackTrace: "",
  lineNumber: null,
  faultFile: null,
  faultLine: null,
  phase: "call",
  durationSeconds: 0.01,
  ...over,
});

const testFrame: StackFrame = {
  file: "tests/test_app.py",
  line: 4,
  function: "test_it",
  code: "assert dump_config({}) == '{}'",
  kind: "test",
};

describe("analyzeFailure", () => {
  it("NameError for a stdlib module: add_import with the exact sentence", () => {
    const source = memorySource({
      "app/utils.py": "import os\n\n\n\n\n\n\n\n\n\ndef dump_config(config):\n    return json.dumps(config)\n",
      "tests/test_app.py": "from app.utils import dump_config\n\n\ndef test_it():\n    assert dump_config({}) == '{}'\n",
    });
    const a = analyzeFailure(
      failure({
        errorType: "NameError",
        errorMessage: "name 'json' is not defined",
        frames: [
          testFrame,
          { file: "/srv/p/app/utils.py", line: 12, function: "dump_config", code: "return json.dumps(config)", kind: "project" },
        ],
      }),
      { projectRoot: "/srv/p", source },
    );
    expect(AnalysisSchema.parse(a)).toEqual(a);
    expect(a).toMatchObject({
      errorCategory: "import",
      fixStrategy: "add_import",
      fileToFix: "app/utils.py",
      lineNumber: 12,
      functionName: "dump_config",
      confidence: 0.9,
    });
    expect(a.suggestedFix).toBe(
      "Add `import json` at the top of app/utils.py (NameError: name 'json' is not defined at app/utils.py:12 in dump_config).",
    );
    expect(a.groupKey).toBe("app/utils.py:12:NameError");
  });

  it("NameError for a name another project module defines: `from <module> import <name>`", () => {
    const source = memorySource({
      "src/app/audit.py": "audit_log = []\n",
      "src/app/report.py": "def report():\n    audit_log.append(1)\n",
    });
    const a = analyzeFailure(
      failure({
        errorType: "NameError",
        errorMessage: "name 'audit_log' is not defined",
        frames: [{ file: "src/app/report.py", line: 2, function: "report", kind: "project" }],
      }),
      { projectRoot: "/srv/p", source },
    );
    expect(a).toMatchObject({ fixStrategy: "add_import", confidence: 0.8 });
    expect(a.suggestedFix).toMatch(/^Add `from app\.audit import audit_log` at the top of src\/app\/report\.py/);
  });

  it("uses the plugin's hint field for a NameError typo", () => {
    const a = analyzeFailure(
      failure({
        errorType: "NameError",
        errorMessage: "name 'wrods' is not defined",
        hint: "words",
        frames: [{ file: "app/text.py", line: 3, function: "count", kind: "project" }],
      }),
      { projectRoot: "/srv/p", source: memorySource({}) },
    );
    expect(a).toMatchObject({ errorCategory: "attribute", fixStrategy: "fix_attribute_name", hint: "words" });
    expect(a.suggestedFix).toBe("Replace `wrods` with `words` in count (app/text.py:3) (NameError: name 'wrods' is not defined).");
  });

  it("reads a hint from the message text (CPython's own `Did you mean`)", () => {
    const a = analyzeFailure(
      failure({
        errorType: "AttributeError",
        errorMessage: "'Order' object has no attribute 'totl'. Did you mean: 'total'?",
        frames: [{ file: "app/o.py", line: 9, function: "f", kind: "project" }],
      }),
      { projectRoot: "/srv/p", source: memorySource({}) },
    );
    expect(a).toMatchObject({ errorCategory: "attribute", fixStrategy: "fix_attribute_name", hint: "total" });
  });

  it("assertion on a project function's value: points at its def and carries expected/actual", () => {
    const a = analyzeFailure(
      failure({
        errorType: "AssertionError",
        errorMessage: "assert 3 == 4\n +  where 3 = add(1, 1)",
        frames: [{ file: "tests/test_app.py", line: 5, function: "test_it", code: "assert add(1, 1) == 4", kind: "test" }],
      }),
      {
        projectRoot: "/srv/p",
        source: memorySource({
          "app/calc.py": "def add(a, b):\n    return a + b + 1\n",
          "tests/test_app.py": "from app.calc import add\n\n\ndef test_it():\n    assert add(1, 1) == 4\n",
        }),
      },
    );
    expect(a).toMatchObject({
      errorCategory: "assertion",
      fixStrategy: "fix_assertion",
      fileToFix: "app/calc.py",
      lineNumber: 1,
      functionName: "add",
      expected: "4",
      actual: "3",
    });
    expect(a.suggestedFix).toBe("Fix add (app/calc.py:1) so the assertion holds: it produced 3 where the test expects 4.");
  });

  it("without any frame or readable test file: no location and half the confidence", () => {
    const a = analyzeFailure(failure({ errorType: "KeyError", errorMessage: "'x'", frames: [] }), {
      projectRoot: "/srv/p",
      source: memorySource({}),
    });
    expect(a).toMatchObject({ fileToFix: null, lineNumber: null, fixStrategy: "llm", confidence: 0.18, groupKey: "?:?:KeyError" });
  });

  it("falls back to the test's def line when pytest printed no traceback", () => {
    const projectRoot = join(projectsDir, "asyncapp");
    const a = analyzeFailure(
      failure({
        nodeId: "tests/test_users.py::test_unmarked_async",
        testFile: "tests/test_users.py",
        testName: "test_unmarked_async",
        errorType: "Failed",
        errorMessage: "async def functions are not natively supported.",
        frames: [],
      }),
      { projectRoot, source: createFsSourceReader(projectRoot) },
    );
    expect(a).toMatchObject({
      errorCategory: "async",
      fileToFix: "tests/test_users.py",
      lineNumber: 65,
      functionName: "test_unmarked_async",
    });
  });
});
