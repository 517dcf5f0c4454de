// From the language service's offset-based text changes to find/replace edits that applyFix locates unambiguously.
import type { FileEdit } from "../../domain/fix.js";
import type { TsTextChange } from "../../ts-project/types.js";
import { diffLines } from "../../validation/line-diff.js";
import { applyFileEdits, applyFix } from "../locate-edit.js";

/**
 * The text after applying offset-based changes (all in the same file, offsets in `text`). Order-stable like the
 * language service's own applier: changes sorted by offset (an insertion before a replacement at the same offset, ties
 * in their given order), then spliced from the last to the first, so insertions at one offset keep their given order
 * (TS adds to a multi-line list ending in a comma with `,` then `\n  name` at the same offset).
 */
export function applyTextChanges(text: string, changes: readonly TsTextChange[]): string {
  const ordered = changes.map((c, i) => ({ c, i })).sort((x, y) => x.c.start - y.c.start || x.c.length - y.c.length || x.i - y.i);
  let out = text;
  for (const { c } of ordered.reverse()) out = out.slice(0, c.start) + c.newText + out.slice(c.start + c.length);
  return out;
}

/** Lines with their terminators, so joining a slice gives the exact text. */
const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

const occurrences = (text: string, needle: string): number => {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) n++;
  return n;
};

// A change needing more context than this to be unique is applied as part of a larger edit or not at all.
const MAX_CONTEXT = 12;

interface Window {
  /** Old lines [oldStart, oldEnd) and new lines [newStart, newEnd), 0-based. */
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** The smallest widening of a changed block whose old text is unique and that applyFix reproduces exactly. */
function widen(before: string[], after: string[], w: Window, file: string, beforeText: string): FileEdit | null {
  for (let extra = 0; extra <= MAX_CONTEXT * 2; extra++) {
    // Alternate: one more line above, then one more below.
    const up = Math.min(Math.ceil(extra / 2), w.oldStart, w.newStart);
    const down = Math.min(Math.floor(extra / 2), before.length - w.oldEnd, after.length - w.newEnd);
    const os = w.oldStart - up;
    const oe = w.oldEnd + down;
    const find = before.slice(os, oe).join("");
    if (find.trim() === "" || occurrences(beforeText, find) !== 1) continue;
    const replace = after.slice(w.newStart - up, w.newEnd + down).join("");
    const edit: FileEdit = { file, find, replace, nearLine: os + 1 };
    const expected = before.slice(0, os).join("") + replace + before.slice(oe).join("");
    try {
      if (applyFix(beforeText, edit) === expected) return edit;
    } catch {
      // Not locatable as written; more context may make it so.
    }
  }
  return null;
}

/**
 * A pure insertion as applyFix's empty-`find` form (whole lines before `nearLine`): the fallback when no surrounding text
 * can serve as `find` (every widening is ambiguous or reaches the file's ends without a unique match).
 */
function insertion(before: string[], after: string[], w: Window, file: string, beforeText: string): FileEdit | null {
  if (w.oldStart !== w.oldEnd) return null;
  const replace = after.slice(w.newStart, w.newEnd).join("");
  const edit: FileEdit = { file, find: "", replace, nearLine: w.oldStart + 1 };
  const expected = before.slice(0, w.oldStart).join("") + replace + before.slice(w.oldStart).join("");
  try {
    return applyFix(beforeText, edit) === expected ? edit : null;
  } catch {
    return null;
  }
}

/**
 * Find/replace edits turning `before` into `after` (one file): one edit per changed block, each `find` made of whole
 * lines widened until it occurs once in the file, checked by applying them the way applyEdits does (bottom-up).
 * Null when no such edits reproduce `after` exactly.
 */
export function textEdits(file: string, before: string, after: string): FileEdit[] | null {
  if (before === after || before === "") return null;
  const oldLines = linesOf(before);
  const newLines = linesOf(after);
  const hunks = diffLines(before, after).hunks;
  const windows: Window[] = hunks.map((h) => ({
    oldStart: h.oldStart - 1,
    oldEnd: h.oldStart - 1 + h.oldCount,
    newStart: h.newStart - 1,
    newEnd: h.newStart - 1 + h.newCount,
  }));
  // A final line that only gained or lost its newline is not a hunk of diffLines.
  if (windows.length === 0)
    windows.push({ oldStart: oldLines.length - 1, oldEnd: oldLines.length, newStart: newLines.length - 1, newEnd: newLines.length });
  const edits = windows.map((w) => widen(oldLines, newLines, w, file, before) ?? insertion(oldLines, newLines, w, file, before));
  if (edits.every((e): e is FileEdit => e !== null)) {
    try {
      if (applyFileEdits(before, edits) === after) return edits;
    } catch {
      // Overlapping widened windows: fall through to one edit spanning every change.
    }
  }
  const span: Window = {
    oldStart: windows[0]!.oldStart,
    oldEnd: windows[windows.length - 1]!.oldEnd,
    newStart: windows[0]!.newStart,
    newEnd: windows[windows.length - 1]!.newEnd,
  };
  const one = widen(oldLines, newLines, span, file, before);
  return one ? [one] : null;
}
