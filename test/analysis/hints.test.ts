// Hints: Python's own "Did you mean" text, and the analyzer's typo suggestion when Python gave none.
import { describe, expect, it } from "vitest";
import { closestName, closestNameIn, editDistance, extractHint, hintName } from "../../src/analysis/hints.js";

describe("extractHint / hintName", () => {
  it("reads NameError/AttributeError suggestions and 3.12's forgotten imports", () => {
    expect(extractHint("name 'wrods' is not defined. Did you mean: 'words'?")).toEqual({ suggestion: "words" });
    expect(extractHint("'Product' object has no attribute 'stok'. Did you mean: 'stock'?")).toEqual({ suggestion: "stock" });
    expect(extractHint("name 're' is not defined. Did you forget to import 're'?")).toEqual({ forgotImport: "re" });
    expect(extractHint("division by zero")).toEqual({});
  });

  it("normalises the plugin's hint field in either shape", () => {
    expect(hintName("words")).toBe("words");
    expect(hintName("'words'")).toBe("words");
    expect(hintName("Did you mean: 'words'?")).toBe("words");
    expect(hintName("")).toBeUndefined();
    expect(hintName(undefined)).toBeUndefined();
  });
});

describe("editDistance / closestName", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("wrods", "words")).toBe(1);
    expect(editDistance("stok", "stock")).toBe(1);
    expect(editDistance("title", "name")).toBe(4);
  });

  it("suggests a close name and nothing for an unrelated one", () => {
    expect(closestName("wrods", ["text", "words", "split"])).toBe("words");
    expect(closestName("nmae", ["id", "name", "books"])).toBe("name");
    expect(closestName("title", ["sku", "name", "stock"])).toBeUndefined();
    expect(closestName("json", ["os", "path"])).toBeUndefined();
  });

  it("prefers the candidate that also matches case", () => {
    expect(closestName("Inventroy", ["inventory", "Inventory"])).toBe("Inventory");
  });
});

describe("closestNameIn", () => {
  it("answers as closestName does, including names ruled out by their length alone", () => {
    const ids = new Set(["words", "name", "Inventory", "inventory", "parseQuery", "encodeQueryKey", "x"]);
    for (const name of ["wrods", "nmae", "Inventroy", "praseQuery", "encodeuQeryKey", "title", "parseQueryStringValue", "xy"])
      expect(closestNameIn(name, ids)).toBe(closestName(name, ids));
    expect(closestNameIn("encodeuQeryKey", ids)).toBe("encodeQueryKey");
    // A longer name than the limit allows is not a typo of a short one.
    expect(closestNameIn("parseQueryStringValue", ids)).toBeUndefined();
  });

  it("remembers an answer per set of candidates, not across sets", () => {
    const first = new Set(["words"]);
    const second = new Set(["wards"]);
    expect(closestNameIn("wrds", first)).toBe("words");
    expect(closestNameIn("wrds", second)).toBe("wards");
  });
});
