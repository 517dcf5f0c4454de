// startStandby: a command started ahead of its turn waits for its input; go() hands it over and supervises it from then
// (its timeout counts from go), cancel() kills it, and a waiting one neither keeps Node alive nor outlives it.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runProcess, startStandby } from "../../src/process/run.js";
import { pidsWhere, waitFor } from "../helpers/processes.js";

const cwd = tmpdir();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of processes whose command line holds `marker` as an argument (the command, not its supervising shell). */
const processesWith = (marker: string): number[] => pidsWhere((argv) => argv[0] !== "sh" && argv.includes(marker));

/** Waits until no process holds `marker` (fails the test after 10 s). */
async function goneWithin(marker: string): Promise<void> {
  expect(await waitFor(() => (processesWith(marker).length === 0 ? true : undefined), 10_000)).toBe(true);
}

describe("startStandby", () => {
  it("waits for its input; go() hands it over, and the result and timeout count from go()", async () => {
    const standby = startStandby("python3", ["-c", "import sys; print('got ' + sys.stdin.readline().strip())"], { cwd });
    await sleep(600);
    expect(standby.exited).toBe(false);
    const r = await standby.go("hello\n", { timeoutMs: 5_000 });
    expect([r.exitCode, r.stdout, r.timedOut]).toEqual([0, "got hello\n", false]);
    expect(r.durationMs).toBeLessThan(600);
  });

  it("is killed by its go() timeout, counted from go()", async () => {
    const marker = `standby-timeout-${process.pid}`;
    const standby = startStandby("python3", ["-c", "import sys, time; sys.stdin.readline(); time.sleep(60)", marker], { cwd });
    await sleep(300);
    const r = await standby.go("x\n", { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.durationMs).toBeGreaterThanOrEqual(450);
    await goneWithin(marker);
  });

  it("cancel() kills it", async () => {
    const marker = `standby-cancel-${process.pid}`;
    const standby = startStandby("python3", ["-c", "import time; time.sleep(60)", marker], { cwd });
    expect(await waitFor(() => (processesWith(marker).length === 1 ? true : undefined), 10_000)).toBe(true);
    standby.cancel();
    await goneWithin(marker);
  });

  it("does not keep Node alive while it waits, and does not outlive it", async () => {
    const marker = `standby-orphan-${process.pid}`;
    const runJs = join(fileURLToPath(new URL("../..", import.meta.url)), "dist", "src", "process", "run.js");
    const command = JSON.stringify(["-c", "import time; time.sleep(60)", marker]);
    const script = `import(${JSON.stringify(runJs)}).then((m) => { m.startStandby("python3", ${command}, { cwd: "/" }); })`;
    const started = performance.now();
    const node = await runProcess(process.execPath, ["-e", script], { cwd, timeoutMs: 20_000 });
    expect(node.exitCode, node.stderr).toBe(0);
    expect(performance.now() - started).toBeLessThan(15_000);
    await goneWithin(marker);
  });
});
