// runProcess: the one place redgreen spawns processes — hard timeouts, process-group kill, output caps.
import { execa } from "execa";
import { RedgreenError } from "../domain/errors.js";

export interface RunProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Hard wall-clock limit; past it the whole process group gets SIGKILL. */
  timeoutMs?: number;
  /** Bytes of stdout/stderr kept (each); the rest is dropped, keeping the head and the tail. */
  maxOutputBytes?: number;
  input?: string;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

/** A finished (or killed) process is a value, never an exception. */
export interface ProcessResult {
  command: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  stdout: string;
  stderr: string;
  /** True when output past maxOutputBytes was dropped. */
  truncated: boolean;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 2 * 1024 * 1024;

/** Keeps the first and last half of `max` bytes of a stream; decodes invalid UTF-8 with U+FFFD. */
class CappedBuffer {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  dropped = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    const half = Math.floor(this.max / 2);
    if (this.headLen < half) {
      const take = Math.min(half - this.headLen, chunk.length);
      this.head.push(chunk.subarray(0, take));
      this.headLen += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailLen += chunk.length;
    while (this.tailLen > half && this.tail.length > 0) {
      const first = this.tail[0]!;
      const excess = this.tailLen - half;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLen -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLen -= excess;
        this.dropped += excess;
      }
    }
  }
  toString(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    const tail = Buffer.concat(this.tail).toString("utf8");
    return this.dropped > 0 ? `${head}\n… [${this.dropped} bytes of output omitted] …\n${tail}` : head + tail;
  }
}

const killGroup = (pid: number | undefined): void => {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
};

/** Runs a command in its own process group; ENOENT for the binary is the only thrown fault. */
export async function runProcess(file: string, args: string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const out = new CappedBuffer(max);
  const err = new CappedBuffer(max);
  let timedOut = false;
  let aborted = false;

  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    reject: false,
    buffer: false,
    detached: true,
    stdin: options.input === undefined ? "ignore" : "pipe",
    input: options.input,
    stdout: "pipe",
    stderr: "pipe",
    encoding: "buffer",
    cleanup: true,
  });
  child.stdout?.on("data", (c: Buffer) => {
    out.push(c);
    options.onStdout?.(c);
  });
  child.stderr?.on("data", (c: Buffer) => {
    err.push(c);
    options.onStderr?.(c);
  });

  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(child.pid);
        }, options.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    killGroup(child.pid);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  // Ensure the group dies with us (a killed redgreen must not leave pytest running).
  const onExit = (): void => killGroup(child.pid);
  process.once("exit", onExit);

  try {
    const result = await child;
    const failedToSpawn = (result as { code?: string }).code === "ENOENT" || (result.failed && result.exitCode === undefined && !result.signal && !timedOut && !aborted);
    if (failedToSpawn) {
      throw new RedgreenError("runner_failed", `could not start ${file}: ${result.shortMessage ?? "not found"}`, {
        cause: result,
      });
    }
    return {
      command: [file, ...args],
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      timedOut,
      aborted,
      stdout: out.toString(),
      stderr: err.toString(),
      truncated: out.dropped > 0 || err.dropped > 0,
      durationMs: performance.now() - started,
    };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    process.removeListener("exit", onExit);
    // The leader may be gone while grandchildren (xdist workers, a forked server) linger.
    if (timedOut || aborted) killGroup(child.pid);
  }
}
