// analyzeScriptFailure: the StackTraceAnalyzer for vitest/jest failures (V8 errors in TypeScript/JavaScript code).
import type { Analysis, ErrorCategory, FixStrategy } from "../domain/analysis.js";
import type { Failure } from "../domain/failure.js";
import { firstLine } from "./error-type.js";
import { projectRelativePath } from "./frames.js";
import { analysisAt } from "./analysis-at.js";
import { closestNameIn } from "./hints.js";
import { locateInFrames, type CodeLocation } from "./locate.js";
import { findScriptDefinitions, projectScriptIdentifiers, relativeSpecifier, scriptFileIdentifiers } from "./script-sources.js";
import type { SourceReader } from "./source.js";
import { notAFunctionName, notDefinedName, undefinedRead as readOfUndefined } from "./v8-messages.js";

const PROMISE_RE = /\bPromise ?\{|\[object Promise\]|Promise <pending>|\bPromise\b.*\bis not\b/;
const TIMEOUT_RE = /Test timed out in \d+ms|Exceeded timeout of \d+ ?ms|timed out after \d+/i;
const API_RE =
  /ECONNREFUSED|ENOTFOUND|ECONNRESET|fetch failed|socket hang up|Request failed with status code \d{3}|\bstatus(?: code)? (?:[45]\d\d)\b/;
const ASSERTION_MESSAGE_RE = /^expected\b|^expect\(|AssertionError|^Expected[: ]/m;
/** vitest: "expected 5 to be 6 // Object.is equality"; jest: "Expected: 6\nReceived: 5". */
const VITEST_VALUES_RE =
  /^expected (.+?) to (?:be|equal|deeply equal|strictly equal|be close to|match object)(?: [^\s]+)?? (.+?)(?: \/\/ .*)?$/m;
const JEST_VALUES_RE = /Expected(?: value)?:\s*(.+)\n\s*Received(?: value)?:\s*(.+)/;
const MATCHER_CALLS = new Set([
  "expect",
  "describe",
  "it",
  "test",
  "toBe",
  "toEqual",
  "toStrictEqual",
  "resolves",
  "rejects",
  "not",
  "assert",
  "beforeEach",
  "afterEach",
]);

const STRATEGY_CONFIDENCE: Record<FixStrategy, number> = {
  fix_syntax: 0.9,
  add_import: 0.9,
  add_await: 0.8,
  fix_attribute_name: 0.8,
  add_none_check: 0.65,
  fix_query: 0.6,
  add_type_hint: 0.55,
  add_commit: 0.5,
  fix_assertion: 0.5,
  add_mock: 0.5,
  llm: 0.35,
};

/** One category per V8 error, most specific first. */
export function categorizeScriptError(errorType: string, errorMessage: string): ErrorCategory {
  const type = errorType.trim();
  if (type === "SyntaxError") return "syntax";
  if (type === "Timeout" || TIMEOUT_RE.test(errorMessage)) return "timeout";
  if (PROMISE_RE.test(errorMessage)) return "async";
  if (API_RE.test(errorMessage) || /^(?:FetchError|AxiosError)$/.test(type)) return "api";
  if (type === "ReferenceError") return "import";
  if (readOfUndefined(errorMessage)) return "attribute";
  if (type === "TypeError" || type === "RangeError") return "type_error";
  if (/Assertion/.test(type) || ASSERTION_MESSAGE_RE.test(errorMessage)) return "assertion";
  return "logic";
}

/** Analyzes a failure from a JS test runner: where to fix it (innermost project frame, source-mapped), how, and how sure. */
export function analyzeScriptFailure(failure: Failure, ctx: { projectRoot: string; source: SourceReader }): Analysis {
  const { source } = ctx;
  const errorType = failure.errorType || "Error";
  const message = failure.errorMessage;
  let category = categorizeScriptError(errorType, message);
  let location = locateInFrames(failure.frames, ctx) ?? testLocation(failure, ctx.projectRoot);
  if (location && location.code === undefined) {
    const code = source.lines(location.file)?.[location.line - 1]?.trim();
    if (code !== undefined) location.code = code;
  }

  let strategy: FixStrategy = "llm";
  let hint: string | undefined;
  let importStatement: string | undefined;
  let expected: string | undefined;
  let actual: string | undefined;
  const notDefined = errorType === "ReferenceError" ? notDefinedName(message) : null;
  const undefinedRead = readOfUndefined(message);
  const notAFunction = errorType === "TypeError" ? notAFunctionName(message) : null;

  if (category === "syntax") {
    strategy = "fix_syntax";
  } else if (category === "async") {
    strategy = "add_await";
  } else if (notDefined) {
    const exported = findScriptDefinitions(source, notDefined).find((d) => d.exported && d.file !== location?.file);
    if (exported) {
      strategy = "add_import";
      importStatement = `import { ${notDefined} } from "${relativeSpecifier(location?.file ?? failure.testFile, exported.file)}"`;
    } else {
      hint = location ? closestNameIn(notDefined, scriptFileIdentifiers(source, location.file)) : undefined;
      if (hint) {
        category = "attribute";
        strategy = "fix_attribute_name";
      }
    }
  } else if (undefinedRead) {
    strategy = "add_none_check";
  } else if (notAFunction) {
    hint = closestNameIn(notAFunction, projectScriptIdentifiers(source));
    if (hint) {
      category = "attribute";
      strategy = "fix_attribute_name";
    }
  } else if (category === "assertion") {
    const values = VITEST_VALUES_RE.exec(message);
    const jest = values ? null : JEST_VALUES_RE.exec(message);
    actual = values?.[1] ?? jest?.[2];
    expected = values?.[2] ?? jest?.[1];
    // A promise compared, or undefined read back from code that returns a value: both smell of a missing await.
    if (actual !== undefined && /^Promise\b|^\{\}$/.test(actual)) {
      category = "async";
      strategy = "add_await";
    } else if (location?.kind === "test") {
      const target = calledProjectFunction(location, source);
      if (target) {
        location = target;
        strategy = "fix_assertion";
      }
    }
  }

  const rootCause = `${errorType}: ${firstLine(message) || "(no message)"}`;
  const analysis = analysisAt(location, {
    errorType,
    category,
    rootCause,
    fixStrategy: strategy,
    confidence: Math.round(STRATEGY_CONFIDENCE[strategy] * (location ? 1 : 0.5) * 100) / 100,
    expected,
    actual,
    hint,
  });
  analysis.suggestedFix = suggestScriptFix(analysis, {
    code: location?.code,
    importStatement: importStatement || undefined,
    name: notAFunction || notDefined || undefined,
    read: undefinedRead ? (undefinedRead.property ?? "") : undefined,
    nullish: undefinedRead?.from,
  });
  return analysis;
}

/** The failing test's own line when no frame is in the project (e.g. a file that failed to load). */
function testLocation(failure: Failure, projectRoot: string): CodeLocation | null {
  const file = projectRelativePath(failure.testFile, projectRoot) ?? failure.testFile;
  if (!file) return null;
  return { file, line: failure.lineNumber ?? 1, function: failure.testName.split(" > ").pop() || "<module>", kind: "test" };
}

/** `expect(cartTotal(items)).toBe(6)` compares what cartTotal returned: point at its definition. */
function calledProjectFunction(at: CodeLocation, source: SourceReader): CodeLocation | null {
  const code = at.code ?? source.lines(at.file)?.[at.line - 1] ?? "";
  for (const m of code.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1]!;
    if (MATCHER_CALLS.has(name) || /^to[A-Z]/.test(name)) continue;
    const def = findScriptDefinitions(source, name)[0];
    if (def) {
      const text = source.lines(def.file)?.[def.line - 1]?.trim();
      return { file: def.file, line: def.line, function: name, kind: "project", code: text };
    }
  }
  return null;
}

/** One sentence naming what to change and where, in the language's own terms. */
function suggestScriptFix(
  a: Analysis,
  extra: { code?: string; importStatement?: string; name?: string; read?: string; nullish?: string },
): string {
  const loc = a.fileToFix ? `${a.fileToFix}${a.lineNumber === null ? "" : `:${a.lineNumber}`}` : "the failing code";
  const inFn = a.functionName && a.functionName !== "<module>" ? `in ${a.functionName} (${loc})` : `at ${loc}`;
  const cause = a.rootCause;
  switch (a.fixStrategy) {
    case "add_import":
      return (
        `Add \`${extra.importStatement ?? `an import of ${extra.name ?? "the missing name"}`}\` to ` +
        `${a.fileToFix ?? "the failing module"} (${cause}).`
      );
    case "fix_attribute_name":
      return `Replace \`${extra.name ?? "the misspelt name"}\` with \`${a.hint ?? "the existing name"}\` ${inFn} (${cause}).`;
    case "add_none_check":
      return (
        `Guard against ${extra.nullish ?? "undefined"} before reading \`.${extra.read || "the property"}\` ${inFn}` +
        `${extra.code ? `: \`${extra.code}\`` : ""} (${cause}).`
      );
    case "add_await":
      return `Await the promise ${inFn}: a value is used before its promise resolved (${cause}).`;
    case "fix_syntax":
      return `Fix the syntax error ${inFn}${extra.code ? ` (\`${extra.code}\`)` : ""} (${cause}).`;
    case "fix_assertion": {
      const values =
        a.expected !== undefined && a.actual !== undefined ? `: it produced ${a.actual} where the test expects ${a.expected}` : "";
      return `Fix ${a.functionName ?? "the code under test"} (${loc}) so the assertion holds${values}.`;
    }
    default:
      return `Investigate ${a.errorType} ${inFn}: ${cause}.`;
  }
}
