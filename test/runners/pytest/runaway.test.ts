// Runaway tests under the pytest adapter: a test that defeats the per-test timeout, leaves children behind or kills its parent.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { diesWithin, recordedPids } from "../../helpers/processes.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
const scratch = mkdtempSync(join(tmpdir(), "redgreen-runaway-"));
afterAll(() => {
  copies.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const pidFile = (name: string): string => join(scratch, `${name}.pids`);
const adapter = (pids: string) =>
  createPytestAdapter({
    projectRoot: copies.copy("runaway"),
    python: testPython,
    testTimeoutSeconds: 1,
    hangGraceSeconds: 1,
    env: { RUNAWAY_PIDS: pids },
  });

describe("pytest adapter: runaway tests", () => {
  it.each([
    [
      "ignores SIGALRM and cancels the hang watchdog",
      "test_ignores_timeout.py",
      "test_ignores_the_alarm",
      "test_ignores_timeout.py::test_after_the_runaway",
    ],
    ["swallows the Timeout exception", "test_swallows_timeout.py", "test_swallows_the_timeout", null],
  ])("kills a test that %s and reports it as Timeout with its stack", async (_what, file, name, after) => {
    const started = performance.now();
    const r = await (await adapter(pidFile(name))).runTests({ files: [file], runTimeoutSeconds: 120 });
    const seconds = (performance.now() - started) / 1000;
    // Window: 2 × 1 s timeout + 1 s grace + 2 s margin, plus the dump wait and pytest's start-up.
    expect(seconds).toBeLessThan(15);
    const f = r.failures.find((x) => x.testName === name);
    expect(f?.errorType).toBe("Timeout");
    expect(f?.errorMessage).toMatch(/did not stop \(it ignores or swallows the timeout\); redgreen killed the run/);
    expect(f?.phase).toBe("call");
    expect(f?.frames.map((fr) => fr.function)).toContain(name);
    if (after) expect(r.passedNodeIds).toEqual([after]);
    expect(r.status).toBe("failed");
  });

  it("leaves no process a test started once the run returns", async () => {
    const pids = pidFile("children");
    const r = await (await adapter(pids)).runTests({ files: ["test_leaves_children.py"] });
    expect(r.status).toBe("passed");
    const recorded = recordedPids(pids);
    expect(await diesWithin(recorded.get("grouped")!, 2000)).toBe(true);
    expect(await diesWithin(recorded.get("session")!, 2000)).toBe(true);
  });

  it("survives a test that kills its parent, fails it as a crash and runs the rest", async () => {
    const r = await (await adapter(pidFile("parent"))).runTests({ files: ["test_kills_parent.py"] });
    const f = r.failures.find((x) => x.testName === "test_kills_its_parent");
    expect(f?.errorType).toBe("Crash");
    expect(f?.errorMessage).toMatch(/supervising parent were killed \(the test killed its parent process or its process group\)/);
    expect(r.passedNodeIds.sort()).toEqual(["test_kills_parent.py::test_after", "test_kills_parent.py::test_before"]);
    expect(r.status).toBe("failed");
  });
});
