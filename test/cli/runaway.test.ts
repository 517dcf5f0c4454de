// `redgreen test` against runaway tests, through the real CLI: nothing outlives it, it outlives a test that kills its parent, and a killed
// redgreen takes pytest with it.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diesWithin, recordedPids, waitFor } from "../helpers/processes.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { binPath, expectNoStackTrace, runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "redgreen-cli-runaway-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const project = (): { root: string; pids: string } => {
  const root = join(scratch, String(n++));
  cpSync(fixturePath("pytest", "runaway"), root, { recursive: true });
  return { root, pids: join(root, "pids.txt") };
};
const testArgs = (root: string, file: string) => [
  "test",
  root,
  "--files",
  file,
  "--python",
  testPython,
  "--no-coverage",
  "--test-timeout",
  "1",
  "-q",
];

describe("redgreen test with runaway tests", () => {
  it("leaves no process a test started once it returns", async () => {
    const { root, pids } = project();
    const r = await runCli(testArgs(root, "test_leaves_children.py"), { env: { RUNAWAY_PIDS: pids } });
    expect(r.exitCode).toBe(0);
    for (const [name, pid] of recordedPids(pids)) expect(await diesWithin(pid, 2000), name).toBe(true);
  });

  it("reports a test that kills its parent as a crash and exits non-zero without a stack trace", async () => {
    const { root, pids } = project();
    const r = await runCli(testArgs(root, "test_kills_parent.py"), { env: { RUNAWAY_PIDS: pids } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/test_kills_parent\.py::test_kills_its_parent/);
    expect(r.stdout).toMatch(
      /Crash: the Python process and its supervising parent were killed \(the test killed its parent process or its process group\)/,
    );
    expect(r.stdout).toMatch(/2 passed, 1 (failed|error)/);
    expectNoStackTrace(r.stderr);
  });

  it("takes pytest down with it when it is SIGKILLed mid-run", async () => {
    const { root, pids } = project();
    const cli = spawn(process.execPath, [binPath, ...testArgs(root, "test_runs_long.py"), "--test-timeout", "0"], {
      env: { ...process.env, RUNAWAY_PIDS: pids, REDGREEN_DB: undefined },
      stdio: "ignore",
    });
    const pytest = await waitFor(() => recordedPids(pids).get("pytest"), 30_000);
    expect(pytest).toBeGreaterThan(0);
    cli.kill("SIGKILL");
    expect(await diesWithin(pytest!, 5000)).toBe(true);
  });
});
