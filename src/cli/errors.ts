// formatError / formatJsonError: how a fault reaches the user — one `redgreen: ...` line (the stack only with
// REDGREEN_DEBUG=1), and with --json also one {"error", "code"} object on stdout.
import { isRedgreenError } from "../domain/errors.js";
import type { JsonError } from "../domain/cli-json.js";
import type { RedgreenErrorCode } from "../domain/errors.js";

/** The longest error text printed; a longer one (a runner's whole argv, a pytest log) is cut with "…". */
export const MAX_ERROR_CHARS = 300;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** One readable line: whitespace runs joined, control characters shown as \xHH, at most MAX_ERROR_CHARS long. */
export const oneLine = (text: string): string => {
  const flat = text
    .replace(/\s*\n\s*/g, " ")
    .replace(/\t/g, " ")
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .trim();
  return flat.length <= MAX_ERROR_CHARS ? flat : `${flat.slice(0, MAX_ERROR_CHARS - 1)}…`;
};

const chain = (e: unknown): string => {
  const parts: string[] = [];
  for (let cur: unknown = e; cur instanceof Error; cur = cur.cause) parts.push(cur.stack ?? String(cur));
  return parts.join("\ncaused by: ");
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The closed-set code of an error that ended a command: a RedgreenError's own, "internal" for anything else. */
export const errorCode = (e: unknown): RedgreenErrorCode => (isRedgreenError(e) ? e.code : "internal");

/** The text written to stderr for an error that ended a command (always ends with a newline). */
export function formatError(e: unknown, debug: boolean): string {
  const message = messageOf(e);
  const line = isRedgreenError(e)
    ? `redgreen: ${oneLine(message)}`
    : `redgreen: internal error: ${oneLine(message)}${debug ? "" : " (set REDGREEN_DEBUG=1 for the stack trace)"}`;
  return debug ? `${line}\n${chain(e)}\n` : `${line}\n`;
}

/** The one JSON line written to stdout for an error that ended a `--json` command: `{"error": ..., "code": ...}`. */
export function formatJsonError(e: unknown): string {
  const text = isRedgreenError(e) ? oneLine(messageOf(e)) : `internal error: ${oneLine(messageOf(e))}`;
  const body: JsonError = { error: text, code: errorCode(e) };
  return `${JSON.stringify(body)}\n`;
}

/** Whether a command line asks for JSON output (`--json` before any `--`), so its errors are JSON too. */
export const wantsJson = (argv: readonly string[]): boolean => {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
};
