// unifiedDiff: a `diff -u` style text of one file's change, for reports and the fix history.

type Op = { kind: " " | "-" | "+"; text: string; oldNo: number; newNo: number };

const CONTEXT = 3;
/** Above this many cells the middle section is shown as one replaced block instead of a line-level LCS. */
const MAX_LCS_CELLS = 4_000_000;

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === "") return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith("\n");
  const lines = (finalNewline ? text.slice(0, -1) : text).split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  return { lines, finalNewline };
}

function diffLines(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: " ", text: a[i]!, oldNo: i, newNo: i });
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  if (am.length * bm.length > MAX_LCS_CELLS) {
    am.forEach((t, i) => ops.push({ kind: "-", text: t, oldNo: pre + i, newNo: pre }));
    bm.forEach((t, j) => ops.push({ kind: "+", text: t, oldNo: pre + am.length, newNo: pre + j }));
  } else {
    // lcs[i][j] = LCS length of am[i:] and bm[j:]
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        ops.push({ kind: " ", text: am[i]!, oldNo: pre + i, newNo: pre + j });
        i++;
        j++;
      } else if (i < am.length && (j === bm.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        ops.push({ kind: "-", text: am[i]!, oldNo: pre + i, newNo: pre + j });
        i++;
      } else {
        ops.push({ kind: "+", text: bm[j]!, oldNo: pre + i, newNo: pre + j });
        j++;
      }
    }
  }
  for (let k = 0; k < suf; k++) {
    const oi = a.length - suf + k;
    ops.push({ kind: " ", text: a[oi]!, oldNo: oi, newNo: b.length - suf + k });
  }
  return ops;
}

const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);

/** The unified diff (3 lines of context) between two versions of `rel`; "" when they are equal. */
export function unifiedDiff(rel: string, before: string, after: string): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  // A change of only the final newline shows up as the last line changing.
  const lastA = a.lines.length - 1;
  const lastB = b.lines.length - 1;
  if (a.finalNewline !== b.finalNewline) {
    for (const op of ops) {
      if (op.kind === " " && op.oldNo === lastA && op.newNo === lastB) {
        const i = ops.indexOf(op);
        ops.splice(
          i,
          1,
          { kind: "-", text: op.text, oldNo: op.oldNo, newNo: op.newNo },
          { kind: "+", text: op.text, oldNo: op.oldNo + 1, newNo: op.newNo },
        );
        break;
      }
    }
  }
  const changed = ops.map((op, i) => (op.kind === " " ? -1 : i)).filter((i) => i >= 0);
  const out = [`--- a/${rel}`, `+++ b/${rel}`];
  let h = 0;
  while (h < changed.length) {
    let from = Math.max(0, changed[h]! - CONTEXT);
    let to = Math.min(ops.length - 1, changed[h]! + CONTEXT);
    h++;
    while (h < changed.length && changed[h]! - CONTEXT <= to + 1) {
      to = Math.min(ops.length - 1, changed[h]! + CONTEXT);
      h++;
    }
    from = Math.max(0, from);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((o) => o.kind !== "+").length;
    const newCount = slice.filter((o) => o.kind !== "-").length;
    const oldFirst = slice.find((o) => o.kind !== "+");
    const newFirst = slice.find((o) => o.kind !== "-");
    const oldStart = oldCount === 0 ? slice[0]!.oldNo : oldFirst!.oldNo + 1;
    const newStart = newCount === 0 ? slice[0]!.newNo : newFirst!.newNo + 1;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) {
      out.push(op.kind + op.text);
      const isLastOld = op.kind !== "+" && op.oldNo === lastA && !a.finalNewline;
      const isLastNew = op.kind !== "-" && op.newNo === lastB && !b.finalNewline;
      if ((op.kind === "-" && isLastOld) || (op.kind === "+" && isLastNew) || (op.kind === " " && (isLastOld || isLastNew))) {
        out.push("\\ No newline at end of file");
      }
    }
  }
  return out.join("\n") + "\n";
}

/**
 * Where each 1-based line of `before` is in `after`: a kept line maps to its new number; a changed or deleted line maps
 * to the last line of what replaced it (so "after it" in the new text means after the whole replacement).
 */
export function lineMapping(before: string, after: string): Map<number, number> {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  const out = new Map<number, number>();
  let nextKept = b.lines.length;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.kind === " ") {
      out.set(op.oldNo + 1, op.newNo + 1);
      nextKept = op.newNo;
    } else if (op.kind === "-") {
      out.set(op.oldNo + 1, nextKept);
    }
  }
  return out;
}
