// extractAssertionDetails / calledFunction: expected vs actual and `where` lines from pytest's assertion rewriting.
import { describe, expect, it } from "vitest";
import { calledFunction, extractAssertionDetails } from "../../src/analysis/assertion.js";
import { failuresFromTerminal, readCaptured } from "./corpus.js";

const message = (project: string, nodeId: string): string =>
  failuresFromTerminal(readCaptured("8", project, "short.txt")!).find((f) => f.nodeId === nodeId)!.failure.errorMessage;

describe("extractAssertionDetails", () => {
  it("reads `assert -1 == 5` with its where line (real pytest 8 output)", () => {
    const d = extractAssertionDetails(message("shop", "tests/test_pricing.py::test_add"));
    expect(d).toMatchObject({ comparison: "assert -1 == 5", operator: "==", actual: "-1", expected: "5", customMessage: null });
    expect(d.where).toEqual([{ value: "-1", source: "add(2, 3)", depth: 0 }]);
  });

  it("reads `assert None is not None` as actual None, expected not None", () => {
    const d = extractAssertionDetails(message("dbapp", "tests/test_storage.py::test_added_user_visible_to_other_connection"));
    expect(d).toMatchObject({ operator: "is not", actual: "None", expected: "not None" });
    expect(d.where[0]!.source).toMatch(/^find_user\(<sqlite3\.Connection object at 0x[0-9a-f]+>, 'bob@example\.com'\)$/);
  });

  it("reads a dict diff whose shortened repr leaves a quote open", () => {
    const d = extractAssertionDetails(message("shop", "tests/test_pricing.py::test_summarize"));
    expect(d.operator).toBe("==");
    expect(d.actual).toMatch(/^\{'count': 1, .*\}$/);
    expect(d.expected).toMatch(/^\{'count': 1, .*\}$/);
  });

  it("reads a method call's where line and a custom message", () => {
    const d = extractAssertionDetails(message("shop", "tests/test_orders.py::test_cart_total"));
    expect(d).toMatchObject({ actual: "2", expected: "6" });
    expect(d.where[0]).toEqual({ value: "2", source: "total()", depth: 0 });
    expect(calledFunction(d.where[0]!.source)).toEqual({ name: "total" });
    const custom = extractAssertionDetails("x should be four\nassert 3 == 4");
    expect(custom).toMatchObject({ customMessage: "x should be four", actual: "3", expected: "4" });
  });

  it("handles one-sided, membership and non-rewritten asserts", () => {
    expect(extractAssertionDetails("assert False")).toMatchObject({ actual: "False", expected: "truthy", operator: null });
    expect(extractAssertionDetails("assert not [1]")).toMatchObject({ actual: "[1]", expected: "falsy" });
    expect(extractAssertionDetails("assert 'a' in ['b', 'c']")).toMatchObject({ operator: "in", actual: "'a'", expected: "['b', 'c']" });
    expect(extractAssertionDetails("assert 'x == y' == 'z'")).toMatchObject({ actual: "'x == y'", expected: "'z'" });
    expect(extractAssertionDetails("insufficient funds")).toMatchObject({
      comparison: null,
      actual: null,
      customMessage: "insufficient funds",
    });
  });
});

describe("calledFunction", () => {
  it("names plain calls, dotted calls, bound methods and function reprs", () => {
    expect(calledFunction("add(2, 3)")).toEqual({ name: "add" });
    expect(calledFunction("shop.pricing.add(2, 3)")).toEqual({ name: "add" });
    expect(calledFunction("<bound method Inventory.skus of <shop.inventory.Inventory object at 0x7f>>()")).toEqual({
      name: "skus",
      className: "Inventory",
    });
    expect(calledFunction("<function add at 0x7f12>(1, 2)")).toEqual({ name: "add" });
    expect(calledFunction("<Response [500]>.status_code")).toBeNull();
  });
});
