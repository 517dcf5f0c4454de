// generateFixSuggestion: one specific sentence saying what to change, where, and why.
import type { Analysis } from "../domain/analysis.js";
import { firstLine, shortErrorType } from "./error-type.js";

/** Extra detail known at analysis time that the Analysis itself does not hold. */
export interface SuggestionContext {
  /** The source line at the fix location. */
  code?: string;
  /** The import statement that defines a missing name (`import json`, `from shop.audit import audit_log`). */
  importStatement?: string;
}

const where = (a: Analysis): string => {
  if (!a.fileToFix) return "";
  const loc = a.lineNumber === null ? a.fileToFix : `${a.fileToFix}:${a.lineNumber}`;
  return a.functionName && a.functionName !== "<module>" ? `${loc} in ${a.functionName}` : loc;
};
const inFn = (a: Analysis): string => {
  const loc = a.fileToFix ? (a.lineNumber === null ? a.fileToFix : `${a.fileToFix}:${a.lineNumber}`) : "";
  const fn = a.functionName && a.functionName !== "<module>" ? `in ${a.functionName} ` : "";
  return loc ? `${fn}(${loc})` : fn.trim();
};
const quoted = (message: string, re: RegExp): string | undefined => re.exec(message)?.[1];

/** A human-readable sentence naming the symbol, function, file and line of the fix. */
export function generateFixSuggestion(analysis: Analysis, context: SuggestionContext = {}): string {
  const a = analysis;
  const cause = a.rootCause.split("\n")[0]!.trim().replace(/\.$/, "");
  const at = where(a);
  const atSuffix = at ? ` at ${at}` : "";
  const code = context.code?.trim();
  switch (a.fixStrategy) {
    case "add_import": {
      const name = quoted(a.rootCause, /name '([^']+)' is not defined/) ?? "the missing name";
      const statement = context.importStatement ?? `import ${name}`;
      return `Add \`${statement}\` at the top of ${a.fileToFix ?? "the failing module"} (${cause}${atSuffix}).`;
    }
    case "add_await": {
      const callee = code ? /(?:=\s*|return\s+|^)([A-Za-z_][\w.]*)\(/.exec(code)?.[1] : undefined;
      const target = callee ? `\`${callee}(...)\`` : "the coroutine call";
      return `Add \`await\` before ${target} ${inFn(a)}: the coroutine is used without being awaited (${cause}).`;
    }
    case "add_commit": {
      const receiver = code ? /([A-Za-z_]\w*)\.(?:execute|executemany|add|add_all|delete|merge)\(/.exec(code)?.[1] : undefined;
      const commit = receiver ? `\`${receiver}.commit()\`` : "a commit";
      return (
        `Call ${commit} after the write ${inFn(a)}: the change is never committed, so another connection or session reads nothing (` +
        `${cause}).`
      );
    }
    case "add_none_check": {
      const attr = quoted(a.rootCause, /has no attribute '([^']+)'/);
      const what = code ? `\`${code}\`` : "the value";
      const use = attr ? `reading \`.${attr}\`` : "using it";
      return `Handle None before ${use} ${inFn(a)}: ${what} can be None here (${cause}).`;
    }
    case "fix_attribute_name": {
      const wrong = quoted(a.rootCause, /(?:has no attribute|name|cannot import name|fixture) '([^']+)'/) ?? "the misspelt name";
      return a.hint
        ? `Replace \`${wrong}\` with \`${a.hint}\` ${inFn(a)} (${cause}).`
        : `Use the correct name instead of \`${wrong}\` ${inFn(a)} (${cause}).`;
    }
    case "fix_syntax":
      return (
        `Fix the syntax error ${at ? `in ${at}` : "reported by Python"}${code ? ` (\`${code}\`)` : ""}: ` +
        `${firstLine(a.rootCause.replace(/^\w+: /, ""))}.`
      );
    case "fix_query":
      return (
        `Fix the database query ${inFn(a)}: ${cause}` +
        `${/NoResultFound|MultipleResultsFound/.test(a.errorType) ? "; use `.first()`/`.one_or_none()` or tighten the filter" : ""}.`
      );
    case "add_mock":
      return `Mock the external service call ${inFn(a)} in the test instead of reaching the network (${cause}).`;
    case "add_type_hint":
      return `Convert the value to the type the operation expects ${inFn(a)} and annotate the parameter (${cause}).`;
    case "fix_assertion": {
      const values =
        a.expected !== undefined && a.actual !== undefined ? `: it produced ${a.actual} where the test expects ${a.expected}` : "";
      return (
        `Fix ${a.functionName ?? "the code under test"}` +
        `${a.fileToFix ? ` (${a.fileToFix}${a.lineNumber === null ? "" : `:${a.lineNumber}`})` : ""} so the assertion holds${values}.`
      );
    }
    case "llm":
      return `Investigate ${shortErrorType(a.errorType) || "the failure"}${atSuffix}: ${cause}.`;
  }
}
