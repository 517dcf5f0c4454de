// PythonHelper: one long-lived helper.py process on the project's interpreter, serving pipelined JSON calls.
// Why execa directly and not runProcess: runProcess is for one-shot processes; this child lives for the
// whole run and speaks a line protocol over stdin/stdout.
import { execa } from "execa";
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";
import { pythonSourcePath } from "../paths.js";
import { HelperInfoSchema, HelperOpError, type CallOptions, type HelperInfo, type HelperStats, type PythonCaller } from "./caller.js";
import { callOp, opTimeoutMs, type OpBudgetOverrides } from "./ops.js";
import { testProcessEnv } from "../runners/test-env.js";

export { HelperInfoSchema, HelperOpError, isHelperOpError } from "./caller.js";
export type { CallOptions, HelperInfo, HelperStats, PythonCaller } from "./caller.js";

/** How long the `warm` op reads project files before it stops (it usually finishes long before). */
const WARM_BUDGET_MS = 2_000;
const WarmReplySchema = z.object({ files: z.number().int(), read: z.number().int() });

export interface PythonHelperOptions {
  /** The project's interpreter (path or command on PATH). */
  python: string;
  projectRoot: string;
  /** Extra environment for the helper process (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** Per-call timeout of ops without a budget in src/python/ops.ts (10 s). */
  timeoutMs?: number;
  /** Budgets replacing the op table's for some ops. */
  opBudgets?: OpBudgetOverrides;
  /** Limit for the first `version` call that proves the helper runs (20 s). */
  startTimeoutMs?: number;
  /** Crashes in a row (without a successful reply between them) tolerated before giving up (3). */
  maxRestarts?: number;
  /** helper.py to run; tests point this at a copy with extra ops modules. */
  helperScript?: string;
}

const ReplySchema = z.object({
  id: z.number().int().nullable(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  kind: z.string().optional(),
  traceback: z.string().optional(),
});

const PROTOCOL = 1;
const MIN_PYTHON: readonly [number, number] = [3, 8];
const STDERR_TAIL = 4096;

type Child = ReturnType<typeof spawnHelper>;

interface Pending {
  id: number;
  op: string;
  line: string;
  generation: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timeoutMs: number;
  /** Armed when the call becomes the one the helper runs (calls queued behind a slow one are not charged for it). */
  timer: ReturnType<typeof setTimeout> | null;
  /** When the armed call's time is up (performance.now()): a reply that comes later is a timeout too. */
  deadline: number;
}

const spawnHelper = (python: string, script: string, projectRoot: string, env?: Record<string, string | undefined>) =>
  execa(python, ["-B", script, projectRoot], {
    cwd: projectRoot,
    // The helper imports project packages (their code runs): it gets the test process's environment, not the model's keys.
    env: { ...testProcessEnv(process.env), ...env, PYTHONDONTWRITEBYTECODE: "1" },
    extendEnv: false,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    buffer: false,
    reject: false,
    cleanup: true,
    encoding: "utf8",
  });

/** A long-lived Python helper process; start() it once per project and close() it at the end. */
export class PythonHelper implements PythonCaller {
  private child: Child | null = null;
  private generation = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ready = false;
  private closed = false;
  private broken: RedgreenError | null = null;
  private crashesInARow = 0;
  /** Set when a stuck call's timeout killed the process: that call gets this error, the rest are replayed. */
  private timeoutKill: { id: number; error: RedgreenError } | null = null;
  private stderrTail = "";
  private exited: Promise<void> = Promise.resolve();
  private readonly counters: HelperStats = { calls: 0, failedCalls: 0, timeouts: 0, restarts: 0 };
  private helperInfo: HelperInfo | null = null;

  private constructor(private readonly opts: PythonHelperOptions) {}

  /** Spawns the helper and waits until it answers `version`; throws python_missing when it cannot run. */
  static async start(opts: PythonHelperOptions): Promise<PythonHelper> {
    const helper = new PythonHelper(opts);
    helper.spawn();
    let raw: unknown;
    try {
      raw = await helper.call("version", {}, { timeoutMs: opts.startTimeoutMs ?? 20_000 });
    } catch (error) {
      await helper.close();
      throw new RedgreenError(
        "python_missing",
        `could not start the python helper with ${opts.python}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const info = HelperInfoSchema.safeParse(raw);
    if (!info.success || info.data.protocol !== PROTOCOL) {
      await helper.close();
      throw new RedgreenError("internal", `python helper speaks an unexpected protocol: ${JSON.stringify(raw)}`);
    }
    const [major = 0, minor = 0] = info.data.versionInfo;
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      await helper.close();
      throw new RedgreenError(
        "python_missing",
        `${opts.python} is Python ${info.data.python}; redgreen needs ${MIN_PYTHON.join(".")} or newer`,
      );
    }
    helper.helperInfo = info.data;
    helper.ready = true;
    return helper;
  }

  /** Interpreter facts and op names from the helper's `version` reply. */
  get info(): HelperInfo {
    if (!this.helperInfo) throw new RedgreenError("internal", "python helper not started");
    return this.helperInfo;
  }

  /** Call/restart counters. */
  get stats(): HelperStats {
    return { ...this.counters };
  }

  /** Calls an op; rejects with RedgreenError on op exceptions (internal), unknown ops (usage), timeouts and crashes (runner_failed). */
  call<T>(op: string, args: object, opts: CallOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new RedgreenError("usage", `python helper is closed (op "${op}")`));
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const line = JSON.stringify({ id, op, args }) + "\n";
    const timeoutMs = opts.timeoutMs ?? opTimeoutMs(op, opts.inputChars ?? 0, this.opts.opBudgets) ?? this.opts.timeoutMs ?? 10_000;
    this.counters.calls++;
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        id,
        op,
        line,
        generation: -1,
        resolve: resolve as (value: unknown) => void,
        reject: (error) => {
          this.counters.failedCalls++;
          reject(error);
        },
        timeoutMs,
        timer: null,
        deadline: Infinity,
      };
      this.pending.set(id, entry);
      if (!this.child) {
        if (this.generation > 0) this.counters.restarts++;
        this.spawn();
      }
      this.send(entry);
      this.armRunning();
      this.updateRef();
    });
  }

  /** PythonCaller.warm: the `warm` op, which stops after WARM_BUDGET_MS (a call queued behind it waits at most that). */
  async warm(): Promise<void> {
    await callOp(this, "warm", { budgetMs: WARM_BUDGET_MS }, WarmReplySchema);
  }

  /** Ends the helper: calls still pending reject; waits for the process to exit (an idle one gets 2 s before SIGKILL). */
  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    const busy = this.pending.size > 0;
    this.rejectAll(new RedgreenError("runner_failed", "python helper closed before the call finished"));
    const child = this.child;
    if (child) {
      // An idle helper exits on end of input; a busy one would finish its op first, which nobody awaits now.
      if (busy) child.kill("SIGKILL");
      else child.stdin?.end();
      const killer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await this.exited;
      clearTimeout(killer);
    }
  }

  private spawn(): void {
    const script = this.opts.helperScript ?? pythonSourcePath("python", "helper.py");
    const child = spawnHelper(this.opts.python, script, this.opts.projectRoot, this.opts.env);
    const generation = ++this.generation;
    this.child = child;
    this.stderrTail = "";
    let buffered = "";
    child.stdout?.on("data", (chunk: string | Buffer) => {
      buffered += chunk.toString();
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (text.trim() !== "") this.onLine(text);
        nl = buffered.indexOf("\n");
      }
    });
    child.stderr?.on("data", (chunk: string | Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    // A write to a helper that just died fails with EPIPE; the exit handler reports the crash.
    child.stdin?.on("error", () => undefined);
    this.exited = child.then(
      (result) => this.onExit(child, generation, result.exitCode ?? null, result.signal ?? null, (result as { code?: string }).code),
      (error: unknown) => this.onExit(child, generation, null, null, (error as { code?: string }).code),
    );
  }

  private send(entry: Pending): void {
    const child = this.child;
    if (!child) return;
    entry.generation = this.generation;
    child.stdin?.write(entry.line);
  }

  private onLine(text: string): void {
    let reply: z.infer<typeof ReplySchema>;
    try {
      reply = ReplySchema.parse(JSON.parse(text));
    } catch {
      this.stderrTail = (this.stderrTail + `\n[unparseable helper output] ${text.slice(0, 200)}`).slice(-STDERR_TAIL);
      return;
    }
    if (reply.id === null) return;
    const entry = this.pending.get(reply.id);
    if (!entry) return; // a call that already timed out
    this.finish(entry);
    this.crashesInARow = 0;
    this.armRunning();
    if (performance.now() >= entry.deadline) {
      // Past its deadline before its timer fired (a busy event loop): a timeout all the same, the helper is not stuck.
      this.counters.timeouts++;
      entry.reject(this.timeoutError(entry));
      return;
    }
    if (reply.ok) {
      entry.resolve(reply.result);
      return;
    }
    const detail = reply.traceback ? `\n${reply.traceback.trimEnd()}` : "";
    const message = `python helper op "${entry.op}" failed: ${reply.error ?? "unknown error"}${detail}`;
    const misuse = reply.kind === "unknown_op" || reply.kind === "bad_request";
    entry.reject(misuse ? new RedgreenError("usage", message) : new HelperOpError(entry.op, "exception", "internal", message));
  }

  private finish(entry: Pending): void {
    if (entry.timer) clearTimeout(entry.timer);
    this.pending.delete(entry.id);
    this.updateRef();
  }

  /** Starts the clock of the call the helper runs now (the helper serves calls one at a time, in order). */
  private armRunning(): void {
    const running = this.inFlight();
    if (!running || running.timer) return;
    running.deadline = performance.now() + running.timeoutMs;
    running.timer = setTimeout(() => this.onTimeout(running.id), running.timeoutMs);
  }

  private timeoutError(entry: Pending): HelperOpError {
    return new HelperOpError(entry.op, "timeout", "runner_failed", `python helper op "${entry.op}" timed out after ${entry.timeoutMs} ms`);
  }

  /** The oldest pending call sent to the current process is the one the helper is running now. */
  private inFlight(): Pending | undefined {
    for (const entry of this.pending.values()) if (entry.generation === this.generation) return entry;
    return undefined;
  }

  private onTimeout(id: number): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.counters.timeouts++;
    const error = this.timeoutError(entry);
    if (this.inFlight() === entry && this.child) {
      // The helper is stuck in this op: kill it; onExit rejects the call and restarts for the rest.
      this.timeoutKill = { id, error };
      this.child.kill("SIGKILL");
      return;
    }
    this.finish(entry);
    entry.reject(error);
  }

  private onExit(child: Child, generation: number, exitCode: number | null, signal: string | null, code?: string): void {
    if (child !== this.child || generation !== this.generation) return;
    this.child = null;
    const timeoutKill = this.timeoutKill;
    this.timeoutKill = null;
    if (this.closed) return;
    // After a timeout kill the victim is the timed-out call (if its reply did not slip in first), never the next one.
    const running = timeoutKill ? this.pending.get(timeoutKill.id) : this.inFlight();
    const how =
      code === "ENOENT" ? `${this.opts.python} not found` : `exit code ${exitCode ?? "none"}${signal ? `, signal ${signal}` : ""}`;
    const stderr = this.stderrTail.trim() ? `; stderr: ${this.stderrTail.trim().split("\n").slice(-12).join("\n")}` : "";
    const crash = new RedgreenError(
      "runner_failed",
      `python helper (${this.opts.python}) exited (${how})${running ? ` while running "${running.op}"` : ""}${stderr}`,
    );
    if (running) {
      this.finish(running);
      running.reject(timeoutKill?.error ?? new HelperOpError(running.op, "crash", "runner_failed", crash.message));
    }
    if (!timeoutKill) this.crashesInARow++;
    const maxRestarts = this.opts.maxRestarts ?? 3;
    if (!this.ready || this.crashesInARow > maxRestarts) {
      if (this.ready) {
        this.broken = new RedgreenError(
          "runner_failed",
          `python helper crashed ${this.crashesInARow} times in a row; giving up. Last: ${crash.message}`,
        );
      }
      this.rejectAll(this.broken ?? crash);
      return;
    }
    if (this.pending.size > 0) {
      this.counters.restarts++;
      this.spawn();
      for (const entry of [...this.pending.values()].sort((a, b) => a.id - b.id)) this.send(entry);
      this.armRunning();
      this.updateRef();
    }
  }

  private rejectAll(error: RedgreenError): void {
    for (const entry of [...this.pending.values()]) {
      this.finish(entry);
      entry.reject(error);
    }
  }

  /** Keeps Node alive only while calls are pending, so a forgotten close() cannot hang the CLI. */
  private updateRef(): void {
    const child = this.child;
    if (!child) return;
    const active = this.pending.size > 0;
    for (const stream of [child.stdout, child.stderr, child.stdin] as Array<{ ref?: () => void; unref?: () => void } | null>) {
      if (active) stream?.ref?.();
      else stream?.unref?.();
    }
    if (active) child.ref();
    else child.unref();
  }
}
