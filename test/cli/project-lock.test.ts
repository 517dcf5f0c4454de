// One workflow at a time per project, with real processes: a second `redgreen run` (or undo) on a busy project exits 2
// naming the holder and changes nothing; the lock of a killed process is taken over.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testPython } from "../helpers/python-env.js";
import { binPath, copyFixture, expectOneErrorLine, runCli } from "./run-cli.js";

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every file of the project except redgreen's own state, with its bytes. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === ".redgreen") continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, "base64");
    }
  };
  walk(root);
  return out;
}

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the project lock", () => {
  it("stops a second run and an undo while a run works, and is taken over once that run is killed", async () => {
    const root = copyFixture("sleeper");
    const pidFile = join(root, "..", "pytest.pid");
    const first = spawn(
      process.execPath,
      [binPath, "run", root, "--python", testPython, "--no-llm", "--no-coverage", "--test-timeout", "0"],
      {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, REDGREEN_TEST_PID_FILE: pidFile, REDGREEN_MODEL: "", REDGREEN_DB: "" },
      },
    );
    children.push(first.pid!);
    let firstErr = "";
    first.stderr.on("data", (c: Buffer) => (firstErr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => first.on("exit", (_code, signal) => done(signal)));
    // The slow test is running and the workflow is announced: the first run holds the lock. (The first test run starts
    // while redgreen still loads, so the test may be running before the workflow line is written.)
    await waitFor(() => existsSync(pidFile) && /workflow [0-9a-f-]{36}/.test(firstErr), "the slow test to start under a workflow");
    const workflowId = /workflow ([0-9a-f-]{36})/.exec(firstErr)?.[1];
    expect(workflowId, firstErr).toBeDefined();
    const lock = JSON.parse(readFileSync(join(root, ".redgreen", "lock"), "utf8"));
    expect(lock).toMatchObject({ pid: first.pid, workflowId, command: "run" });
    const before = snapshot(root);

    const busy = new RegExp(
      `^redgreen: another redgreen \\(run, pid ${first.pid}, workflow ${workflowId}, started [^)]+\\) is changing ${escape(root)}; ` +
        `wait for it to finish, or remove ${escape(join(root, ".redgreen", "lock"))} if that process is gone$`,
    );
    const second = await runCli(["run", root, "--python", testPython, "--no-llm"]);
    expect(second.exitCode).toBe(2);
    expect(second.stdout).toBe("");
    expectOneErrorLine(second.stderr, busy);
    const undo = await runCli(["undo", workflowId!, root]);
    expect(undo.exitCode).toBe(2);
    expectOneErrorLine(undo.stderr, busy);
    // Nothing changed: the project's files, the lock, and the database has the first workflow only.
    expect(snapshot(root)).toEqual(before);
    expect(JSON.parse(readFileSync(join(root, ".redgreen", "lock"), "utf8"))).toEqual(lock);
    const runs = await runCli(["runs", root, "--json"]);
    expect((JSON.parse(runs.stdout) as { id: string }[]).map((w) => w.id)).toEqual([workflowId]);

    // Killed outright, the first run leaves its lock behind; the next command takes it over with a note.
    process.kill(-first.pid!, "SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(existsSync(join(root, ".redgreen", "lock"))).toBe(true);
    const after = await runCli(["undo", workflowId!, root]);
    expect(after.stderr).toBe(
      `redgreen: took over the project lock of pid ${first.pid} (workflow ${workflowId}), which is no longer running\n`,
    );
    expect(after.stdout).toBe(`workflow ${workflowId} has no kept changes to undo\n`);
    expect(after.exitCode).toBe(0);
    expect(existsSync(join(root, ".redgreen", "lock"))).toBe(false);
  }, 120_000);

  it("is released when a run ends, so the next run goes ahead", async () => {
    const root = copyFixture("green");
    for (let i = 0; i < 2; i++) {
      const r = await runCli(["run", root, "--python", testPython, "--no-llm", "--no-coverage", "-q"]);
      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });
      expect(existsSync(join(root, ".redgreen", "lock"))).toBe(false);
    }
  }, 60_000);
});
