// The `redgreen resume ...` line printed when a workflow stops early, ready to paste into a POSIX shell from the same cwd.
import { resolve } from "node:path";
import type { CliContext } from "./context.js";

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: as is when nothing in it is special to the shell, else single-quoted. */
export const shellQuote = (word: string): string => (SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The resume command for a workflow: the project path unless it is the cwd, and --db when one was given on the line. */
export function resumeCommand(ctx: Pick<CliContext, "cwd">, workflowId: string, projectRoot: string, db?: string): string {
  const words = ["redgreen", "resume", workflowId];
  if (resolve(ctx.cwd, projectRoot) !== resolve(ctx.cwd)) words.push(shellQuote(projectRoot));
  if (db !== undefined) words.push("--db", shellQuote(resolve(ctx.cwd, db)));
  return words.join(" ");
}
