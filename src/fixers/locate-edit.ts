// locateEdit / applyFix: finds an edit's `find` text near a line and splices in `replace`, re-indented and EOL-preserving.
import type { FileEdit } from "../domain/fix.js";
import { RedgreenError } from "../domain/errors.js";
import { lineOfOffset, lineStarts } from "../text-lines.js";

/** Where an edit's `find` text sits, in offsets of the LF-normalised text (BOM removed). */
export interface EditLocation {
  start: number;
  end: number;
  /** 1-based lines of the first and last located character. */
  startLine: number;
  endLine: number;
  /** exact: `find` occurs verbatim; indent: it matched line by line ignoring indentation; fragment: a trimmed one-line fragment matched. */
  how: "exact" | "indent" | "fragment";
}

const LEADING_WS = /^[ \t]*/;
const strip = (s: string): string => s.replace(/^[ \t\f]+|[ \t\f\r]+$/g, "");
const leading = (s: string): string => LEADING_WS.exec(s)![0];
const isBlank = (s: string): boolean => strip(s) === "";
/** The first line of a text that is not blank ("" when there is none). */
const firstCodeLine = (s: string): string => s.split("\n").find((l) => !isBlank(l)) ?? "";

interface Candidate {
  start: number;
  end: number;
}

/** With a line hint, a match farther than this many lines from it is a guess, not a location. */
export const NEAR_LINE_WINDOW = 5;

// Python identifiers are Unicode letters, digits and "_"; "$" is added for the JavaScript runners.
const IDENT = /^[\p{L}\p{N}_$]$/u;
const isIdent = (ch: string | undefined): boolean => ch !== undefined && IDENT.test(ch);

/** Every occurrence of `needle` that does not start or end inside an identifier (`count` is not in `total_count`). */
function wholeMatches(text: string, needle: string): Candidate[] {
  const out: Candidate[] = [];
  const checkStart = isIdent(needle[0]);
  const checkEnd = isIdent(needle[needle.length - 1]);
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    const end = i + needle.length;
    if (checkStart && isIdent(text[i - 1])) continue;
    if (checkEnd && isIdent(text[end])) continue;
    out.push({ start: i, end });
  }
  return out;
}

type Pick = { kind: "one"; candidate: Candidate } | { kind: "ambiguous"; lines: number[] };

/**
 * The one candidate an edit means: the only one, or the unique nearest to `line` within NEAR_LINE_WINDOW lines.
 * Several candidates without a line, none near it, or a tie are ambiguous: editing a guess can break unrelated code.
 */
function choose(starts: number[], candidates: Candidate[], line: number | undefined): Pick {
  if (candidates.length === 1) return { kind: "one", candidate: candidates[0]! };
  const lines = candidates.map((c) => lineOfOffset(starts, c.start));
  if (line === undefined) return { kind: "ambiguous", lines };
  let best: Candidate | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const first = lineOfOffset(starts, c.start);
    const last = lineOfOffset(starts, Math.max(c.start, c.end - 1));
    const distance = line < first ? first - line : line > last ? line - last : 0;
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  if (best === undefined || tie || bestDistance > NEAR_LINE_WINDOW) return { kind: "ambiguous", lines };
  return { kind: "one", candidate: best };
}

/** Where `find` is, that it is absent, or the lines of its several equally plausible places. */
type Located = { kind: "found"; at: EditLocation } | { kind: "absent" } | { kind: "ambiguous"; how: EditLocation["how"]; lines: number[] };

function findEdit(text: string, find: string, line?: number): Located {
  if (find === "") return { kind: "absent" };
  const starts = lineStarts(text);
  const result = (candidates: Candidate[], how: EditLocation["how"]): Located => {
    const picked = choose(starts, candidates, line);
    if (picked.kind === "ambiguous") return { kind: "ambiguous", how, lines: picked.lines };
    const c = picked.candidate;
    return {
      kind: "found",
      at: {
        start: c.start,
        end: c.end,
        startLine: lineOfOffset(starts, c.start),
        endLine: lineOfOffset(starts, Math.max(c.start, c.end - 1)),
        how,
      },
    };
  };

  const exact = wholeMatches(text, find);
  if (exact.length > 0) return result(exact, "exact");

  // Line by line, ignoring each line's leading and trailing whitespace (LLM edits often get indentation wrong).
  const endsWithNewline = find.endsWith("\n");
  const findLines = (endsWithNewline ? find.slice(0, -1) : find).split("\n").map(strip);
  while (findLines.length > 1 && findLines[0] === "") findLines.shift();
  while (findLines.length > 1 && findLines[findLines.length - 1] === "") findLines.pop();
  if (findLines.some((l) => l !== "")) {
    const fileLines = text.split("\n");
    const stripped = fileLines.map(strip);
    const byLine: Candidate[] = [];
    for (let i = 0; i + findLines.length <= fileLines.length; i++) {
      let ok = true;
      for (let j = 0; j < findLines.length && ok; j++) ok = stripped[i + j] === findLines[j];
      if (!ok) continue;
      const lastIndex = i + findLines.length - 1;
      const end = starts[lastIndex]! + fileLines[lastIndex]!.length;
      byLine.push({ start: starts[i]!, end: endsWithNewline && end < text.length ? end + 1 : end });
    }
    if (byLine.length > 0) return result(byLine, "indent");
  }

  // A one-line fragment whose surrounding whitespace is off.
  const fragment = strip(find);
  if (fragment !== "" && !fragment.includes("\n")) {
    const frag = wholeMatches(text, fragment);
    if (frag.length > 0) return result(frag, "fragment");
  }
  return { kind: "absent" };
}

const ambiguityMessage = (lines: number[], line: number | undefined): string => {
  const shown = lines.slice(0, 8).join(", ") + (lines.length > 8 ? ", …" : "");
  const where =
    line === undefined
      ? "and the edit gives no line to choose by"
      : `and none is the single nearest within ${NEAR_LINE_WINDOW} lines of line ${line}`;
  return `the text to replace is ambiguous: it occurs ${lines.length} times (lines ${shown}) ${where}; include more surrounding code`;
};

/**
 * Finds `find` (LF-normalised) in `text` (LF-normalised): verbatim first, then ignoring indentation, then as a trimmed
 * one-line fragment; a match never starts or ends inside an identifier. Null when absent; throws
 * RedgreenError("usage") when several places match and `line` does not single one out (see NEAR_LINE_WINDOW).
 */
export function locateEdit(text: string, find: string, line?: number): EditLocation | null {
  const found = findEdit(text, find, line);
  if (found.kind === "ambiguous") throw new RedgreenError("usage", ambiguityMessage(found.lines, line));
  return found.kind === "found" ? found.at : null;
}

/** Columns of an indentation string (tabs to the next multiple of 8, as Python's tokenizer counts). */
const columns = (ws: string): number => {
  let col = 0;
  for (const ch of ws) col = ch === "\t" ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
};

/**
 * Re-indents a block so its first non-blank line starts with `target`; other lines keep their indentation relative
 * to that first line. Extra indentation written with spaces becomes tabs when the target indents with tabs.
 */
export function reindentBlock(block: string, target: string): string {
  const lines = block.split("\n");
  const first = lines.find((l) => !isBlank(l));
  if (first === undefined) return block;
  const base = leading(first);
  const baseCols = columns(base);
  const tabs = target.includes("\t") && !target.includes(" ");
  // The indent unit of the block's own relative indentation, for converting spaces to tabs.
  const unit =
    Math.min(
      ...lines
        .filter((l) => !isBlank(l))
        .map((l) => columns(leading(l)) - baseCols)
        .filter((c) => c > 0),
      4,
    ) || 4;
  return lines
    .map((l) => {
      if (isBlank(l)) return "";
      const own = leading(l);
      const body = l.slice(own.length);
      const extra = columns(own) - baseCols;
      if (extra >= 0) {
        const rel = own.startsWith(base) ? own.slice(base.length) : " ".repeat(extra);
        return target + (tabs ? "\t".repeat(Math.round(columns(rel) / unit)) : rel) + body;
      }
      // Less indented than the first line: remove the difference from the target.
      const targetCols = Math.max(0, columns(target) + extra);
      return (tabs ? "\t".repeat(Math.round(targetCols / 8)) : " ".repeat(targetCols)) + body;
    })
    .join("\n");
}

interface Decoded {
  bom: string;
  body: string;
  norm: string;
  /** Offsets (in norm) of "\n" that were "\r\n" in body. */
  crlfAt: number[];
  eol: "\n" | "\r\n";
}

function decode(source: string): Decoded {
  const bom = source.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = source.slice(bom.length);
  const crlfAt: number[] = [];
  let norm = "";
  let last = 0;
  let lf = 0;
  for (let i = body.indexOf("\n"); i !== -1; i = body.indexOf("\n", i + 1)) {
    if (i > 0 && body[i - 1] === "\r") {
      norm += body.slice(last, i - 1);
      crlfAt.push(norm.length);
      norm += "\n";
    } else {
      norm += body.slice(last, i + 1);
      lf++;
    }
    last = i + 1;
  }
  norm += body.slice(last);
  return { bom, body, norm, crlfAt, eol: crlfAt.length > lf ? "\r\n" : "\n" };
}

/** Maps an offset in the normalised text back to the original body. */
function toBody(d: Decoded, offset: number): number {
  let lo = 0;
  let hi = d.crlfAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.crlfAt[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return offset + lo;
}

/** The line ending used by the normalised line holding `offset` (falls back to the file's dominant one). */
function eolAt(d: Decoded, offset: number): "\n" | "\r\n" {
  const nl = d.norm.indexOf("\n", offset);
  if (nl === -1) return d.eol;
  const bodyNl = toBody(d, nl);
  return d.body[bodyNl] === "\r" ? "\r\n" : "\n";
}

/**
 * Applies one edit to a source text and returns the new text (pure). `find` is located nearest to
 * `edit.nearLine ?? lineNumber`; whole-line replacements are re-indented to the located text; the file's line endings,
 * BOM and trailing newline are kept. An empty `find` inserts `replace` as whole lines before that line.
 * Throws RedgreenError("not_found") when the text is not in the source, RedgreenError("usage") when it is in several
 * places and the line does not single one out.
 */
export function applyFix(sourceCode: string, edit: FileEdit, lineNumber?: number): string {
  const d = decode(sourceCode);
  const find = edit.find.replace(/\r\n/g, "\n");
  let replace = edit.replace.replace(/\r\n/g, "\n");
  const line = edit.nearLine ?? lineNumber;
  const { norm } = d;

  let start: number;
  let end: number;
  let text: string;
  if (find === "") {
    if (line === undefined) throw new RedgreenError("usage", `edit of ${edit.file}: an empty "find" needs nearLine to insert at`);
    const starts = lineStarts(norm);
    const atEnd = line > starts.length || (line === starts.length && norm.endsWith("\n"));
    start = end = atEnd ? norm.length : starts[Math.max(0, line - 1)]!;
    if (!replace.endsWith("\n") && !atEnd) replace += "\n";
    text = atEnd && norm !== "" && !norm.endsWith("\n") ? "\n" + replace : replace;
  } else {
    const found = findEdit(norm, find, line);
    if (found.kind === "absent") {
      throw new RedgreenError(
        "not_found",
        `edit of ${edit.file}: the text to replace was not found${line ? ` near line ${line}` : ""}: ${JSON.stringify(find.slice(0, 120))}`,
      );
    }
    if (found.kind === "ambiguous") {
      throw new RedgreenError(
        "usage",
        `edit of ${edit.file}: ${ambiguityMessage(found.lines, line)}: ${JSON.stringify(find.slice(0, 120))}`,
      );
    }
    const at = found.at;
    start = at.start;
    end = at.end;
    // lastIndexOf treats a negative start as 0, so a match at offset 0 of a file starting with "\n" would find that newline.
    const lineStart = start === 0 ? 0 : norm.lastIndexOf("\n", start - 1) + 1;
    const before = norm.slice(lineStart, start);
    const after = norm.slice(end, norm.indexOf("\n", end) === -1 ? norm.length : norm.indexOf("\n", end));
    const wholeLines = isBlank(before) && (isBlank(after) || norm[end - 1] === "\n");
    if (find.endsWith("\n") && replace !== "" && !replace.endsWith("\n") && norm[end - 1] === "\n") replace += "\n";
    if (wholeLines) {
      // Replace from the start of the line so the replacement carries the located indentation.
      start = lineStart;
      const trailing = replace.endsWith("\n") ? "\n" : "";
      const body = trailing ? replace.slice(0, -1) : replace;
      // An exact match that includes its own indentation is applied verbatim (a deliberate dedent stays, and a find
      // that starts with a blank line is not re-indented to that blank line); re-indenting to the first located
      // code line is the fallback for a replacement that lost its indentation.
      const verbatim =
        at.how === "exact" && before === "" && (leading(firstCodeLine(replace)) !== "" || leading(firstCodeLine(find)) === "");
      text = replace === "" ? "" : verbatim ? replace : reindentBlock(body, leading(firstCodeLine(norm.slice(lineStart, end)))) + trailing;
    } else if (at.how === "fragment") {
      const dropped = leading(find).length;
      text = leading(replace).length >= dropped ? replace.slice(dropped) : replace.replace(LEADING_WS, "");
      text = text.replace(/[ \t]+$/, "");
    } else {
      text = replace;
    }
  }
  const eol = eolAt(d, start);
  const spliced = d.body.slice(0, toBody(d, start)) + (eol === "\r\n" ? text.replace(/\n/g, "\r\n") : text) + d.body.slice(toBody(d, end));
  return d.bom + spliced;
}

/**
 * One file's edits in the order they are applied: bottom-up by nearLine, so earlier insertions do not shift the lines
 * later edits point at. Edits at the same line are order-stable: replacements first, in their given order, then
 * insertions (empty `find`) so that they end up in their given order (each one is inserted above the previous one).
 */
export function bottomUp(edits: readonly FileEdit[]): FileEdit[] {
  const isInsertion = (e: FileEdit): number => (e.find === "" ? 1 : 0);
  return edits
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      const byLine = (y.e.nearLine ?? -1) - (x.e.nearLine ?? -1);
      if (byLine !== 0) return byLine;
      const kind = isInsertion(x.e) - isInsertion(y.e);
      if (kind !== 0) return kind;
      return isInsertion(x.e) ? y.i - x.i : x.i - y.i;
    })
    .map(({ e }) => e);
}

/** Applies one file's edits to its text (pure), in bottomUp order: what applyEdits writes and the fix checks preview. */
export const applyFileEdits = (sourceCode: string, edits: readonly FileEdit[]): string =>
  bottomUp(edits).reduce((text, e) => applyFix(text, e), sourceCode);
