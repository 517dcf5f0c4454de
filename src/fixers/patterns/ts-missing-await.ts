// ts-missing-await: a promise used as its value (`const user = fetchUser(id); return user.name`) → TypeScript's await fix.
import { isScriptPath } from "../../analysis/language.js";
import type { FixProposal } from "../../domain/fix.js";
import { escapeRegExp } from "../../parsers/escape-regexp.js";
import type { TsCodeFix, TsProject } from "../../ts-project/types.js";
import { enclosingFunction, nodeAt, testCallbackText, type EnclosingFunction } from "./ts-ast.js";
import { applyTextChanges } from "./ts-edits.js";
import {
  editsFor,
  errorFacts,
  failureLocation,
  fixesCleanly,
  isAssertionFailure,
  scriptFrames,
  tsProposal,
  type FileChange,
} from "./ts-facts.js";
import type { FixPattern, PatternContext } from "./types.js";

// `const x = await f()` reads better than `(await x).name`, so the initializer fix wins when both are offered.
const AWAIT_FIXES = ["addMissingAwaitToInitializer", "addMissingAwait"] as const;

/** One place the language service would add an await, and how sure we are that the failure comes from it. */
interface Site {
  file: string;
  fix: TsCodeFix;
  fn: { name: string | null; async: boolean } | null;
  score: number;
  why: string;
}

/** The functions around each await fix's diagnostic, looked up in one pass over the file. */
async function enclosing(project: TsProject, file: string, fixes: TsCodeFix[]): Promise<Map<number, EnclosingFunction | null>> {
  if (!project.inspect) return new Map();
  return project.inspect(file, ({ ts, sourceFile }) => {
    const out = new Map<number, EnclosingFunction | null>();
    for (const f of fixes) out.set(f.diagnostic.start, enclosingFunction(ts, nodeAt(ts, sourceFile, f.diagnostic.start)));
    return out;
  });
}

/** The await fixes of one file, one per diagnostic (the initializer fix preferred). */
async function awaitFixes(project: TsProject, file: string): Promise<TsCodeFix[]> {
  const byDiagnostic = new Map<number, TsCodeFix>();
  for (const fix of await project.codeFixes(file, { fixNames: AWAIT_FIXES })) {
    const seen = byDiagnostic.get(fix.diagnostic.start);
    if (
      !seen ||
      AWAIT_FIXES.indexOf(fix.fixName as (typeof AWAIT_FIXES)[number]) < AWAIT_FIXES.indexOf(seen.fixName as (typeof AWAIT_FIXES)[number])
    ) {
      byDiagnostic.set(fix.diagnostic.start, fix);
    }
  }
  return [...byDiagnostic.values()];
}

/** One file's await fixes and the function around each (keyed by the diagnostic's start). */
interface FileAwaits {
  fixes: TsCodeFix[];
  fns: Map<number, EnclosingFunction | null>;
}

/** Looks up one file's await fixes and their enclosing functions. */
async function fileAwaits(project: TsProject, file: string): Promise<FileAwaits> {
  const fixes = await awaitFixes(project, file);
  return { fixes, fns: fixes.length === 0 ? new Map() : await enclosing(project, file, fixes) };
}

/** A file to search: where it sits relative to the failure, and the function names its callers use. */
interface SearchStep {
  file: string;
  line?: number;
  functions: Set<string>;
  base: number;
  why: string;
}

/** The names a text calls (`name(`), i.e. the functions a test or module uses. */
const calledNames = (text: string): Set<string> => new Set([...text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1]!));

/** The failing test's own code when it can be singled out by its title, else the whole test file (null when unreadable). */
async function failingTestCode(ctx: PatternContext, project: TsProject): Promise<string | null> {
  const test = ctx.failure.testFile;
  if (!isScriptPath(test)) return null;
  const text = await ctx.readFile(test).catch(() => null);
  if (text === null || !project.inspect) return text;
  const body = await project
    .inspect(test, ({ ts, sourceFile }) => testCallbackText(ts, sourceFile, ctx.failure.testName))
    .catch(() => null);
  return body ?? text;
}

/** The failing test's code, read at most once per proposal. */
type TestCode = () => Promise<string | null>;

/** The project files to search, each with how it relates to the failure. */
async function searchPlan(ctx: PatternContext, project: TsProject, testCode: TestCode): Promise<SearchStep[]> {
  const plan: SearchStep[] = [];
  const editable = (rel: string): boolean => isScriptPath(rel) && (ctx.allowTestEdits || !ctx.isTestFile(rel));
  const at = failureLocation(ctx);
  if (at) plan.push({ file: at.file, line: at.line, functions: new Set(), base: 100, why: "at the failing line" });
  const frames = scriptFrames(ctx.failure, ctx.projectRoot).filter((fr) => editable(fr.file));
  for (const fr of frames.reverse())
    plan.push({
      file: fr.file,
      functions: new Set([fr.function.split(".").pop() ?? ""]),
      base: 80,
      why: `in ${fr.function}, on the stack`,
    });
  // A wrong value is often produced far from where the test noticed it: search what the test imports, two levels deep,
  // in the functions their importers call.
  if (!isAssertionFailure(ctx.failure) && ctx.analysis.fixStrategy !== "add_await") return plan;
  const testText = await testCode();
  if (testText === null) return plan;
  const testCalls = calledNames(testText);
  for (const file of await project.localImports(ctx.failure.testFile)) {
    if (editable(file)) plan.push({ file, functions: testCalls, base: 40, why: "in a function the test calls" });
    const text = await ctx.readFile(file).catch(() => "");
    const calls = calledNames(text);
    for (const deeper of await project.localImports(file)) {
      if (editable(deeper)) plan.push({ file: deeper, functions: calls, base: 38, why: `in a function ${file} calls` });
    }
  }
  return plan;
}

/** Every await site in the searched files, scored: on the failing line, in a function on the stack or that the test calls. */
async function findSites(ctx: PatternContext, project: TsProject, testCode: TestCode): Promise<Site[]> {
  const sites = new Map<string, Site>();
  // A file is often searched by several steps (the failing line, a stack frame, an import of the test): looked up once.
  const perFile = new Map<string, FileAwaits>();
  for (const step of await searchPlan(ctx, project, testCode)) {
    const { fixes, fns } = perFile.get(step.file) ?? (await fileAwaits(project, step.file));
    perFile.set(step.file, { fixes, fns });
    for (const fix of fixes) {
      const fn = fns.get(fix.diagnostic.start) ?? null;
      let score = step.base / 5;
      if (step.line !== undefined && fix.diagnostic.line === step.line) score = step.base;
      else if (fn?.name && step.functions.has(fn.name)) score = step.base - 5;
      const id = `${step.file}:${fix.diagnostic.start}`;
      const known = sites.get(id);
      if (!known || known.score < score) {
        sites.set(id, { file: step.file, fix, fn: fn ? { name: fn.name, async: fn.async } : null, score, why: step.why });
      }
    }
  }
  return [...sites.values()].sort((a, b) => b.score - a.score);
}

/** The file after the await fix, plus making its function async when it is not (only when the test awaits it anyway). */
async function fixedText(ctx: PatternContext, project: TsProject, site: Site, testCode: TestCode): Promise<FileChange | null> {
  const before = await ctx.readFile(site.file);
  const awaited = applyTextChanges(
    before,
    site.fix.changes.filter((c) => c.file === site.file),
  );
  if (site.fix.changes.some((c) => c.file !== site.file)) return null;
  if (!site.fn || site.fn.async) return { before, after: awaited };
  // Turning a sync function async changes what every caller gets; only safe when the test already awaits its result.
  const testText = (await testCode()) ?? "";
  if (!site.fn.name || !new RegExp(`\\bawait\\s+(?:[\\w$.]+\\.)?${escapeRegExp(site.fn.name)}\\s*\\(`).test(testText)) return null;
  const line = site.fix.diagnostic.line;
  const asyncFix = (
    await project.codeFixes(site.file, { text: awaited, fromLine: line - 2, toLine: line + 2, fixNames: ["fixAwaitInSyncFunction"] })
  )[0];
  if (!asyncFix) return null;
  return {
    before,
    after: applyTextChanges(
      awaited,
      asyncFix.changes.filter((c) => c.file === site.file),
    ),
  };
}

export const tsMissingAwaitPattern = {
  id: "ts-missing-await",
  languages: ["typescript"],
  strategy: "add_await",
  // A promise used as a value rarely throws where it is used: it surfaces as a wrong value in an assertion, or as a
  // TypeError a few property reads later.
  matches: (failure, analysis) => {
    const { type, message } = errorFacts(failure);
    return analysis.fixStrategy === "add_await" || isAssertionFailure(failure) || type === "TypeError" || /\bPromise\b/.test(message);
  },
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    if (!project) return null;
    let test: Promise<string | null> | undefined;
    const testCode: TestCode = () => (test ??= failingTestCode(ctx, project));
    for (const site of await findSites(ctx, project, testCode)) {
      // Sites that explain nothing about this failure (not on its line, stack or the test's calls) are not proposed.
      if (site.score < 30) break;
      const change = await fixedText(ctx, project, site, testCode);
      if (!change) continue;
      const files = new Map([[site.file, change]]);
      if (!(await fixesCleanly(project, files, site.fix.diagnostic))) continue;
      const edits = editsFor(files);
      if (!edits) continue;
      const where = site.fn?.name ? `in ${site.fn.name} ` : "";
      const madeAsync = site.fn && !site.fn.async ? ` and make ${site.fn.name} async (the test already awaits it)` : "";
      return tsProposal(
        "add_await",
        edits,
        `Add the missing await ${where}(${site.file}:${site.fix.diagnostic.line}, ${site.why})${madeAsync}: ` +
          `${site.fix.diagnostic.message} — without await the code reads the promise instead of its value.`,
        site.score >= 75 ? 0.85 : 0.7,
      );
    }
    return null;
  },
} satisfies FixPattern;
