// Rule findings of one version of a file, and the ones a fix adds: compared as multisets, so code that was already there is never reported.
import type { ViolationRule } from "../domain/validation.js";

/** One occurrence of something a rule is about; `key` says what it is (equal keys are the same thing in either version). */
export interface Finding {
  rule: ViolationRule;
  key: string;
  line: number;
  evidence: string;
}

/** The evidence text of a piece of code: whitespace collapsed, at most 160 characters. */
export const evidenceText = (code: string): string => {
  const one = code.split(/\s+/).filter(Boolean).join(" ");
  return one.length > 160 ? `${one.slice(0, 157)}...` : one;
};

/** Findings of the fixed version beyond the original's, per key; of equal ones those on added lines are reported. */
export function newFindings(original: readonly Finding[], fixed: readonly Finding[], addedLines: ReadonlySet<number>): Finding[] {
  const before = new Map<string, number>();
  for (const f of original) before.set(`${f.rule}\0${f.key}`, (before.get(`${f.rule}\0${f.key}`) ?? 0) + 1);
  const byKey = new Map<string, Finding[]>();
  for (const f of fixed) byKey.set(`${f.rule}\0${f.key}`, [...(byKey.get(`${f.rule}\0${f.key}`) ?? []), f]);
  const out: Finding[] = [];
  for (const [key, items] of byKey) {
    const extra = items.length - (before.get(key) ?? 0);
    if (extra <= 0) continue;
    const ranked = [...items].sort((a, b) => Number(addedLines.has(b.line)) - Number(addedLines.has(a.line)) || b.line - a.line);
    out.push(...ranked.slice(0, extra));
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
