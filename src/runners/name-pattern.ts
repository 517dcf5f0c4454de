// volatileNamePattern: a test name as a RegExp source that matches the same test in a later run (literal text escaped
// and argv-safe, each volatile part such as a seed matching any value); used by every runner's test selection.
import { volatileSegments } from "../domain/node-id.js";
import { escapeRegExp } from "../parsers/escape-regexp.js";

/**
 * The RegExp source (JavaScript and Python `re` alike) matching `text` exactly, except that each volatile part
 * (src/domain/node-id.ts) matches whatever value it has in this run. Control characters are \xHH escapes, so the
 * source is safe on a command line.
 */
export const volatileNamePattern = (text: string): string =>
  volatileSegments(text)
    .map((s) => (s.part === null ? escapeRegExp(s.text) : `(?:${s.part.wildcard})`))
    .join("");
