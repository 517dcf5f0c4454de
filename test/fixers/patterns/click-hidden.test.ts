// An error click's CliRunner swallowed, on a real project: the test fails `assert 1 == 0` on result.exit_code, and
// the pytest plugin reports the NameError behind it, so the analyzer and the missing-import pattern see the real cause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("errors hidden inside click's CliRunner (fixture: patterns/click-hidden)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("click-hidden");
  });
  afterAll(async () => p?.close());

  it("reports the exception in result.exception, with the test's assertion last in the chain", () => {
    const { failure, analysis } = p.failure("::test_greets_by_name");
    expect(failure).toMatchObject({ errorType: "NameError", errorMessage: "name 'textwrap' is not defined", phase: "call" });
    expect(failure.chain?.at(-1)).toEqual({ errorType: "AssertionError", errorMessage: expect.stringContaining("assert 1 == 0") });
    const own = failure.frames.filter((f) => f.kind === "test" || f.kind === "project").map((f) => `${f.file}:${f.line}`);
    expect(own).toEqual(["tests/test_cli.py:8", "greet/cli.py:9"]);
    expect(failure.stackTrace).toContain("The error click's CliRunner caught (result.exception):");
    expect(failure.stackTrace).toContain("assert 1 == 0");
    expect(analysis.rootCause).toContain("textwrap");
  });

  it("leaves a plain exit code alone: a usage error (SystemExit 2) is not an exception to surface", () => {
    const { failure } = p.failure("::test_usage_error_is_not_hidden");
    expect(failure).toMatchObject({ errorType: "AssertionError", errorMessage: expect.stringContaining("assert 2 == 0") });
    expect(failure.chain).toBeUndefined();
  });

  it("lets missing-import restore the import the command lost, and the test then passes", async () => {
    const fix = await p.fix("::test_greets_by_name");
    expect(fix?.patternId).toBe("missing-import");
    expect(fix?.proposal.edits).toEqual([
      expect.objectContaining({ file: "greet/cli.py", replace: expect.stringContaining("import textwrap") }),
    ]);
    await p.apply(fix!.proposal);
    const after = await p.rerun();
    expect(after.passedNodeIds).toEqual(["tests/test_cli.py::test_greets_by_name"]);
  });
});
