// identifyFixStrategy: a deterministic pattern when one fits, "llm" otherwise.
import { describe, expect, it } from "vitest";
import { identifyFixStrategy } from "../../src/analysis/strategy.js";
import type { Failure } from "../../src/domain/failure.js";

const failure = (errorType: string, errorMessage: string, hint?: string): Failure => ({
  nodeId: "tests/test_x.py::test_x",
  testFile: "tests/test_x.py",
  testName: "test_x",
  errorType,
  errorMessage,
  stackTrace: "",
  lineNumber: null,
  faultFile: null,
  faultLine: null,
  frames: [],
  phase: "call",
  durationSeconds: 0,
  ...(hint ? { hint } : {}),
});

describe("identifyFixStrategy", () => {
  it("NameError: add_import for an importable name, fix_attribute_name for a typo of a defined name, llm otherwise", () => {
    expect(identifyFixStrategy("import", "NameError: name 'json' is not defined", undefined, { importable: true })).toBe("add_import");
    expect(identifyFixStrategy("import", "NameError: name 're' is not defined. Did you forget to import 're'?")).toBe("add_import");
    expect(
      identifyFixStrategy(
        "attribute",
        "NameError: name 'wrods' is not defined",
        failure("NameError", "name 'wrods' is not defined", "words"),
      ),
    ).toBe("fix_attribute_name");
    expect(identifyFixStrategy("attribute", "NameError: name 'wrods' is not defined. Did you mean: 'words'?")).toBe("fix_attribute_name");
    expect(identifyFixStrategy("import", "NameError: name 'audit_log' is not defined")).toBe("llm");
  });

  it("ImportError: fix_attribute_name with a close name, llm without", () => {
    expect(
      identifyFixStrategy("import", "ImportError: cannot import name 'compute_totl' from 'app.core'", undefined, {
        suggestion: "compute_total",
      }),
    ).toBe("fix_attribute_name");
    expect(identifyFixStrategy("import", "ModuleNotFoundError: No module named 'tomlkit_extras'")).toBe("llm");
  });

  it("None: add_none_check for attribute access and None-typed operations", () => {
    expect(identifyFixStrategy("attribute", "AttributeError: 'NoneType' object has no attribute 'stock'")).toBe("add_none_check");
    expect(identifyFixStrategy("type_error", "TypeError: 'NoneType' object is not subscriptable")).toBe("add_none_check");
    expect(identifyFixStrategy("type_error", "TypeError: '<' not supported between instances of 'NoneType' and 'int'")).toBe(
      "add_none_check",
    );
  });

  it("attribute typo: fix_attribute_name with a hint, llm without", () => {
    expect(
      identifyFixStrategy("attribute", "AttributeError: 'Product' object has no attribute 'stok'", undefined, { suggestion: "stock" }),
    ).toBe("fix_attribute_name");
    expect(identifyFixStrategy("attribute", "AttributeError: 'Product' object has no attribute 'title'")).toBe("llm");
  });

  it("async: add_await for a coroutine used unawaited, llm for event-loop misuse", () => {
    expect(identifyFixStrategy("async", "RuntimeWarning: coroutine 'fetch_user' was never awaited")).toBe("add_await");
    expect(identifyFixStrategy("async", "TypeError: 'coroutine' object is not subscriptable")).toBe("add_await");
    expect(identifyFixStrategy("async", "RuntimeError: asyncio.run() cannot be called from a running event loop")).toBe("llm");
  });

  it("database: add_commit for an uncommitted write, fix_query for bad SQL and one()-style lookups, llm otherwise", () => {
    expect(identifyFixStrategy("database", "AssertionError: assert None is not None", undefined, { missingCommit: true })).toBe(
      "add_commit",
    );
    expect(identifyFixStrategy("database", "OperationalError: no such column: nme")).toBe("fix_query");
    expect(identifyFixStrategy("database", 'OperationalError: (sqlite3.OperationalError) near "SELEC": syntax error')).toBe("fix_query");
    expect(identifyFixStrategy("database", "NoResultFound: No row was found when one was required")).toBe("fix_query");
    expect(identifyFixStrategy("database", "ProgrammingError: Incorrect number of bindings supplied.")).toBe("fix_query");
    expect(identifyFixStrategy("database", "IntegrityError: UNIQUE constraint failed: users.email")).toBe("llm");
  });

  it("assertion: fix_assertion when the test compares a project value, add_commit for a None after a write, llm otherwise", () => {
    expect(identifyFixStrategy("assertion", "AssertionError: assert -1 == 5", undefined, { comparesProjectValue: true })).toBe(
      "fix_assertion",
    );
    expect(identifyFixStrategy("assertion", "AssertionError: assert None is not None", undefined, { missingCommit: true })).toBe(
      "add_commit",
    );
    expect(identifyFixStrategy("assertion", "Failed: DID NOT RAISE <class 'ValueError'>")).toBe("llm");
  });

  it("api: add_mock when the service cannot be reached, llm for HTTP errors; types, syntax, timeouts", () => {
    expect(identifyFixStrategy("api", "URLError: <urlopen error [Errno 111] Connection refused>")).toBe("add_mock");
    expect(identifyFixStrategy("api", "HTTPError: HTTP Error 500: Internal Server Error")).toBe("llm");
    expect(identifyFixStrategy("type_error", 'TypeError: can only concatenate str (not "int") to str')).toBe("add_type_hint");
    expect(identifyFixStrategy("type_error", "TypeError: apply_discount() missing 1 required positional argument: 'percent'")).toBe("llm");
    expect(identifyFixStrategy("syntax", "SyntaxError: '(' was never closed")).toBe("fix_syntax");
    expect(identifyFixStrategy("timeout", "TimeoutError: timed out")).toBe("llm");
    expect(identifyFixStrategy("logic", "ZeroDivisionError: division by zero")).toBe("llm");
  });
});
