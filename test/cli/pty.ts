// Runs the built CLI on a pseudo-terminal (util-linux `script`): its output as a terminal shows it, keys sent to it.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { binPath } from "./run-cli.js";

export interface Pty {
  output(): string;
  send(keys: string): void;
  /** Waits until the output after `from` matches; returns the index just past the match. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<number>;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

/** Kills every pty process still running (call it in afterEach). */
export function killPtys(): void {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill("SIGKILL");
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Starts `redgreen ...args` on a pseudo-terminal (TERM=xterm, no colour variables, no model, no REDGREEN_DB);
 * `env` adds to (or, undefined, removes from) that environment.
 */
export function startPty(args: string[], env: Record<string, string | undefined> = {}): Pty {
  const cmd = [process.execPath, binPath, ...args].map(shellQuote).join(" ");
  const base = { ...process.env, TERM: "xterm", REDGREEN_DB: undefined, REDGREEN_MODEL: undefined, OPENAI_BASE_URL: undefined };
  const full = { ...base, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env };
  const child = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"], env: full });
  running.push(child);
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    output: () => out,
    send: (keys) => void child.stdin!.write(keys),
    async waitFor(pattern, from = 0, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(out.slice(from));
        if (m) return from + m.index + m[0].length;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
  };
}
