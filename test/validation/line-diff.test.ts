import { describe, expect, it } from "vitest";
import { diffLines, splitLines } from "../../src/validation/line-diff.js";

const lcsLength = (a: string[], b: string[]): number => {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  return dp[0]![0]!;
};

// A tiny deterministic PRNG so a failure is reproducible.
const rng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

describe("diffLines", () => {
  it("counts a modified line once and reports its numbers on both sides", () => {
    const d = diffLines("a\nb\nc\n", "a\nB\nc\n");
    expect(d.hunks).toEqual([{ oldStart: 2, oldCount: 1, newStart: 2, newCount: 1 }]);
    expect(d.added).toEqual([2]);
    expect(d.removed).toEqual([2]);
    expect(d.changedLines).toBe(1);
  });

  it("reports pure insertions and deletions", () => {
    expect(diffLines("a\nc\n", "a\nb\nc\n")).toMatchObject({ added: [2], removed: [], changedLines: 1 });
    expect(diffLines("a\nb\nc\n", "a\nc\n")).toMatchObject({ added: [], removed: [2], changedLines: 1 });
    expect(diffLines("", "x\ny\n")).toMatchObject({ added: [1, 2], removed: [], changedLines: 2 });
    expect(diffLines("same\n", "same\n")).toMatchObject({ hunks: [], changedLines: 0 });
  });

  it("finds a minimal edit script (matches = LCS) on random inputs", () => {
    const next = rng(42);
    for (let round = 0; round < 300; round++) {
      const make = () => Array.from({ length: Math.floor(next() * 14) }, () => "abcd"[Math.floor(next() * 4)]!);
      const a = make();
      const b = make();
      const d = diffLines(a.join("\n"), b.join("\n"));
      const kept = splitLines(a.join("\n")).length - d.removed.length;
      expect(kept).toBe(lcsLength(a, b));
      expect(splitLines(b.join("\n")).length - d.added.length).toBe(kept);
      // Applying the diff reproduces the fixed text.
      const removed = new Set(d.removed);
      const addedSet = new Set(d.added);
      const keptA = a.filter((_, i) => !removed.has(i + 1));
      const keptB = b.filter((_, j) => !addedSet.has(j + 1));
      expect(keptA).toEqual(keptB);
    }
  });
});
