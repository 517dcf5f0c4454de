// A failure whose only cause is an error the code logged (a server answering 500): the CLI reads it from the console
// output the test captured, under jest and vitest, and `redgreen run --no-llm` restores the deleted import it points to.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyJsProject } from "../helpers/project-copy.js";
import { fixturePath } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const fixture = fixturePath("jest", "logged-error");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function fixtureCopy(): string {
  const copy = copyJsProject(fixture);
  cleanups.push(copy.cleanup);
  return copy.root;
}

interface ReportedFailure {
  nodeId: string;
  errorType: string;
  errorMessage: string;
  lineNumber: number | null;
  faultFile: string | null;
  faultLine: number | null;
  capturedOutput?: string;
  chain?: { errorType: string; errorMessage: string }[];
}

describe("an error logged by the code under test as the failure's cause", () => {
  for (const runner of ["jest", "vitest"]) {
    it(`${runner}: the failure reads as the logged ReferenceError, the assertion on the 500 kept in its chain`, async () => {
      const root = fixtureCopy();
      const r = await runCli(["test", root, "--runner", runner, "--json", "--no-coverage", "--db", join(root, "rg.db")]);
      expect(r.exitCode).toBe(1);
      const failures = (JSON.parse(r.stdout) as { failures: ReportedFailure[] }).failures;
      expect(failures.map((f) => f.nodeId).sort()).toEqual([
        "tests/server.test.js::answers an unknown path with 404",
        "tests/server.test.js::answers the root with 200 OK",
      ]);
      for (const f of failures) {
        expect(f).toMatchObject({
          errorType: "ReferenceError",
          errorMessage: "statusText is not defined",
          faultFile: "src/server.js",
          faultLine: 10,
        });
        // The failing line stays the test's own assertion; the assertion itself ends the chain.
        expect(f.lineNumber).toBe(f.nodeId.endsWith("404") ? 21 : 15);
        expect(f.chain?.[0]).toEqual({ errorType: "ReferenceError", errorMessage: "statusText is not defined" });
        expect(f.chain?.[1]?.errorType).toBe("AssertionError");
        expect(f.chain?.[1]?.errorMessage).toContain("500");
        expect(f.capturedOutput).toContain("ReferenceError: statusText is not defined");
      }
    }, 120_000);
  }

  it("redgreen run --no-llm restores the deleted require and touches no test file", async () => {
    const root = fixtureCopy();
    const testBefore = readFileSync(join(root, "tests", "server.test.js"), "utf8");
    const r = await runCli(["run", root, "--no-llm", "--json", "--db", join(root, "rg.db")]);
    expectNoStackTrace(r.stderr);
    const summary = JSON.parse(r.stdout) as { status: string; fixes: { file: string; strategy: string; status: string }[] };
    expect(summary.status).toBe("passed");
    expect(summary.fixes.filter((f) => f.status === "kept")).toMatchObject([{ file: "src/server.js", strategy: "add_import" }]);
    expect(readFileSync(join(root, "src", "server.js"), "utf8")).toContain('const { statusText } = require("./status");\n');
    expect(readFileSync(join(root, "tests", "server.test.js"), "utf8")).toBe(testBefore);
  }, 180_000);
});
