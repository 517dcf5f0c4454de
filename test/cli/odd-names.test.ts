// `redgreen run` and `resume --json` on a real vitest project whose failing test's name holds a NUL byte and other
// control characters: the flakiness re-run selects it by name without crashing, and stdout is one JSON summary.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/domain/index.js";
import { fixturePath } from "../helpers/python-env.js";
import { copyJsProject } from "../helpers/project-copy.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const copy = copyJsProject(fixturePath("vitest", "odd-names"));
afterAll(() => copy.cleanup());

describe("test names with a NUL byte through the CLI", () => {
  it("run --json re-runs the failing NUL-named test for flakiness and prints one summary; resume does too", async () => {
    const test = join(copy.root, "tests", "names.test.ts");
    // The NUL-named test fails too: the flakiness re-run must select it by name.
    writeFileSync(test, readFileSync(test, "utf8").replace("expect(add(1, 1)).toBe(2);", "expect(add(1, 1)).toBe(3);"));
    const r = await runCli(["run", copy.root, "--json", "--no-llm", "--no-coverage", "--max-iterations", "1", "-q"]);
    expectNoStackTrace(r.stderr);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    const summary = JSON.parse(r.stdout) as RunSummary;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(summary.status).toBe("stuck");
    const remaining = summary.remainingFailures.map((f) => f.nodeId).sort();
    expect(remaining).toEqual(["tests/names.test.ts::nul \u0000 byte", "tests/names.test.ts::plain"]);
    expect(summary.flaky).toEqual([]);
    const resumed = await runCli(["resume", summary.workflowId, copy.root, "--json", "-q"]);
    expectNoStackTrace(resumed.stderr);
    expect((JSON.parse(resumed.stdout) as RunSummary).workflowId).toBe(summary.workflowId);
  }, 180_000);
});
