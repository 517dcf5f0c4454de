// Size limits on a model's answer: checked before anything parses, redacts or stores it, so a huge answer is one failed attempt.
import type { LlmEdit } from "./response-schema.js";
import type { LlmSettings } from "./settings.js";

/** Counts lines without splitting (an answer of 200,000 lines stays one string). */
function lineCount(text: string): number {
  let n = text.length > 0 ? 1 : 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Why the raw answer is too large to use, or null. `parts` are its text and its tool-call arguments. */
export function answerSizeProblem(parts: string[], limits: Pick<LlmSettings, "maxAnswerBytes" | "maxAnswerLines">): string | null {
  const bytes = parts.reduce((sum, p) => sum + Buffer.byteLength(p, "utf8"), 0);
  if (bytes > limits.maxAnswerBytes) return `the answer is ${bytes} bytes, over the limit of ${limits.maxAnswerBytes} bytes`;
  const lines = parts.reduce((sum, p) => sum + lineCount(p), 0);
  if (lines > limits.maxAnswerLines) return `the answer has ${lines} lines, over the limit of ${limits.maxAnswerLines} lines`;
  return null;
}

/** Why an edit's new text has a line that is too long, or null (lines the edit keeps from its find text do not count). */
export function editLineProblem(edits: readonly LlmEdit[], maxChars: number): string | null {
  for (const [i, e] of edits.entries()) {
    const kept = new Set(e.find.split("\n"));
    const long = e.replace.split("\n").find((l) => l.length > maxChars && !kept.has(l));
    if (long !== undefined) return `edit ${i + 1} adds a line of ${long.length} characters, over the limit of ${maxChars}`;
  }
  return null;
}
