// escapeRegExp: literal text made safe to embed in a RegExp source, and to pass on a command line.

/** Control characters and lone surrogates: not allowed in argv (NUL) or not surviving its UTF-8 encoding. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether text can be passed as a command-line argument as it is (no control character, no lone surrogate). */
export const isArgvSafe = (text: string): boolean => text.search(UNSAFE) < 0;

const hex = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * `text` with every RegExp metacharacter escaped, so `new RegExp(escapeRegExp(text))` matches it literally; control
 * characters and lone surrogates are written as \xHH / \uHHHH escapes, so the source is also safe as a command-line
 * argument (a runner's -t name filter) whatever the text holds.
 */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(UNSAFE, hex);
