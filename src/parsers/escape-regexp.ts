// escapeRegExp: literal text made safe to embed in a RegExp source.

/** `text` with every RegExp metacharacter escaped, so `new RegExp(escapeRegExp(text))` matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
