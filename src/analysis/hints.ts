// "Did you mean" hints: read Python's own from a message, or compute one the way CPython does for NameError/AttributeError.

/**
 * The hint a message carries: a suggested name (`Did you mean: 'words'?`) or a module to import (3.12+ `Did you forget to import 're'?`).
 */
export interface MessageHint {
  suggestion?: string;
  forgotImport?: string;
}

/** Reads Python's suggestion from an exception message (or from Failure.hint text in the same shape). */
export function extractHint(text: string): MessageHint {
  const hint: MessageHint = {};
  const mean = /Did you mean:? '?([A-Za-z_][\w.]*)'?\??/.exec(text);
  if (mean) hint.suggestion = mean[1]!;
  const forgot = /Did you forget to import '([A-Za-z_][\w.]*)'/.exec(text);
  if (forgot) hint.forgotImport = forgot[1]!;
  return hint;
}

/** Normalises a bare hint value ("words", "'words'", "Did you mean: 'words'?") to the suggested name. */
export function hintName(hint: string | undefined): string | undefined {
  if (hint === undefined || hint.trim() === "") return undefined;
  const parsed = extractHint(hint);
  if (parsed.suggestion) return parsed.suggestion;
  const bare = /^'?([A-Za-z_][\w.]*)'?$/.exec(hint.trim());
  return bare?.[1];
}

/** Optimal-string-alignment distance: Levenshtein where swapping two neighbours costs one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate to a misspelt name, or undefined when none is close enough to be a typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = name.length <= 5 ? 1 : name.length <= 10 ? 2 : 3;
  let best: { name: string; distance: number; exact: number } | undefined;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without computing it.
    if (candidate === name || candidate.length < 2 || Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance > limit || distance * 2 >= Math.max(name.length, candidate.length)) continue;
    // Ties on the case-blind distance go to the candidate closer in case too (`Inventroy` → `Inventory`, not `inventory`).
    const exact = editDistance(name, candidate);
    if (!best || distance < best.distance || (distance === best.distance && exact < best.exact)) {
      best = { name: candidate, distance, exact };
    }
  }
  return best?.name;
}

const closestMemo = new WeakMap<ReadonlySet<string>, Map<string, string | undefined>>();

/** closestName over a set that never changes once built (a reader's cached identifiers), remembered per name. */
export function closestNameIn(name: string, candidates: ReadonlySet<string>): string | undefined {
  let known = closestMemo.get(candidates);
  if (!known) closestMemo.set(candidates, (known = new Map()));
  if (!known.has(name)) known.set(name, closestName(name, candidates));
  return known.get(name);
}
