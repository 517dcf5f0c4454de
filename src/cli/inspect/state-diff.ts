// diffValues: what changed between two checkpoints' states, as a flat list of paths with their old and new values.

/** One changed leaf (or subtree, past the depth limit). */
export interface ValueChange {
  /** e.g. "lastRun.passed", "candidates[0].proposal.strategy". */
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The changes from `before` to `after`; objects and arrays are walked up to `maxDepth` levels, then compared whole. */
export function diffValues(before: unknown, after: unknown, maxDepth = 4): ValueChange[] {
  const out: ValueChange[] = [];
  const walk = (a: unknown, b: unknown, path: string, depth: number): void => {
    if (same(a, b)) return;
    if (a === undefined) {
      out.push({ path, kind: "added", after: b });
      return;
    }
    if (b === undefined) {
      out.push({ path, kind: "removed", before: a });
      return;
    }
    if (depth < maxDepth && isPlainObject(a) && isPlainObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(a[key], b[key], path === "" ? key : `${path}.${key}`, depth + 1);
      return;
    }
    if (depth < maxDepth && Array.isArray(a) && Array.isArray(b)) {
      // Items dropped from the front (a candidate validated) or appended show as removed/added, not as a shift.
      let head = 0;
      while (head < a.length && head < b.length && same(a[head], b[head])) head++;
      let tail = 0;
      while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
      const oldMid = a.slice(head, a.length - tail);
      const newMid = b.slice(head, b.length - tail);
      if (oldMid.length === newMid.length) {
        oldMid.forEach((item, i) => walk(item, newMid[i], `${path}[${head + i}]`, depth + 1));
      } else {
        oldMid.forEach((item, i) => out.push({ path: `${path}[${head + i}]`, kind: "removed", before: item }));
        newMid.forEach((item, i) => out.push({ path: `${path}[${head + i}]`, kind: "added", after: item }));
      }
      return;
    }
    out.push({ path, kind: "changed", before: a, after: b });
  };
  walk(before, after, "", 0);
  return out;
}
