// generateFixSuggestion: a specific sentence naming the symbol, function, file and line.
import { describe, expect, it } from "vitest";
import { generateFixSuggestion } from "../../src/analysis/suggestion.js";
import type { Analysis } from "../../src/domain/analysis.js";

const analysis = (over: Partial<Analysis>): Analysis => ({
  errorType: "Error",
  errorCategory: "logic",
  rootCause: "Error: x",
  suggestedFix: "",
  fileToFix: "app/utils.py",
  lineNumber: 12,
  functionName: "dump_config",
  fixStrategy: "llm",
  confidence: 0.5,
  groupKey: "k",
  ...over,
});

describe("generateFixSuggestion", () => {
  it("add_import names the statement, the file, the error and where it happened", () => {
    const a = analysis({
      errorType: "NameError",
      errorCategory: "import",
      fixStrategy: "add_import",
      rootCause: "NameError: name 'json' is not defined",
    });
    expect(generateFixSuggestion(a)).toBe(
      "Add `import json` at the top of app/utils.py (NameError: name 'json' is not defined at app/utils.py:12 in dump_config).",
    );
    expect(generateFixSuggestion(a, { importStatement: "from collections import OrderedDict" })).toMatch(
      /^Add `from collections import OrderedDict` at the top of app\/utils\.py/,
    );
  });

  it("add_await names the call that needs awaiting", () => {
    const a = analysis({
      errorCategory: "async",
      fixStrategy: "add_await",
      fileToFix: "app/api.py",
      lineNumber: 30,
      functionName: "get_profile",
      rootCause: "TypeError: 'coroutine' object is not subscriptable",
    });
    expect(generateFixSuggestion(a, { code: "user = fetch_user(user_id)" })).toBe(
      "Add `await` before `fetch_user(...)` in get_profile (app/api.py:30): the coroutine is used without being awaited " +
        "(TypeError: 'coroutine' object is not subscriptable).",
    );
  });

  it("add_commit names the connection or session to commit", () => {
    const a = analysis({
      errorCategory: "database",
      fixStrategy: "add_commit",
      fileToFix: "app/storage.py",
      lineNumber: 29,
      functionName: "add_user",
      rootCause: "AssertionError: assert None is not None",
    });
    expect(generateFixSuggestion(a, { code: 'conn.execute("INSERT INTO users VALUES (?)", (x,))' })).toMatch(
      /^Call `conn\.commit\(\)` after the write in add_user \(app\/storage\.py:29\)/,
    );
  });

  it("fix_attribute_name, add_none_check, fix_assertion, fix_syntax and llm are specific too", () => {
    expect(
      generateFixSuggestion(
        analysis({
          fixStrategy: "fix_attribute_name",
          hint: "stock",
          functionName: "restock",
          fileToFix: "shop/inventory.py",
          lineNumber: 30,
          rootCause: "AttributeError: 'Product' object has no attribute 'stok'",
        }),
      ),
    ).toBe("Replace `stok` with `stock` in restock (shop/inventory.py:30) (AttributeError: 'Product' object has no attribute 'stok').");
    expect(
      generateFixSuggestion(
        analysis({
          fixStrategy: "add_none_check",
          functionName: "stock_of",
          fileToFix: "shop/inventory.py",
          lineNumber: 22,
          rootCause: "AttributeError: 'NoneType' object has no attribute 'stock'",
        }),
        {
          code: "return self.find(sku).stock",
        },
      ),
    ).toBe(
      "Handle None before reading `.stock` in stock_of (shop/inventory.py:22): `return self.find(sku).stock` can be None here " +
        "(AttributeError: 'NoneType' object has no attribute 'stock').",
    );
    expect(
      generateFixSuggestion(
        analysis({
          fixStrategy: "fix_assertion",
          functionName: "add",
          fileToFix: "shop/pricing.py",
          lineNumber: 4,
          expected: "5",
          actual: "-1",
        }),
      ),
    ).toBe("Fix add (shop/pricing.py:4) so the assertion holds: it produced -1 where the test expects 5.");
    expect(
      generateFixSuggestion(
        analysis({
          fixStrategy: "fix_syntax",
          functionName: "<module>",
          fileToFix: "app/parser.py",
          lineNumber: 5,
          rootCause: "SyntaxError: '(' was never closed",
        }),
        { code: "return text.split(" },
      ),
    ).toBe("Fix the syntax error in app/parser.py:5 (`return text.split(`): '(' was never closed.");
    expect(
      generateFixSuggestion(
        analysis({
          errorType: "ZeroDivisionError",
          functionName: "average",
          fileToFix: "shop/pricing.py",
          lineNumber: 17,
          rootCause: "ZeroDivisionError: division by zero",
        }),
      ),
    ).toBe("Investigate ZeroDivisionError at shop/pricing.py:17 in average: ZeroDivisionError: division by zero.");
  });

  it("still says something useful without a location", () => {
    const a = analysis({ fileToFix: null, lineNumber: null, functionName: null, errorType: "KeyError", rootCause: "KeyError: 'x'" });
    expect(generateFixSuggestion(a)).toBe("Investigate KeyError: KeyError: 'x'.");
  });
});
