// analyzeFailure: the StackTraceAnalyzer — category, root cause, fix location, strategy, suggestion and confidence.
import type { Analysis, ErrorCategory, FixStrategy } from "../domain/analysis.js";
import type { Failure, StackFrame } from "../domain/failure.js";
import { parsePythonTraceback, type ParsedTraceback } from "../parsers/traceback.js";
import { analyzeScriptFailure } from "./analyze-script.js";
import { calledFunction, extractAssertionDetails, type AssertionDetails } from "./assertion.js";
import { categorizeError } from "./categorize.js";
import type { FaultLocaliser } from "./fault-localisation.js";
import { firstLine, shortErrorType } from "./error-type.js";
import { projectRelativePath } from "./frames.js";
import { analysisAt } from "./analysis-at.js";
import { closestName, closestNameIn, extractHint, hintName } from "./hints.js";
import { importStatementFor, loadImportCatalogs, moduleOfFile, type ImportCatalogs } from "./imports.js";
import { failureLanguage } from "./language.js";
import { locateInFrames, type CodeLocation } from "./locate.js";
import {
  blockEnd,
  classAttributes,
  createFsSourceReader,
  enclosingFunction,
  findDefinitions,
  identifiersIn,
  importedModules,
  pythonFileIdentifiers,
  type Definition,
  type SourceReader,
} from "./source.js";
import { identifyFixStrategy, type StrategyFacts } from "./strategy.js";
import { generateFixSuggestion, type SuggestionContext } from "./suggestion.js";
import { upstreamCauseKey } from "./upstream-cause.js";
import { oneOf } from "../one-of.js";

/**
 * What analyzeFailure needs: the project root, and optionally a source reader and import catalogs (defaults: the file
 * system, data/), and the run's fault localiser (suspicious lines for failures whose stack misses project code).
 */
export interface AnalyzeContext {
  projectRoot: string;
  source?: SourceReader;
  imports?: ImportCatalogs;
  localiser?: FaultLocaliser | null;
}

const SYNTAX_TYPES = new Set(["SyntaxError", "IndentationError", "TabError"]);
const BUILTIN_CALLS = new Set(
  (
    "len sorted list dict set tuple str int float bool sum min max abs any all map filter zip enumerate range repr isinstance " +
    "getattr hasattr round type iter next reversed print open"
  ).split(" "),
);
const WRITE_RE = oneOf(
  [
    /\.(?:execute|executemany|executescript)\(\s*(?:f?["'](?:\s*)(?:INSERT|UPDATE|DELETE|REPLACE)\b)/,
    /\.(?:add|add_all|delete|merge|bulk_save_objects)\(/,
  ],
  { flags: "i" },
);
const COMMIT_RE = /\.commit\(|\.flush\(|\bwith\s+[\w.]+\.begin\(|autocommit/;
const COROUTINE_USE_RE = /'coroutine'|coroutine .* never awaited/;

const STRATEGY_CONFIDENCE: Record<FixStrategy, number> = {
  fix_syntax: 0.9,
  add_import: 0.9,
  add_await: 0.85,
  fix_attribute_name: 0.8,
  add_none_check: 0.7,
  fix_query: 0.7,
  add_type_hint: 0.6,
  add_commit: 0.55,
  fix_assertion: 0.5,
  add_mock: 0.5,
  llm: 0.35,
};

/** Analyzes one failure: what kind of error, where to fix it, how, how sure the analyzer is, and the suspicious lines. */
export function analyzeFailure(failure: Failure, ctx: AnalyzeContext): Analysis {
  const analysis = analyzeStack(failure, ctx);
  const suspects = ctx.localiser?.suspects(failure) ?? [];
  return suspects.length > 0 ? { ...analysis, suspiciousLines: suspects } : analysis;
}

/** The analysis from the failure's error and stack alone. */
function analyzeStack(failure: Failure, ctx: AnalyzeContext): Analysis {
  const source = ctx.source ?? createFsSourceReader(ctx.projectRoot);
  if (failureLanguage(failure) === "typescript") return analyzeScriptFailure(failure, { projectRoot: ctx.projectRoot, source });
  const parsed = failure.stackTrace.trim() ? parsePythonTraceback(failure.stackTrace) : null;
  const errorType = failure.errorType || parsed?.errorType || "";
  const type = shortErrorType(errorType);
  // str(FixtureLookupError) is a tuple repr; pytest's report text says "fixture 'x' not found" and lists the fixtures.
  const reportSaysMore = type === "FixtureLookupError" && /fixture '.+' not found/.test(parsed?.errorMessage ?? "");
  const message = (reportSaysMore ? parsed?.errorMessage : failure.errorMessage) || parsed?.errorMessage || "";
  const frames = framesFor(failure, parsed, type, message);

  let category = refineCategory(categorizeError(errorType, message), parsed, failure);
  let location = locateInFrames(frames, ctx);
  // `raise Wrapper(...) from exc`: the wrapper's raise is not the bug, the direct cause is.
  const lastChained = parsed?.chain[parsed.chain.length - 1];
  if (location?.code?.startsWith("raise ") && lastChained?.relation === "cause") {
    const causeLocation = locateInFrames(lastChained.frames, ctx);
    if (causeLocation?.kind === "project") location = causeLocation;
  }
  location ??= testDefinitionLocation(failure, source, ctx.projectRoot);
  if (location) {
    const lines = source.lines(location.file);
    const line = lines?.[location.line - 1];
    if (location.code === undefined && line !== undefined) location.code = line.trim();
    // Comprehension frames (<listcomp>, <genexpr> before 3.12) are named after the function that holds them.
    if (lines && /^<(?:listcomp|genexpr|dictcomp|setcomp|lambda)>$/.test(location.function)) {
      const fn = enclosingFunction(lines, location.line);
      if (fn) location.function = fn.name;
    }
  }

  const facts: StrategyFacts = {};
  const context: SuggestionContext = {};
  let hint = hintName(failure.hint) ?? extractHint(message).suggestion;
  let expected: string | undefined;
  let actual: string | undefined;

  if (type === "NameError") {
    const name = /name '([^']+)' is not defined/.exec(message)?.[1];
    if (name) {
      const statement = importStatementFor(name, ctx.imports ?? loadImportCatalogs(), source, location?.file);
      if (statement && !hint) {
        facts.importable = true;
        context.importStatement = statement;
        category = "import";
      } else {
        hint ??= location ? closestNameIn(name, pythonFileIdentifiers(source, location.file)) : undefined;
        if (hint) category = "attribute";
      }
    }
  } else if (type === "FixtureLookupError") {
    const name = /fixture '([^']+)' not found/.exec(message)?.[1];
    const available = /available fixtures: (.*)/.exec(message)?.[1]?.split(/,\s*/) ?? [];
    hint ??= name ? closestName(name, available) : undefined;
    if (hint) category = "attribute";
  } else if (!hint && (type === "AttributeError" || type === "ImportError")) {
    hint = computeAttributeHint(message, source);
  }
  if (hint) facts.suggestion = hint;

  if (category === "assertion" || (category === "api" && type === "AssertionError")) {
    const details = extractAssertionDetails(message);
    if (details.expected !== null) expected = details.expected;
    if (details.actual !== null) actual = details.actual;
    if (category === "assertion" && location?.kind === "test") {
      const refined = refineAssertionLocation(details, location, source);
      if (refined) {
        location = refined.location;
        if (refined.missingCommit) {
          facts.missingCommit = true;
          category = "database";
        } else {
          facts.comparesProjectValue = true;
        }
      }
    }
  }
  if (category === "async" && location && COROUTINE_USE_RE.test(message)) {
    location = unawaitedCallSite(location, source) ?? location;
  }

  const upstream = upstreamCauseKey(`${message}\n${failure.stackTrace}`, errorType, location, source);
  const rootCause = describeRootCause(type, message, parsed);
  const fixStrategy = identifyFixStrategy(category, rootCause, { ...failure, errorType, errorMessage: message }, facts);
  const analysis = analysisAt(location, {
    errorType,
    category,
    rootCause,
    fixStrategy,
    confidence: confidenceFor(fixStrategy, location, context),
    upstreamKey: upstream,
    expected,
    actual,
    hint,
  });
  if (location?.code) context.code = location.code;
  analysis.suggestedFix = generateFixSuggestion(analysis, context);
  return analysis;
}

/** The frames to locate in: the structured ones when present; a SyntaxError's own file/line last. */
function framesFor(failure: Failure, parsed: ParsedTraceback | null, type: string, message: string): StackFrame[] {
  const frames = failure.frames.length > 0 ? [...failure.frames] : [...(parsed?.frames ?? [])];
  if (!SYNTAX_TYPES.has(type)) return frames;
  const own = /File "([^"]+)", line (\d+)/.exec(message) ?? /\(([^()]+\.py), line (\d+)\)/.exec(message);
  const syntaxFrame: StackFrame | undefined = own
    ? { file: own[1]!, line: Number(own[2]), function: "<module>" }
    : parsed?.frames.find((f, i) => i === parsed.frames.length - 1 && f.function === "<module>");
  const last = frames[frames.length - 1];
  if (syntaxFrame && !(last && last.file === syntaxFrame.file && last.line === syntaxFrame.line)) frames.push(syntaxFrame);
  return frames;
}

/** A generic category gives way to a specific one from the chain (a wrapper around sqlite3.IntegrityError is a database error). */
function refineCategory(category: ErrorCategory, parsed: ParsedTraceback | null, failure: Failure): ErrorCategory {
  if (category !== "logic") return category;
  const related = [
    ...(parsed?.group ?? []).map((g) => ({ errorType: g.errorType, errorMessage: g.errorMessage })),
    ...[...(parsed?.chain ?? failure.chain ?? [])].reverse(),
  ];
  for (const e of related) {
    const c = categorizeError(e.errorType, e.errorMessage);
    if (c !== "logic") return c;
  }
  return category;
}

/** When no frame is in the project (e.g. pytest's own "async def functions are not natively supported"), the test's def. */
function testDefinitionLocation(failure: Failure, source: SourceReader, projectRoot: string): CodeLocation | null {
  const file = projectRelativePath(failure.testFile, projectRoot) ?? failure.testFile;
  const lines = source.lines(file);
  const name = failure.testName.replace(/\[.*$/, "").split("::").pop() ?? "";
  if (lines && name) {
    const idx = lines.findIndex((l) => new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`).test(l));
    if (idx >= 0) return { file, line: idx + 1, function: name, kind: "test", code: lines[idx]!.trim() };
  }
  if (failure.lineNumber !== null && file) return { file, line: failure.lineNumber, function: name || "<module>", kind: "test" };
  return null;
}

/** A close existing name for `'X' object has no attribute 'y'`, `type object 'X' ...` or `cannot import name 'y' from 'm'`. */
function computeAttributeHint(message: string, source: SourceReader): string | undefined {
  const attr = /(?:'([A-Za-z_]\w*)' object|type object '([A-Za-z_]\w*)') has no attribute '([^']+)'/.exec(message);
  if (attr) {
    const cls = attr[1] ?? attr[2]!;
    if (cls === "NoneType" || cls === "coroutine") return undefined;
    return closestName(attr[3]!, classAttributes(source, cls));
  }
  const mod = /(?:module '([\w.]+)' has no attribute|cannot import name) '([^']+)'(?: from '([\w.]+)')?/.exec(message);
  if (mod) {
    const module = mod[1] ?? mod[3];
    if (!module) return undefined;
    const file = source.pythonFiles().find((f) => moduleOfFile(f) === module);
    const lines = file ? source.lines(file) : null;
    if (!lines) return undefined;
    const topLevel = new Set<string>();
    for (const l of lines) {
      const m = /^(?:(?:async\s+)?def|class)\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/.exec(l);
      if (m) topLevel.add((m[1] ?? m[2])!);
    }
    return closestName(mod[2]!, topLevel);
  }
  return undefined;
}

/**
 * An assert in a test compares what the project's code returned: point at that code. A None read back after a
 * write that is never committed points at the write instead.
 */
function refineAssertionLocation(
  details: AssertionDetails,
  testLocation: CodeLocation,
  source: SourceReader,
): { location: CodeLocation; missingCommit: boolean } | null {
  const testLines = source.lines(testLocation.file);
  const testFn = testLines ? enclosingFunction(testLines, testLocation.line) : null;
  const testBody = testLines && testFn ? testLines.slice(testFn.start - 1, testLocation.line) : [];

  const readsNone = details.actual === "None" || details.where.some((w) => w.depth === 0 && w.value === "None");
  if (readsNone && testBody.length > 0) {
    for (const name of calledNames(testBody.join("\n"))) {
      for (const def of findDefinitions(source, name)) {
        const lines = source.lines(def.file)!;
        const body = lines.slice(def.line - 1, blockEnd(lines, def.line - 1));
        const writeIdx = body.findIndex((l) => WRITE_RE.test(l));
        if (writeIdx >= 0 && !body.some((l) => COMMIT_RE.test(l))) {
          const line = def.line + writeIdx;
          return {
            location: { file: def.file, line, function: def.function, kind: "project", code: lines[line - 1]!.trim() },
            missingCommit: true,
          };
        }
      }
    }
  }

  const candidates: { name: string; className?: string }[] = [];
  for (const w of [...details.where].sort((a, b) => a.depth - b.depth)) {
    const fn = calledFunction(w.source);
    if (fn) candidates.push(fn);
  }
  const assertLine = testLocation.code ?? testLines?.[testLocation.line - 1]?.trim() ?? "";
  for (const name of calledNames(assertLine)) candidates.push({ name });
  const imported = new Set(importedModules(testLines ?? []));
  for (const c of candidates) {
    if (BUILTIN_CALLS.has(c.name)) continue;
    // A plain call names a module-level function, preferably one from a module the test imports.
    const rank = (d: Definition): number => (imported.has(moduleOfFile(d.file)) ? 0 : 2) + (c.className || d.indent === 0 ? 0 : 1);
    const def = findDefinitions(source, c.name, c.className).sort((a, b) => rank(a) - rank(b))[0];
    if (def) {
      const code = source.lines(def.file)?.[def.line - 1]?.trim();
      const location: CodeLocation = { file: def.file, line: def.line, function: def.function, kind: "project" };
      if (code !== undefined) location.code = code;
      return { location, missingCommit: false };
    }
  }
  return null;
}

/** Names called in some code (`foo(`, `obj.bar(`), in order of appearance, builtins and keywords excluded. */
function calledNames(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1]!;
    if (
      !BUILTIN_CALLS.has(name) &&
      !/^(?:assert|if|while|for|return|not|and|or|in|def|class|with|print)$/.test(name) &&
      !names.includes(name)
    ) {
      names.push(name);
    }
  }
  return names;
}

/** For `'coroutine' object ...` errors: the earlier `x = some_call(...)` that produced the never-awaited coroutine. */
function unawaitedCallSite(location: CodeLocation, source: SourceReader): CodeLocation | null {
  const lines = source.lines(location.file);
  const code = location.code ?? lines?.[location.line - 1]?.trim();
  if (!lines || !code) return null;
  // Iterated, measured, subscripted, attribute access, then any other name on the line: the first one assigned from
  // an unawaited call earlier in the function is the coroutine.
  const uses = [/\bfor\s+\w+\s+in\s+([A-Za-z_]\w*)/, /\blen\(\s*([A-Za-z_]\w*)\s*\)/, /\b([A-Za-z_]\w*)\s*\[/, /\b([A-Za-z_]\w*)\.\w+/];
  const variables = [...uses.map((re) => re.exec(code)?.[1]), ...identifiersIn(code)].filter((v): v is string => v !== undefined);
  const fn = enclosingFunction(lines, location.line);
  const start = fn ? fn.start : 1;
  for (const variable of new Set(variables)) {
    const assign = new RegExp(`^\\s*${variable}\\s*=\\s*(?!await\\b)[A-Za-z_][\\w.]*\\(`);
    for (let line = location.line - 1; line >= start; line--) {
      const text = lines[line - 1]!;
      if (assign.test(text))
        return { file: location.file, line, function: fn?.name ?? location.function, kind: location.kind, code: text.trim() };
    }
  }
  return null;
}

/** "Type: first line of the message", plus the `where` line of an assertion and the direct cause of a chain. */
function describeRootCause(type: string, message: string, parsed: ParsedTraceback | null): string {
  const head = firstLine(message);
  const lines = [type && head ? `${type}: ${head}` : type || head || "unknown error"];
  const where = /^\s*\+\s+where .+$/m.exec(message);
  if (where) lines.push(where[0].trim().replace(/^\+\s+/, ""));
  const cause = parsed?.chain[parsed.chain.length - 1];
  if (cause) {
    const how = cause.relation === "cause" ? "caused by" : "while handling";
    const causeHead = firstLine(cause.errorMessage);
    lines.push(`${how} ${shortErrorType(cause.errorType)}${causeHead ? `: ${causeHead}` : ""}`);
  }
  for (const member of parsed?.group ?? [])
    lines.push(`group member ${shortErrorType(member.errorType)}: ${firstLine(member.errorMessage)}`);
  return lines.join("\n");
}

function confidenceFor(strategy: FixStrategy, location: CodeLocation | null, context: SuggestionContext): number {
  let c = STRATEGY_CONFIDENCE[strategy];
  if (strategy === "add_import" && context.importStatement?.startsWith("from ")) c -= 0.1;
  if (!location) c *= 0.5;
  return Math.round(Math.max(0.05, Math.min(1, c)) * 100) / 100;
}
