// runProcess: the one place redgreen spawns processes — hard timeouts, process-group kill, output caps.
import { randomUUID } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { execa } from "execa";
import type { Options, ResultPromise } from "execa";
import { RedgreenError } from "../domain/errors.js";
import { CappedBuffer, FILE_CHECK_MS, type FileCapture, openFileCaptures, outputText } from "./capture.js";
import { CANNOT_START, killCommand, killGroup, killTagged, signalOfStatus, SUPERVISOR_SCRIPT } from "./supervisor.js";

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
  /**
   * How stdout/stderr are collected. "pipe" (the default) streams them through Node and returns once
   * every process holding them has closed them. "file" lets the child write to unlinked temporary
   * files read once at exit: a child that writes many small pieces (pytest flushes each progress dot)
   * then costs Node nothing per write; the call returns when the child exits, even if a background
   * process it started still holds the output. Not combinable with onStdout/onStderr.
   */
  capture?: "pipe" | "file";
}

/** A finished (or killed) process is a value, never an exception. */
export interface ProcessResult {
  command: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** True when the command's supervising parent was killed by someone else: the command killed its parent or its own process group. */
  parentKilled: boolean;
  stdout: string;
  stderr: string;
  /** True when output past maxOutputBytes was dropped. */
  truncated: boolean;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 2 * 1024 * 1024;
/** Milliseconds between the kills of an aborted command that has not exited yet. */
const ABORT_RETRY_MS = 50;
/** The result of a command never started (its signal aborted first). */
const NOT_RUN: Omit<ProcessResult, "command"> = {
  exitCode: null,
  signal: null,
  timedOut: false,
  aborted: false,
  parentKilled: false,
  stdout: "",
  stderr: "",
  truncated: false,
  durationMs: 0,
};
/** execa's types list only the fds 1-9, but it hands any descriptor number to child_process.spawn as is. */
const asFd = (fd: number): 1 => fd as 1;

/**
 * How a standby starts: runProcess's options, and the fd it reads its input from (default 0, stdin). A command that
 * reads it from fd 4 or above gets /dev/null as stdin, as a fresh command does (Node cannot put /dev/null there after).
 */
export type StandbyOptions = Omit<RunProcessOptions, "input" | "onStdout" | "onStderr"> & { inputFd?: number };

/** What a standby's go() supervises: runProcess's options that start counting when the command is told to go. */
export type GoOptions = Pick<RunProcessOptions, "timeoutMs" | "signal">;

/** A command started ahead of its turn: it runs up to its first read of stdin, where go() hands it its input. */
export interface Standby {
  /** True once the command exited: go() would only collect what it left. */
  readonly exited: boolean;
  /** Writes `input` to the command's input (stdin or its inputFd), closes it, and supervises the command from now on. */
  go(input: string, options?: GoOptions): Promise<ProcessResult>;
  /** Kills the command and frees its captures, unless go() was called; it never keeps redgreen alive. */
  cancel(): void;
}

/**
 * Runs a command under the supervising shell (src/process/supervisor.ts) in its own process group; a command that
 * cannot be started is the only thrown fault. When the command exits, its group and every process carrying its
 * tag are killed: nothing a run started outlives it, and nothing outlives redgreen.
 */
export async function runProcess(file: string, args: string[], options: RunProcessOptions): Promise<ProcessResult> {
  if (options.capture === "file" && (options.onStdout || options.onStderr)) {
    throw new RedgreenError("internal", 'runProcess: capture "file" cannot stream output to onStdout/onStderr');
  }
  // Aborted before it started: nothing is spawned (a kill this early would find no command to kill, and it would run).
  if (options.signal?.aborted) return { ...NOT_RUN, command: [file, ...args], aborted: true };
  return new Supervised(file, args, options, options.input !== undefined ? 0 : null).supervise(options);
}

/**
 * Starts a command now that waits for its input on stdin (see Standby); runProcess's rules apply from go() on. Only
 * "file" capture: output before go() waits in the files.
 */
export function startStandby(file: string, args: string[], options: StandbyOptions): Standby {
  const spawned = new Supervised(file, args, { ...options, capture: "file" }, options.inputFd ?? 0);
  spawned.detach();
  let taken = false;
  return {
    get exited() {
      return spawned.exited;
    },
    go(input, goOptions = {}) {
      taken = true;
      spawned.attach();
      spawned.write(input);
      return spawned.supervise(goOptions);
    },
    cancel() {
      if (!taken) spawned.cancel();
    },
  };
}

/** What runs when Node exits: each live command's kill (one listener for all, however many standbys wait). */
const onProcessExit = new Set<() => void>();
process.once("exit", () => {
  for (const kill of onProcessExit) kill();
});

/** One command under the supervisor: spawned by the constructor, watched by supervise() until it exits. */
class Supervised {
  private readonly max: number;
  private readonly files: [FileCapture, FileCapture] | null;
  private readonly out: CappedBuffer;
  private readonly err: CappedBuffer;
  private readonly tag = randomUUID();
  private readonly child: ResultPromise;
  exited = false;
  private released = false;
  private readonly onExit = (): void => this.killAll();

  constructor(
    private readonly file: string,
    private readonly args: string[],
    options: Omit<RunProcessOptions, "input" | "timeoutMs" | "signal">,
    /** The command's fd its input is written to (0: stdin; past 3, fd 0 is /dev/null), or null: no input, stdin is /dev/null. */
    private readonly inputFd: number | null,
  ) {
    this.max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    this.files = options.capture === "file" ? openFileCaptures(this.max) : null;
    this.out = new CappedBuffer(this.max);
    this.err = new CappedBuffer(this.max);
    const execaOptions: Options = {
      cwd: options.cwd,
      env: options.env,
      extendEnv: options.env === undefined,
      reject: false,
      buffer: false,
      detached: true,
      // fd 3 is the supervisor's lifeline: redgreen holds its writing end until the command exits.
      stdio: [
        inputFd === 0 ? "pipe" : "ignore",
        this.files ? asFd(this.files[0].fd) : "pipe",
        this.files ? asFd(this.files[1].fd) : "pipe",
        "pipe",
        ...Array.from({ length: Math.max(0, (inputFd ?? 0) - 3) }, (_, i) => (i + 4 === inputFd ? "pipe" : "ignore")),
      ] as Options["stdio"],
      encoding: "buffer",
      cleanup: true,
    };
    this.child = execa("sh", ["-c", SUPERVISOR_SCRIPT, "redgreen-supervisor", this.tag, file, ...args], execaOptions);
    // The moment the supervisor exits, whatever the command left behind goes; closing the lifeline lets execa settle.
    this.child.once("exit", () => {
      this.exited = true;
      this.killAll();
      (this.child.stdio[3] as Readable | Writable | null)?.destroy();
    });
    this.child.stdout?.on("data", (c: Buffer) => {
      this.out.push(c);
      options.onStdout?.(c);
    });
    this.child.stderr?.on("data", (c: Buffer) => {
      this.err.push(c);
      options.onStderr?.(c);
    });
    // Ensure the group dies with us (a killed redgreen must not leave pytest running).
    onProcessExit.add(this.onExit);
  }

  private killAll(): void {
    killGroup(this.child.pid);
    killTagged(this.tag);
  }

  /** A waiting command does not keep Node's event loop alive (its lifeline still kills it when redgreen exits). */
  detach(): void {
    this.child.unref();
    for (const s of this.handles()) s.unref?.();
  }

  /** Told to go, the command keeps Node alive again until it exits. */
  attach(): void {
    this.child.ref();
    for (const s of this.handles()) s.ref?.();
  }

  private handles(): { ref?: () => void; unref?: () => void }[] {
    return [this.input(), this.child.stdio[3]].filter((s) => s != null) as { ref?: () => void; unref?: () => void }[];
  }

  /** The stream the command's input is written to, if it has one. */
  private input(): Writable | null {
    if (this.inputFd === null) return null;
    return ((this.inputFd === 0 ? this.child.stdin : this.child.stdio[this.inputFd]) as Writable | null | undefined) ?? null;
  }

  write(input: string): void {
    const stdin = this.input();
    if (stdin === null || this.exited) return;
    // A command that died meanwhile closed its end: the result tells what happened, not an EPIPE.
    stdin.on("error", () => undefined);
    stdin.end(input);
  }

  cancel(): void {
    this.killAll();
    this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.files?.forEach((f) => f.close());
    onProcessExit.delete(this.onExit);
  }

  async supervise(options: GoOptions & Pick<RunProcessOptions, "input">): Promise<ProcessResult> {
    try {
      return await this.watch(options);
    } finally {
      // Only when the exit handler did not run (a fault before the command exited).
      if (!this.exited) this.killAll();
      this.release();
    }
  }

  private async watch(options: GoOptions & Pick<RunProcessOptions, "input">): Promise<ProcessResult> {
    const { child, files, file, args } = this;
    const started = performance.now();
    let timedOut = false;
    let aborted = false;
    if (options.input !== undefined) this.write(options.input);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killCommand(child.pid);
          }, options.timeoutMs);
    const compactor = files
      ? setInterval(() => {
          try {
            for (const f of files) f.compactIfLarge();
          } catch {
            /* the final read still returns what the file holds */
          }
        }, FILE_CHECK_MS)
      : undefined;
    let killAgain: ReturnType<typeof setInterval> | undefined;
    const onAbort = (): void => {
      aborted = true;
      killCommand(child.pid);
      // Right after the spawn the supervisor may not have started the command yet: kill again until everything exited.
      killAgain ??= setInterval(() => (this.exited ? clearInterval(killAgain) : killCommand(child.pid)), ABORT_RETRY_MS);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });

    try {
      const result = await child;
      const failedToSpawn =
        (result as { code?: string }).code === "ENOENT" ||
        (result.failed && result.exitCode === undefined && !result.signal && !timedOut && !aborted);
      if (failedToSpawn) {
        throw new RedgreenError(
          "runner_failed",
          `could not start the supervising shell for ${file}: ${result.shortMessage ?? "sh not found"}`,
          {
            cause: result,
          },
        );
      }
      if (compactor) clearInterval(compactor);
      const [o, e] = files ? [files[0].finish(), files[1].finish()] : [this.out.finish(), this.err.finish()];
      const stderr = outputText(e);
      if (result.exitCode === 127 && stderr.startsWith(CANNOT_START)) {
        throw new RedgreenError("runner_failed", `could not start ${file}: not found or not executable`);
      }
      // The shell itself dies by a signal only when killed: by us (timeout, abort) or by the command it runs.
      const parentKilled = result.signal !== undefined && !timedOut && !aborted;
      const commandSignal = result.signal ? null : signalOfStatus(result.exitCode ?? null);
      return {
        command: [file, ...args],
        exitCode: commandSignal || result.signal ? null : (result.exitCode ?? null),
        signal: result.signal ?? commandSignal,
        timedOut,
        aborted,
        parentKilled,
        stdout: outputText(o),
        stderr,
        truncated: o.dropped > 0 || e.dropped > 0,
        durationMs: performance.now() - started,
      };
    } finally {
      if (timer) clearTimeout(timer);
      if (compactor) clearInterval(compactor);
      if (killAgain) clearInterval(killAgain);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }
}
