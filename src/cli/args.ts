// Argument parsing on node:util parseArgs, with its errors turned into one-line usage errors.
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { RedgreenError } from "../domain/errors.js";

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** A usage error: main prints it as `redgreen: <message>` and exits 2. */
export const usageError = (message: string): RedgreenError => new RedgreenError("usage", message);

/** parseArgs (strict unless the config says otherwise); a bad flag becomes e.g. "unknown option '--foo' (see redgreen test --help)". */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): Parsed<T> {
  try {
    return parseArgs(config);
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS")) throw e;
    // Node's messages are several sentences; the first one names the problem.
    const first = (e as Error).message.split(/\.\s/)[0]!.replace(/\.$/, "");
    throw usageError(`${first.charAt(0).toLowerCase()}${first.slice(1)} (see redgreen ${command} --help)`);
  }
}

/** Splits a command's arguments at the first `--`: redgreen's own before it, the test runner's after it. */
export function splitRunnerArgs(args: readonly string[]): { own: string[]; runnerArgs: string[] } {
  const at = args.indexOf("--");
  return at < 0 ? { own: [...args], runnerArgs: [] } : { own: args.slice(0, at), runnerArgs: args.slice(at + 1) };
}

type Token = NonNullable<Parsed<ParseArgsConfig & { tokens: true }>["tokens"]>[number];

/**
 * Splits positionals into those that follow `--<option>` (until the next option or `--`) and the rest,
 * so `--files a.py b.py` takes both files while a positional before it stays a positional.
 */
export function splitGreedyPositionals(tokens: readonly Token[], option: string): { taken: string[]; rest: string[] } {
  const taken: string[] = [];
  const rest: string[] = [];
  let collecting = false;
  for (const t of tokens) {
    if (t.kind === "option") collecting = t.name === option;
    else if (t.kind === "option-terminator") collecting = false;
    else (collecting ? taken : rest).push(t.value);
  }
  return { taken, rest };
}

/** Parses a flag's number of seconds: positive, or also 0 when `allowZero` (meaning "off"). */
export function parseSeconds(flag: string, text: string | undefined, { allowZero }: { allowZero: boolean }): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
    throw usageError(`${flag} needs a number of seconds${allowZero ? " (0 turns it off)" : " above 0"}, got '${text}'`);
  }
  return n;
}
