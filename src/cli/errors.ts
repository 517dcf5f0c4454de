// formatError: how a fault reaches the user — one `redgreen: ...` line, the stack only with REDGREEN_DEBUG=1.
import { isRedgreenError } from "../domain/errors.js";

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();

const chain = (e: unknown): string => {
  const parts: string[] = [];
  for (let cur: unknown = e; cur instanceof Error; cur = cur.cause) parts.push(cur.stack ?? String(cur));
  return parts.join("\ncaused by: ");
};

/** The text written to stderr for an error that ended a command (always ends with a newline). */
export function formatError(e: unknown, debug: boolean): string {
  const message = e instanceof Error ? e.message : String(e);
  const line = isRedgreenError(e)
    ? `redgreen: ${oneLine(message)}`
    : `redgreen: internal error: ${oneLine(message)}${debug ? "" : " (set REDGREEN_DEBUG=1 for the stack trace)"}`;
  return debug ? `${line}\n${chain(e)}\n` : `${line}\n`;
}
