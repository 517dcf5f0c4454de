// Reading pytest's assertion rewriting: the compared values and the `where` explanations of where they came from.

/** What an assertion failure compared, as pytest printed it. */
export interface AssertionDetails {
  /** The `assert ...` line pytest printed (values substituted), e.g. "assert -1 == 5". */
  comparison: string | null;
  operator: string | null;
  /** The value the test wanted (right-hand side, or "truthy"/"not None" for one-sided asserts). */
  expected: string | null;
  /** The value the code produced (left-hand side). */
  actual: string | null;
  /** `+  where -1 = add(2, 3)` lines, outermost first. */
  where: { value: string; source: string; depth: number }[];
  /** A custom message given as `assert x, "msg"`. */
  customMessage: string | null;
}

const OPERATORS = [" is not ", " not in ", " == ", " != ", " <= ", " >= ", " is ", " in ", " < ", " > "];

/** Parses an AssertionError message from pytest's assertion rewriting (or a plain assert message). */
export function extractAssertionDetails(message: string): AssertionDetails {
  const lines = message.split("\n");
  const details: AssertionDetails = { comparison: null, operator: null, expected: null, actual: null, where: [], customMessage: null };
  const assertIdx = lines.findIndex((l) => /^\s*(?:AssertionError: )?assert\b/.test(l));
  if (assertIdx > 0) details.customMessage = lines.slice(0, assertIdx).join("\n").trim() || null;
  if (assertIdx < 0) {
    details.customMessage = message.trim() || null;
    return details;
  }
  const comparison = lines[assertIdx]!.trim().replace(/^AssertionError: /, "");
  details.comparison = comparison;
  for (const l of lines.slice(assertIdx + 1)) {
    const w = /^(\s*)\+(\s+)where (.+?) = (.+)$/.exec(l);
    if (w) details.where.push({ value: w[3]!, source: w[4]!, depth: Math.max(0, (w[2]!.length - 2) / 2) });
  }
  const body = comparison.replace(/^assert\s+/, "");
  // pytest shortens long reprs ("{'count': 1, ...', 'total': 2}"), which can leave a quote unbalanced.
  const split = splitTopLevel(body, true) ?? splitTopLevel(body, false);
  if (split) {
    details.operator = split.operator;
    details.actual = split.left;
    details.expected = split.operator === "is not" && split.right === "None" ? "not None" : split.right;
  } else {
    details.actual = body.replace(/^not\s+/, "");
    details.expected = body.startsWith("not ") ? "falsy" : "truthy";
  }
  return details;
}

/** Splits "left OP right" at the first comparison operator outside brackets and quotes. */
function splitTopLevel(expr: string, trackQuotes: boolean): { left: string; operator: string; right: string } | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (trackQuotes && (ch === "'" || ch === '"')) quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (depth === 0 && ch === " ") {
      for (const op of OPERATORS) {
        if (expr.startsWith(op, i)) {
          return { left: expr.slice(0, i).trim(), operator: op.trim(), right: expr.slice(i + op.length).trim() };
        }
      }
    }
  }
  return null;
}

/** The function a `where` source names: `add(2, 3)`, `<bound method Cart.total of ...>()`, `<function add at 0x..>(..)`. */
export function calledFunction(source: string): { name: string; className?: string } | null {
  const bound = /^<bound method (?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*) of /.exec(source);
  if (bound) return bound[1] ? { name: bound[2]!, className: bound[1] } : { name: bound[2]! };
  const fn = /^<function (?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*) at 0x[0-9a-f]+>\(/.exec(source);
  if (fn) return { name: fn[1]! };
  const call = /^([A-Za-z_][\w.]*)\(/.exec(source);
  if (call) {
    const parts = call[1]!.split(".");
    return { name: parts[parts.length - 1]! };
  }
  return null;
}
