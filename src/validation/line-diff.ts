// Line diff (Myers) between an original and a fixed text: hunks, added/removed line numbers, changed-line count.

/** One contiguous change: `oldCount` lines from `oldStart` became `newCount` lines at `newStart` (1-based). */
export interface DiffHunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

export interface LineDiff {
  hunks: DiffHunk[];
  /** 1-based line numbers in the fixed text that are new. */
  added: number[];
  /** 1-based line numbers in the original text that are gone. */
  removed: number[];
  /** Lines changed: per hunk the larger of lines removed and lines added (a modified line counts once). */
  changedLines: number;
}

/** Splits text into lines without their terminators; a final newline does not add an empty line. */
export const splitLines = (text: string): string[] => {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};

// Past this many edits the middle is reported as one replaced block (a rewrite; the size check rejects it anyway).
const MAX_EDIT_DISTANCE = 4000;

/** Myers' O(ND) shortest edit script over lines a[lo..] / b[lo..]; returns matched index pairs. */
function myersMatches(a: string[], b: string[]): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, a.length, b.length, offset);
      }
    }
    v = next;
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number, offset: number): Array<[number, number]> {
  const matches: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const v = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    if (d === 0) break;
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    matches.push([x, y]);
  }
  return matches.reverse();
}

/** Diffs two texts line by line. */
export function diffLines(original: string, fixed: string): LineDiff {
  const a = splitLines(original);
  const b = splitLines(fixed);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const inner = midA.length === 0 || midB.length === 0 ? [] : (myersMatches(midA, midB) ?? []);
  const matches: Array<[number, number]> = [
    ...inner.map(([i, j]): [number, number] => [i + pre, j + pre]),
    [a.length - suf, b.length - suf],
  ];

  const hunks: DiffHunk[] = [];
  const added: number[] = [];
  const removed: number[] = [];
  let i = pre;
  let j = pre;
  for (const [mi, mj] of matches) {
    if (mi > i || mj > j) {
      hunks.push({ oldStart: i + 1, oldCount: mi - i, newStart: j + 1, newCount: mj - j });
      for (let r = i; r < mi; r++) removed.push(r + 1);
      for (let s = j; s < mj; s++) added.push(s + 1);
    }
    i = mi + 1;
    j = mj + 1;
  }
  const changedLines = hunks.reduce((sum, h) => sum + Math.max(h.oldCount, h.newCount), 0);
  return { hunks, added, removed, changedLines };
}
