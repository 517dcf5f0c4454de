import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyExampleShop } from "../helpers/project-copy.js";
import { testDir, testPython } from "../helpers/python-env.js";

const repo = join(testDir, "..");
const cli = join(repo, "bin", "redgreen.js");
const FILES = ["shop/cart.py", "shop/notify.py", "shop/orders.py", "shop/pricing.py"];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function shopWithoutShipping(): string {
  const copy = copyExampleShop({ withoutShipping: true });
  cleanups.push(copy.cleanup);
  return copy.root;
}

const runCli = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, REDGREEN_MODEL: "" } });

/** Starts `redgreen run` and SIGKILLs its whole process group once `killAt` validate steps have begun. */
function runAndKill(root: string, killAt: number): Promise<{ workflowId: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "run", root, "--python", testPython, "--json", "--no-llm"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let killed = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const applying = stderr.split("\n").filter((l) => l.includes("validate: applying")).length;
      if (!killed && applying >= killAt) {
        killed = true;
        // Let the fix land on disk and pytest start, then kill everything at once (no cleanup handlers run).
        setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 150);
      }
    });
    child.on("exit", (code, signal) => {
      const id = /workflow ([0-9a-f-]{36})/.exec(stderr)?.[1];
      if (signal !== "SIGKILL" || id === undefined)
        reject(new Error(`expected a SIGKILL mid-run, got code ${code} signal ${signal}:\n${stderr}`));
      else resolve({ workflowId: id, stderr });
    });
  });
}

describe("kill -9 mid-run, then redgreen resume", () => {
  it("finishes with the same result and the same files as an uninterrupted run", async () => {
    const reference = shopWithoutShipping();
    const straight = runCli(["run", reference, "--python", testPython, "--json", "--no-llm"]);
    expect(straight.status).toBe(0);
    const expected = JSON.parse(straight.stdout);

    const root = shopWithoutShipping();
    const { workflowId } = await runAndKill(root, 2);
    const resumed = runCli(["resume", workflowId.slice(0, 8), root, "--json"]);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({ workflowId, status: "passed", final: expected.final });
    expect(
      summary.fixes
        .filter((f: { status: string }) => f.status === "kept")
        .map((f: { file: string }) => f.file)
        .sort(),
    ).toEqual(FILES);
    for (const f of FILES) expect(readFileSync(join(root, f), "utf8")).toBe(readFileSync(join(reference, f), "utf8"));
    // Atomic writes: no temp file is left behind by the kill.
    expect(readdirSync(join(root, "shop")).filter((n) => n.includes(".redgreen-"))).toEqual([]);

    // Resuming a finished workflow changes nothing and leaves its row "passed".
    expect(JSON.parse(runCli(["resume", workflowId, root, "--json"]).stdout).status).toBe("passed");
    const rows = JSON.parse(runCli(["runs", root, "--json"]).stdout) as { id: string; status: string }[];
    expect(rows.find((r) => r.id === workflowId)?.status).toBe("passed");

    // The stored report agrees, and undo restores the originals.
    const report = runCli(["report", workflowId, root, "--json"]);
    expect(JSON.parse(report.stdout).status).toBe("passed");
    const undo = runCli(["undo", workflowId, root]);
    expect(undo.status).toBe(0);
    for (const f of FILES) expect(readFileSync(join(root, f))).toEqual(readFileSync(join(repo, "examples", "shop", f)));
  }, 180_000);

  it("undo puts back a fix that was half-applied when the run was killed", async () => {
    const root = shopWithoutShipping();
    const { workflowId } = await runAndKill(root, 1);
    const undo = runCli(["undo", workflowId, root]);
    // The killed run's lock is still there: undo takes it over and says so, in one line.
    expect(undo.stderr).toMatch(
      new RegExp(`^redgreen: took over the project lock of pid \\d+ \\(workflow ${workflowId}\\), which is no longer running\n$`),
    );
    expect(undo.status).toBe(0);
    for (const f of FILES) expect(readFileSync(join(root, f))).toEqual(readFileSync(join(repo, "examples", "shop", f)));
  }, 120_000);
});
