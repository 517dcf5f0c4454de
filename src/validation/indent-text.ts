// Indentation as text, shared by every language's indentation check: what a run of leading whitespace is made of, and line lists.

/** Which characters an indent uses. */
export const indentKind = (ws: string): "tabs" | "spaces" | "mixed" =>
  ws.includes("\t") ? (ws.includes(" ") ? "mixed" : "tabs") : "spaces";

/** Up to three line numbers, then an ellipsis. */
export const lineList = (lines: number[]): string => (lines.length > 3 ? `${lines.slice(0, 3).join(", ")}, …` : lines.join(", "));
