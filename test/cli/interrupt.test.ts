import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { testPython } from "../helpers/python-env.js";
import { binPath, copyFixture } from "./run-cli.js";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("Ctrl-C during redgreen test", () => {
  it("stops pytest, stores nothing and exits 130", async () => {
    const project = copyFixture("sleeper");
    const pidFile = join(dirname(project), "pytest.pid");
    // Spawned directly (not through runProcess) because the test must send the CLI a signal.
    const child = spawn(process.execPath, [binPath, "test", project, "--no-coverage", "--test-timeout", "0", "--python", testPython], {
      env: { ...process.env, REDGREEN_TEST_PID_FILE: pidFile, REDGREEN_DB: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));

    // Wait until the test itself is running (it writes its pid), then interrupt.
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8") === "") {
      if (Date.now() > deadline) throw new Error(`pytest never started; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const pytestPid = Number(readFileSync(pidFile, "utf8"));
    const sentAt = Date.now();
    child.kill("SIGINT");
    const code = await exited;

    expect(code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(stderr).toContain("redgreen: interrupted, stopping");
    expect(stdout).toBe("");
    expect(alive(pytestPid)).toBe(false);
    const { openStore } = await import("../../src/store/index.js");
    const store = openStore(join(project, ".redgreen", "redgreen.db"));
    expect(store.listTestRuns()).toEqual([]);
    store.close();
  });
});
