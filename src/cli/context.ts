// CliContext: what a command gets from main instead of reaching for process globals.
import type { Palette } from "./colour.js";

/** The streams, environment and cancellation a command runs with. */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): void };
  stderr: { write(text: string): void; readonly isTTY: boolean };
  /** Colour per stream, decided once by main (src/cli/colour.ts): plain under --json, --no-color, NO_COLOR or a pipe. */
  colour: { stdout: Palette; stderr: Palette };
  /** Aborted on SIGINT/SIGTERM: long-running commands stop their subprocesses and return. */
  signal: AbortSignal;
}

/** A command's entry point: parses its own arguments and returns the process exit code. */
export type CommandRun = (args: string[], ctx: CliContext) => Promise<number>;

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Tests (or the job) failed. */
  failed: 1,
  /** Bad usage or a broken environment (missing path, Python, pytest, database). */
  usage: 2,
  interrupted: 130,
} as const;
