import { describe, expect, it } from "vitest";
import { RedgreenError, isRedgreenError } from "../../src/domain/errors.js";

describe("RedgreenError", () => {
  it("carries a code and a cause", () => {
    const cause = new Error("boom");
    const e = new RedgreenError("path_not_found", "no such path: x", { cause });
    expect(isRedgreenError(e)).toBe(true);
    expect(e.code).toBe("path_not_found");
    expect(e.cause).toBe(cause);
    expect(isRedgreenError(new Error("x"))).toBe(false);
  });
});
