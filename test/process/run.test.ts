// runProcess: pipe and file capture agree on output, caps, exit codes, timeouts and spawn faults.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { runProcess } from "../../src/process/run.js";
import type { RunProcessOptions } from "../../src/process/run.js";

const cwd = tmpdir();
const python = (code: string, options: Partial<RunProcessOptions> = {}) =>
  runProcess("python3", ["-c", code], { cwd, timeoutMs: 30_000, ...options });
const openFds = (): number => readdirSync("/proc/self/fd").length;

// Many small flushed writes on both streams, like pytest's progress dots, plus non-ASCII text.
const CHATTY = `
import sys
for i in range(300):
    sys.stdout.write("."); sys.stdout.flush()
    if i % 100 == 0:
        sys.stderr.write(f"err {i}\\n"); sys.stderr.flush()
print("\\nsummé ✓")
sys.exit(3)
`;

describe("runProcess capture", () => {
  it("gives the same stdout, stderr and exit code through a file as through pipes", async () => {
    const piped = await python(CHATTY);
    const filed = await python(CHATTY, { capture: "file" });
    expect(piped.stdout).toBe(`${".".repeat(300)}\nsummé ✓\n`);
    expect(piped.stderr).toBe("err 0\nerr 100\nerr 200\n");
    expect(filed.stdout).toBe(piped.stdout);
    expect(filed.stderr).toBe(piped.stderr);
    expect([filed.exitCode, filed.signal, filed.timedOut, filed.truncated]).toEqual([3, null, false, false]);
  });

  it("keeps the same head and tail past maxOutputBytes in both modes", async () => {
    const code = `import sys\nfor i in range(2000):\n    sys.stdout.write(f"{i:05d}")`;
    const piped = await python(code, { maxOutputBytes: 1000 });
    const filed = await python(code, { maxOutputBytes: 1000, capture: "file" });
    const all = Array.from({ length: 2000 }, (_, i) => String(i).padStart(5, "0")).join("");
    expect(piped.stdout).toBe(`${all.slice(0, 500)}\n… [9000 bytes of output omitted] …\n${all.slice(-500)}`);
    expect(filed.stdout).toBe(piped.stdout);
    expect(filed.truncated).toBe(true);
  });

  it("empties a capture file past its ceiling while the child runs, keeping the head and the newest output", async () => {
    // 24 MiB in 1 MiB writes passes the 16 MiB ceiling; the compaction runs during the pause.
    const code =
      `import sys, time\nout = sys.stdout.buffer\nout.write(b"HEAD" + b"h" * 996)\nfor i in range(24):\n    out.write(bytes([97 + i ` +
      `% 26]) * (1 << 20)); out.flush()\ntime.sleep(0.8)\nout.write(b"END-OF-OUTPUT")`;
    const r = await python(code, { maxOutputBytes: 2000, capture: "file" });
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.stdout.startsWith(`HEAD${"h".repeat(996)}\n… [at least `)).toBe(true);
    expect(r.stdout.endsWith(`${"x".repeat(987)}END-OF-OUTPUT`)).toBe(true);
    const omitted = Number(/\[at least (\d+) bytes of output omitted\]/.exec(r.stdout)?.[1]);
    expect(omitted).toBeGreaterThan(16 * 1024 * 1024);
    expect(omitted).toBeLessThanOrEqual(1000 + 24 * 1024 * 1024 + 13 - 2000);
  });

  it("returns when the child exits, even if a background process still holds the file", async () => {
    const started = performance.now();
    const r = await runProcess("sh", ["-c", "(sleep 3 &); echo started"], { cwd, capture: "file", timeoutMs: 30_000 });
    expect(r.stdout).toBe("started\n");
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it("kills the process group at the timeout and keeps what was written", async () => {
    const r = await python("import time\nprint('before', flush=True)\ntime.sleep(30)", { capture: "file", timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGKILL");
    expect(r.stdout).toBe("before\n");
  });

  it("throws runner_failed for a missing binary and closes its capture files", async () => {
    const before = openFds();
    const err = await runProcess("/nonexistent/redgreen-binary", [], { cwd, capture: "file" }).catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("runner_failed");
    expect(openFds()).toBe(before);
  });

  it("refuses file capture together with live output callbacks", async () => {
    const err = await runProcess("true", [], { cwd, capture: "file", onStdout: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedgreenError);
    expect((err as RedgreenError).code).toBe("internal");
  });
});

describe("runProcess abort", () => {
  // A command that leaves a mark after a short while: whether it ran to its end shows on disk.
  const marking = (mark: string): string =>
    `import time, pathlib; time.sleep(0.4); pathlib.Path(${JSON.stringify(mark)}).write_text("ran")`;
  const markPath = (): string => join(mkdtempSync(join(tmpdir(), "redgreen-abort-")), "mark");

  it("never starts a command whose signal aborted before the call", async () => {
    const mark = markPath();
    const r = await python(marking(mark), { signal: AbortSignal.abort() });
    expect(r).toMatchObject({ aborted: true, exitCode: null, stdout: "", stderr: "" });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(existsSync(mark)).toBe(false);
  });

  it("kills a command aborted right after the spawn, before the supervisor started it", async () => {
    for (let i = 0; i < 5; i++) {
      const mark = markPath();
      const controller = new AbortController();
      const running = python(marking(mark), { signal: controller.signal });
      controller.abort();
      const r = await running;
      expect(r.aborted).toBe(true);
      expect(r.durationMs).toBeLessThan(400);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(existsSync(mark)).toBe(false);
    }
  });
});
