// identifyFixStrategy: which deterministic fix pattern fits a failure, or "llm" when none does.
import type { ErrorCategory, FixStrategy } from "../domain/analysis.js";
import type { Failure } from "../domain/failure.js";
import { shortErrorType } from "./error-type.js";
import { extractHint } from "./hints.js";
import { oneOf } from "../one-of.js";

/** What the analyzer found out beyond the message, when it could read the project's sources. */
export interface StrategyFacts {
  /** A NameError's missing name resolves to an import (stdlib module or name, known alias, project symbol). */
  importable?: boolean;
  /** A close existing name for the misspelt one (Python's hint, or computed from the sources). */
  suggestion?: string;
  /** A write in the code under test is never committed. */
  missingCommit?: boolean;
  /** The failing assertion compares a value produced by the project's code (not a literal). */
  comparesProjectValue?: boolean;
}

const NONE_RE = /'NoneType'|NoneType\b|\bNone\b.*\bnot (?:subscriptable|iterable|callable)/;
const AWAIT_RE = /coroutine .*was never awaited|'coroutine'|coroutine object .* (?:is not|has no)/;
const QUERY_RE = oneOf(
  [
    /no such (?:table|column)/,
    /syntax error/,
    /Incorrect number of bindings/,
    /No row was found when one was required/,
    /Multiple rows were found/,
    /has no column named/,
    /ambiguous column name/,
    /no such function/,
  ],
  { flags: "i" },
);
const QUERY_TYPES = new Set(["NoResultFound", "MultipleResultsFound"]);
const OPERAND_RE = oneOf([
  /unsupported operand type/,
  /can only concatenate/,
  /must be (?:str|int|float|bytes|a real number)/,
  /not supported between instances of/,
  /can't multiply sequence/,
  /object cannot be interpreted as an integer/,
  /expected str, bytes or os\.PathLike/,
]);
const CONNECTION_RE = oneOf(
  [
    /Connection refused/,
    /ConnectionError/,
    /ConnectionRefusedError/,
    /Name or service not known/,
    /Temporary failure in name resolution/,
    /unreachable/,
    /not reachable/,
    /Unavailable/,
    /No route to host/,
  ],
  { flags: "i" },
);

/** Splits a rootCause like "NameError: name 'json' is not defined" into type and message. */
const splitRootCause = (rootCause: string): { type: string; message: string } => {
  const m = /^([A-Za-z_][\w.]*):\s?([\s\S]*)$/.exec(rootCause.trim());
  return m ? { type: m[1]!, message: m[2]! } : { type: "", message: rootCause };
};

/** Picks the fix strategy from the category, the root cause text, the failure (hint) and analyzer facts. */
export function identifyFixStrategy(category: ErrorCategory, rootCause: string, failure?: Failure, facts: StrategyFacts = {}): FixStrategy {
  const parsed = splitRootCause(rootCause);
  const type = shortErrorType(failure?.errorType || parsed.type);
  const message = failure ? `${failure.errorMessage}\n${rootCause}` : parsed.message;
  const hint = extractHint(`${failure?.hint ?? ""}\n${message}`);
  const suggestion =
    facts.suggestion ?? hint.suggestion ?? (failure?.hint && /^'?[A-Za-z_]\w*'?$/.test(failure.hint.trim()) ? failure.hint : undefined);

  switch (category) {
    case "syntax":
      return "fix_syntax";
    case "async":
      return AWAIT_RE.test(message) ? "add_await" : "llm";
    case "import":
      if (type === "NameError") {
        if (hint.forgotImport || facts.importable) return "add_import";
        return suggestion ? "fix_attribute_name" : "llm";
      }
      return suggestion ? "fix_attribute_name" : "llm";
    case "attribute":
      if (NONE_RE.test(message)) return "add_none_check";
      return suggestion ? "fix_attribute_name" : "llm";
    case "type_error":
      if (NONE_RE.test(message)) return "add_none_check";
      return OPERAND_RE.test(message) ? "add_type_hint" : "llm";
    case "database":
      if (facts.missingCommit) return "add_commit";
      if (QUERY_TYPES.has(type) || QUERY_RE.test(message)) return "fix_query";
      return "llm";
    case "api":
      return CONNECTION_RE.test(`${type} ${message}`) ? "add_mock" : "llm";
    case "assertion":
      if (facts.missingCommit) return "add_commit";
      return facts.comparesProjectValue ? "fix_assertion" : "llm";
    case "timeout":
    case "logic":
      return "llm";
  }
}
