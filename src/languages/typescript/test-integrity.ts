// compareTsTests: how a new version of a vitest/jest test file checks less than the old one, from the TS AST of both.
import type { TypeScriptApi } from "../../ts-project/load.js";
import type { TestWeakening, TestWeakeningKind } from "../../domain/validation.js";
import { diffLines, type LineDiff } from "../../validation/line-diff.js";
import { parseTs, type TsParsed } from "./facts.js";
import { notImportOnly } from "./import-only.js";
import { scopesOf, type Assertion, type Scope } from "./test-scopes.js";
import {
  ALLOWED_MATCHER_CHANGES,
  DEFAULT_TIMEOUT_MS,
  EQUALITY_MATCHERS,
  LOOSE_FROM_ANY,
  LOOSE_MATCHERS,
  RETRY_KEYS,
  SKIPPING,
  THROW_MATCHERS,
} from "./test-vocabulary.js";

/** The comparison of two versions of a test file. */
export interface TsTestComparison {
  /** False when either version does not parse; weakenings then come from a text comparison. */
  parsed: boolean;
  /** The edit only adds (or extends) module-level imports that rebind nothing. */
  importOnly: boolean;
  /** Why the edit is not import-only, when it is not. */
  notImportOnly: string | null;
  weakenings: TestWeakening[];
}

/**
 * Pairs two sequences: exact matches by LCS of their keys, the rest positionally inside each gap; returns changed pairs and unmatched old
 * items.
 */
function align<T extends { key: string }>(before: T[], after: T[]): { changed: Array<[T, T]>; removed: T[] } {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = before[i]!.key === after[j]!.key ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const changed: Array<[T, T]> = [];
  const removed: T[] = [];
  let gapOld: T[] = [];
  let gapNew: T[] = [];
  const flush = (): void => {
    gapOld.forEach((o, k) => (k < gapNew.length ? changed.push([o, gapNew[k]!]) : removed.push(o)));
    gapOld = [];
    gapNew = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i]!.key === after[j]!.key) {
      flush();
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) gapNew.push(after[j++]!);
    else gapOld.push(before[i++]!);
  }
  flush();
  return { changed, removed };
}

const precisionOf = (a: Assertion): number => {
  const digits = Number(a.args[1]);
  return a.args[1] === undefined || Number.isNaN(digits) ? 2 : digits;
};

const isTrivial = (a: Assertion): boolean => {
  if (a.style === "assert") return (a.matcher === "assert" || a.matcher === "ok" || a.matcher === "isTrue") && a.subject === "true";
  if (a.negated) return false;
  if (EQUALITY_MATCHERS.has(a.matcher) && a.args.length === 1 && a.args[0] === a.subject) return true;
  if (a.matcher === "toBeTruthy" && /^(true|1|"[^"]+"|'[^']+')$/.test(a.subject)) return true;
  return a.args.some((x) => /^expect\.anything\(\)$/.test(x));
};

const anyMatchers = (a: Assertion): number => a.args.join(",").split(/expect\.(?:anything|any)\(/).length - 1;

/** Why `after` checks less than `before`, or null. */
function weakerAssertion(before: Assertion, after: Assertion): [TestWeakeningKind, string] | null {
  if (isTrivial(after) && !isTrivial(before)) return ["trivial_assert", "assertion made always true"];
  if (before.style !== after.style) return null;
  if (THROW_MATCHERS.has(before.matcher) && !THROW_MATCHERS.has(after.matcher))
    return ["removed_raises", `replaces ${before.matcher} with ${after.matcher}`];
  if (before.negated !== after.negated)
    return ["negated_assertion", after.negated ? "adds .not to the assertion" : "removes .not from the assertion"];
  if (THROW_MATCHERS.has(before.matcher) && before.args.length > 0 && after.args.length === 0)
    return ["broadened_raises", `${after.matcher}() no longer checks which error is thrown`];
  if (before.matcher !== after.matcher) {
    if (ALLOWED_MATCHER_CHANGES.has(`${before.matcher}>${after.matcher}`)) {
      if (after.matcher === "toBeCloseTo" && precisionOf(after) < 2)
        return ["loosened_tolerance", `toBeCloseTo precision ${precisionOf(after)}`];
      return null;
    }
    if (LOOSE_MATCHERS.has(before.matcher) && !LOOSE_MATCHERS.has(after.matcher)) return null;
    if (before.style === "assert" && LOOSE_FROM_ANY.has(before.matcher)) return null;
    const kind = LOOSE_MATCHERS.has(after.matcher) || LOOSE_FROM_ANY.has(after.matcher) ? "looser" : "different";
    return ["weakened_comparison", `changes ${before.matcher} to ${after.matcher}${kind === "looser" ? " (checks less)" : ""}`];
  }
  if (after.matcher === "toBeCloseTo" && precisionOf(after) < precisionOf(before)) {
    return ["loosened_tolerance", `lowers toBeCloseTo precision from ${precisionOf(before)} to ${precisionOf(after)}`];
  }
  if (anyMatchers(after) > anyMatchers(before))
    return ["weakened_comparison", "replaces an expected value with expect.anything()/expect.any()"];
  return null;
}

const label = (scope: Scope): string => (scope.kind === "module" ? "the module level" : `'${scope.key}'`);

/** Every way the new scopes check less than the old ones. */
function weakenings(before: Map<string, Scope>, after: Map<string, Scope>): TestWeakening[] {
  const found: TestWeakening[] = [];
  const add = (kind: TestWeakeningKind, line: number | null, message: string): void => {
    found.push({ kind, line, message });
  };
  const onlyBefore = [...before.values()].filter((s) => s.modifiers.has("only")).length;
  for (const scope of after.values()) {
    const old = before.get(scope.key);
    if (
      scope.modifiers.has("only") &&
      (!old || !old.modifiers.has("only")) &&
      onlyBefore < [...after.values()].filter((s) => s.modifiers.has("only")).length
    ) {
      add("focused_test", scope.line, `adds .only to ${label(scope)}, which skips every other test`);
    }
  }
  for (const [key, old] of before) {
    const now = after.get(key);
    if (!now) {
      if (old.kind === "test") add("removed_test", old.line, `removes or renames test ${label(old)}`);
      else if (old.assertions.length > 0)
        add("deleted_assert", old.line, `removes ${label(old)} and its ${old.assertions.length} assertion(s)`);
      continue;
    }
    for (const m of now.modifiers) {
      if (SKIPPING.has(m) && !old.modifiers.has(m)) add("skip_marker", now.line, `turns ${label(now)} into .${m}`);
    }
    if (old.tableRows !== null && now.tableRows !== null && now.tableRows < old.tableRows) {
      add("removed_test", now.line, `removes ${old.tableRows - now.tableRows} case(s) from the .each table of ${label(now)}`);
    }
    if (now.runtimeSkips.length > old.runtimeSkips.length) add("skip_call", now.runtimeSkips.at(-1)!, `skips ${label(now)} at runtime`);
    const { changed, removed } = align(old.assertions, now.assertions);
    for (const a of removed) add("deleted_assert", a.line, `removes an ${a.style === "expect" ? "expect()" : "assert"} in ${label(now)}`);
    for (const [a, b] of changed) {
      const why = weakerAssertion(a, b);
      if (why) add(why[0], b.line, `${why[1]} in ${label(now)}`);
    }
    if (old.plannedAssertions >= 0 && now.plannedAssertions < old.plannedAssertions) {
      add(
        "fewer_assertions",
        now.line,
        now.plannedAssertions < 0
          ? `removes expect.assertions/hasAssertions from ${label(now)}`
          : `lowers expect.assertions in ${label(now)}`,
      );
    }
    if (now.swallows.length > old.swallows.length)
      add("swallowed_assertion", now.swallows.at(-1)!, `catches assertion failures in ${label(now)}`);
    if (now.kind !== "module" && now.earlyReturns.length > old.earlyReturns.length)
      add("early_return", now.earlyReturns[0]!, `returns before its assertions in ${label(now)}`);
    const conditional = (s: Scope): number => s.assertions.filter((a) => a.conditional).length;
    if (conditional(now) > conditional(old)) {
      add("conditional_assertion", now.assertions.find((a) => a.conditional)!.line, `makes an assertion conditional in ${label(now)}`);
    }
    for (const [name, { value, line }] of now.settings) {
      const prior = old.settings.get(name)?.value;
      const isRetry = RETRY_KEYS.has(name);
      const raised = prior !== undefined ? value > prior : isRetry ? value > 0 : value > DEFAULT_TIMEOUT_MS;
      if (raised) add("raised_timeout", line, `${prior === undefined ? "sets" : "raises"} ${name} to ${value} in ${label(now)}`);
    }
  }
  return found;
}

const TEXT_ASSERT = /\bexpect\s*\(|\bassert\s*[.(]/g;
const TEXT_SKIP = /\.(?:skip|todo|only|skipIf|runIf)\b|\b(?:xit|xtest|xdescribe|fit|fdescribe)\s*\(/g;

/** What a caller that already parsed and diffed the two versions passes compareTsTests (else it does both itself). */
export interface TsTestFacts {
  original: TsParsed;
  fixed: TsParsed;
  diff: LineDiff;
}

/** Compares two versions of a JS/TS test file; falls back to counting assertions and skips in the text when either does not parse. */
export function compareTsTests(ts: TypeScriptApi, original: string, fixed: string, relPath: string, facts?: TsTestFacts): TsTestComparison {
  const a = facts?.original ?? parseTs(ts, relPath, original);
  const b = facts?.fixed ?? parseTs(ts, relPath, fixed);
  const broken = (p: typeof a): boolean => p.syntactic.some((d) => d.category === "error");
  if (broken(a) || broken(b)) {
    const weakened: TestWeakening[] = [];
    const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;
    if (count(fixed, TEXT_ASSERT) < count(original, TEXT_ASSERT))
      weakened.push({ kind: "deleted_assert", line: null, message: "removes assertions" });
    if (count(fixed, TEXT_SKIP) > count(original, TEXT_SKIP))
      weakened.push({ kind: "skip_marker", line: null, message: "adds a skip/only/todo modifier" });
    return { parsed: false, importOnly: false, notImportOnly: "does not parse", weakenings: weakened };
  }
  const why = notImportOnly(ts, original, fixed, a.sourceFile, b.sourceFile, facts?.diff ?? diffLines(original, fixed));
  return {
    parsed: true,
    importOnly: why === null,
    notImportOnly: why,
    weakenings: weakenings(scopesOf(ts, a.sourceFile), scopesOf(ts, b.sourceFile)),
  };
}
