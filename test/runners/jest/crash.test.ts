// A jest that dies of an uncaught error through project code (a server's listen callback throwing after its test ended)
// writes no report: the run is a failure of the file it was running, with that error, and `redgreen run` fixes it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { uncaughtError } from "../../../src/runners/js/uncaught-crash.js";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { expectNoStackTrace, runCli } from "../../cli/run-cli.js";
import { jsFixtureCopies } from "../js/fixtures.js";

const copies = jsFixtureCopies("jest");
afterAll(() => copies.cleanup());

const context = { projectRoots: ["/p"], isTestFile: (rel: string) => rel.startsWith("__tests__/") };

describe("jest killed by an uncaught error (fixture: jest/crash)", () => {
  it("reads the error Node printed, with its project frame, and ignores errors only through tests or libraries", () => {
    const output = [
      "/p/lib/server.js:9",
      "    const listening = port(sever);",
      "                           ^",
      "",
      "ReferenceError: sever is not defined",
      "    at Server.<anonymous> (/p/lib/server.js:9:28)",
      "    at Server.emit (node:events:536:35)",
      "",
      "Node.js v20.20.2",
    ].join("\n");
    const error = uncaughtError(output, context);
    expect(error).toMatchObject({ errorType: "ReferenceError", errorMessage: "sever is not defined" });
    expect(error!.frames.filter((f) => f.kind === "project")).toEqual([expect.objectContaining({ file: "lib/server.js", line: 9 })]);
    expect(uncaughtError("TypeError: x is not a function\n    at Object.<anonymous> (/p/__tests__/a.test.js:3:1)\n", context)).toBeNull();
    expect(
      uncaughtError("Error: You must provide the URL\n    at Object.x (/p/node_modules/source-map/lib/a.js:1:1)\n", context),
    ).toBeNull();
  });

  it("reports the crash as the failure of the file jest was running, counting none of its tests passed", async () => {
    const root = copies.copy("crash");
    const adapter = await createJestAdapter({ projectRoot: root });
    const run = await adapter.runTests({ coverage: true });
    expect(run.status).toBe("failed");
    expect(run.crash).toBe(
      "jest died of an uncaught ReferenceError (sever is not defined) while running __tests__/server.test.js; it wrote no report, " +
        "so the tests after that did not run",
    );
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatchObject({
      nodeId: "__tests__/server.test.js",
      errorType: "ReferenceError",
      errorMessage: "sever is not defined",
    });
    expect(run.failures[0]!.frames.filter((f) => f.kind === "project")).toEqual([
      expect.objectContaining({ file: "lib/server.js", line: 9 }),
    ]);
    expect(run).toMatchObject({ passed: 0, failed: 1, total: 1, passedNodeIds: [] });
    // Once the project is mended, the same adapter reports jest's own result, with coverage (the crash never turned it off).
    const file = join(root, "lib/server.js");
    writeFileSync(file, readFileSync(file, "utf8").replace("port(sever)", "port(server)"));
    const mended = await adapter.runTests({ coverage: true });
    expect(mended).toMatchObject({ status: "passed", passed: 2, total: 2, failures: [] });
    expect(mended.crash).toBeUndefined();
    expect(mended.coverage).not.toBeNull();
  }, 120_000);

  it("redgreen run --no-llm fixes the misspelling the crash came from, proven by jest's complete run", async () => {
    const root = copies.copy("crash");
    const r = await runCli(["run", root, "--no-llm", "--json", "-q", "--db", join(root, "rg.db")]);
    expectNoStackTrace(r.stderr);
    const summary = JSON.parse(r.stdout) as {
      status: string;
      final: { passed: number; failed: number };
      fixes: { status: string; strategy: string }[];
    };
    expect(summary.status).toBe("passed");
    expect(summary.final).toMatchObject({ passed: 2, failed: 0 });
    expect(summary.fixes).toEqual([expect.objectContaining({ status: "kept", strategy: "fix_attribute_name" })]);
    expect(readFileSync(join(root, "lib/server.js"), "utf8")).toContain("    const listening = port(server);\n");
    expect(r.exitCode).toBe(0);
  }, 180_000);
});
