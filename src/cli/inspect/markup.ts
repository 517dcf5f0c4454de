// Escaping for text that goes into HTML or SVG markup built as strings on the server.

/** Text safe inside HTML/SVG text and quoted attribute values. */
export const escapeMarkup = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
