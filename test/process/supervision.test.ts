// runProcess supervision: nothing a command starts outlives it or redgreen, and a command that kills its parent cannot kill redgreen.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import { diesWithin, waitFor } from "../helpers/processes.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "redgreen-supervision-"));
  dirs.push(d);
  return d;
};

const pids = (file: string): number[] => readFileSync(file, "utf8").trim().split(/\s+/).map(Number);

describe("runProcess supervision", () => {
  it("kills what a command left running when it exits: background children, double forks and new sessions", async () => {
    const dir = tempDir();
    const code = [
      "import os, subprocess, sys",
      "a = subprocess.Popen(['sleep', '317'])",
      "b = subprocess.Popen(['sleep', '317'], start_new_session=True)",
      "if os.fork() == 0:",
      "    os.setsid()",
      "    if os.fork() == 0:",
      "        os.execvp('sleep', ['sleep', '317'])",
      "    os._exit(0)",
      "os.wait()",
      "import time; time.sleep(0.2)",
      `open(${JSON.stringify(join(dir, "pids"))}, 'w').write(f'{a.pid} {b.pid}')`,
    ].join("\n");
    const r = await runProcess("python3", ["-c", code], { cwd: dir, timeoutMs: 30_000, capture: "file" });
    expect(r.exitCode).toBe(0);
    expect(r.parentKilled).toBe(false);
    const [grouped, session] = pids(join(dir, "pids"));
    expect(await diesWithin(grouped!, 2000)).toBe(true);
    expect(await diesWithin(session!, 2000)).toBe(true);
    // The double-forked daemon has no pid on record: no `sleep 317` may remain (a duration no other test sleeps for:
    // test/cli/runaway.test.ts's fixture leaves `sleep 300`s to be killed while this runs beside it).
    const left = spawn("sh", ["-c", "ps -eo args | grep -c '^sleep 317$'"], { stdio: ["ignore", "pipe", "ignore"] });
    const count = await new Promise<string>((done) => left.stdout.on("data", (c: Buffer) => done(c.toString().trim())));
    expect(Number(count)).toBe(0);
  });

  it("survives a command that kills its parent, reports it and kills the rest of the group", async () => {
    const dir = tempDir();
    const code =
      `import os, signal, subprocess\np = subprocess.Popen(['sleep', '300'])\nopen('pid', ` +
      `'w').write(str(p.pid))\nos.kill(os.getppid(), signal.SIGKILL)\nimport time; time.sleep(300)`;
    const started = performance.now();
    const r = await runProcess("python3", ["-c", code], { cwd: dir, timeoutMs: 60_000 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.parentKilled).toBe(true);
    expect(r.signal).toBe("SIGKILL");
    expect(r.timedOut).toBe(false);
    expect(await diesWithin(pids(join(dir, "pid"))[0]!, 2000)).toBe(true);
  });

  it("survives a command that kills its own process group", async () => {
    const r = await runProcess("python3", ["-c", "import os, signal\nos.killpg(0, signal.SIGKILL)"], { cwd: tempDir(), timeoutMs: 60_000 });
    expect(r.parentKilled).toBe(true);
  });

  it("reports the signal that killed the command, not the shell's exit status", async () => {
    const r = await runProcess("python3", ["-c", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)"], {
      cwd: tempDir(),
      timeoutMs: 30_000,
    });
    expect([r.exitCode, r.signal, r.parentKilled]).toEqual([null, "SIGTERM", false]);
  });

  it("kills the command and its children when redgreen is SIGKILLed", async () => {
    const dir = tempDir();
    const runModule = fileURLToPath(new URL("../../dist/src/process/run.js", import.meta.url));
    const script = [
      `import { runProcess } from ${JSON.stringify(runModule)};`,
      `await runProcess("python3", ["-c", "import os, subprocess, time\\np = subprocess.Popen(['sleep', '300'], ` +
        `start_new_session=True)\\nopen('pids', 'w').write(f'{os.getpid()} {p.pid}')\\ntime.sleep(300)"], { cwd: ` +
        `${JSON.stringify(dir)}, timeoutMs: 600000 });`,
    ].join("\n");
    const node = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const ids =
      (await waitFor(() => {
        const got = pids(join(dir, "pids"));
        return got.length === 2 ? got : undefined;
      }, 20_000)) ?? [];
    expect(ids).toHaveLength(2);
    node.kill("SIGKILL");
    expect(await diesWithin(ids[0]!, 5000)).toBe(true);
    expect(await diesWithin(ids[1]!, 5000)).toBe(true);
  });

  it("throws runner_failed for a file that exists but cannot be executed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "plain.txt"), "not a program\n", { mode: 0o644 });
    const err = await runProcess(join(dir, "plain.txt"), [], { cwd: dir }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("runner_failed");
  });
});
