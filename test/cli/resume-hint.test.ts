// The resume command `redgreen run` prints names the project when it is not the cwd, quoted so a shell runs it as printed.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { binPath, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A copy of test/fixtures/cli/<name> under a folder whose name needs quoting in a shell. */
function awkwardCopy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-hint-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, "it's my project", name);
  mkdirSync(join(dir, "it's my project"));
  cpSync(fixturePath("cli", name), root, { recursive: true });
  return root;
}

const hintIn = (stderr: string, label: string): string => {
  const line = stderr.split("\n").find((l) => l.includes(label));
  if (line === undefined) throw new Error(`no "${label}" in:\n${stderr}`);
  return line.slice(line.indexOf(label) + label.length).replace(/\)$/, "");
};

/** Runs a printed command line in sh, with `redgreen` standing for the built CLI. */
const inShell = (line: string, cwd: string) =>
  runProcess("sh", ["-c", `redgreen() { "$RG_NODE" "$RG_BIN" "$@"; }; ${line} --json`], {
    cwd,
    env: { ...process.env, RG_NODE: process.execPath, RG_BIN: binPath, REDGREEN_DB: undefined },
    timeoutMs: 60_000,
  });

describe("the resume hint", () => {
  it("names a project that is not the cwd, quoted, and the printed line resumes it in a shell", async () => {
    const root = awkwardCopy("green");
    const cwd = tmpdir();
    const r = await runCli(["run", root, "--python", testPython, "--no-coverage"], { cwd });
    expect(r.exitCode).toBe(0);
    const id = /workflow ([0-9a-f-]{36})/.exec(r.stderr)![1]!;
    const hint = hintIn(r.stderr, "(resume with: ");
    expect(hint).toBe(`redgreen resume ${id} '${root.replace(/'/g, `'\\''`)}'`);
    const resumed = await inShell(hint, cwd);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ workflowId: id, status: "passed" });
  }, 120_000);

  it("leaves the path out when the project is the cwd", async () => {
    const root = awkwardCopy("green");
    const r = await runCli(["run", "--python", testPython, "--no-coverage"], { cwd: root });
    const id = /workflow ([0-9a-f-]{36})/.exec(r.stderr)![1]!;
    expect(hintIn(r.stderr, "(resume with: ")).toBe(`redgreen resume ${id}`);
  }, 120_000);

  it("prints the same line when a run is interrupted", async () => {
    const root = awkwardCopy("sleeper");
    const pidFile = join(root, "..", "pid");
    const child = spawn(process.execPath, [binPath, "run", root, "--python", testPython, "--no-coverage", "--no-llm"], {
      cwd: tmpdir(),
      env: { ...process.env, REDGREEN_TEST_PID_FILE: pidFile, REDGREEN_DB: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => void (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    // The test is running and the workflow announced (the first test run starts while redgreen still loads).
    while (!existsSync(pidFile) || !stderr.includes("(resume with: ")) await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    const started = hintIn(stderr, "(resume with: ");
    expect(started).toContain(`'${root.replace(/'/g, `'\\''`)}'`);
    expect(hintIn(stderr, "interrupted; continue with: ")).toBe(started);
  }, 120_000);
});
