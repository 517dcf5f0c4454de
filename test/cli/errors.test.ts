import { describe, expect, it } from "vitest";
import { formatError } from "../../src/cli/errors.js";
import { errorGist, exitCodeFor } from "../../src/cli/commands/test.js";
import { RedgreenError } from "../../src/domain/errors.js";
import { failingResult } from "../store/sample-results.js";

describe("formatError", () => {
  it("prints a RedgreenError as one line, multi-line messages joined", () => {
    expect(formatError(new RedgreenError("usage", "bad\n  thing"), false)).toBe("redgreen: bad thing\n");
  });
  it("prints an unexpected error as one line pointing at REDGREEN_DEBUG, and the stack chain with it", () => {
    const e = new TypeError("x is undefined", { cause: new Error("root cause") });
    expect(formatError(e, false)).toBe("redgreen: internal error: x is undefined (set REDGREEN_DEBUG=1 for the stack trace)\n");
    const debug = formatError(e, true);
    expect(debug.split("\n")[0]).toBe("redgreen: internal error: x is undefined");
    expect(debug).toMatch(/TypeError: x is undefined\n\s+at /);
    expect(debug).toContain("caused by: Error: root cause");
  });
});

describe("redgreen test exit codes and error gist", () => {
  it("maps every status", () => {
    const r = failingResult();
    expect(["passed", "no_tests", "failed", "timeout", "error"].map((status) => exitCodeFor({ ...r, status: status as never }))).toEqual([
      0, 0, 1, 1, 2,
    ]);
  });
  it("keeps the lead and the last line of pytest's output", () => {
    expect(
      errorGist(
        "pytest exited with code 3: INTERNALERROR> x\nINTERNALERROR>     ^^^^\nINTERNALERROR> ValueError: bad hook\nno tests ran in 0.01s",
      ),
    ).toBe("pytest exited with code 3: ValueError: bad hook");
    expect(errorGist("the run was aborted")).toBe("the run was aborted");
    expect(errorGist(undefined)).toBe("no details");
  });
});
