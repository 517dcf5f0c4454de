// V8's runtime error messages (ReferenceError, TypeError) read as facts: the analyzer and the TS patterns share these readings.

/** `cartTotl is not defined` (a ReferenceError). */
const NOT_DEFINED_RE = /^([A-Za-z_$][\w$]*) is not defined\b/;
/** `totl is not a function`, `cart.totl is not a function`, `this.items.mapp is not a function`. */
const NOT_A_FUNCTION_RE = /(?:^|\.)([A-Za-z_$][\w$]*) is not a function\b/;
/** Node 16+: `Cannot read properties of undefined (reading 'x')`; the property is missing when V8 cannot name it. */
const READING_RE = /Cannot read propert(?:y|ies) of (undefined|null)(?: \(reading '([^']*)'\))?/;
/** Before Node 16: `Cannot read property 'x' of undefined`. */
const OLD_READING_RE = /Cannot read property '([^']*)' of (undefined|null)/;
/** `const { x } = undefined`: `Cannot destructure property 'x' of 'undefined'`. */
const DESTRUCTURE_RE = /Cannot destructure property '([^']+)' of '?(undefined|null)'?/;

/** The name a `X is not defined` message says is missing. */
export const notDefinedName = (message: string): string | null => NOT_DEFINED_RE.exec(message)?.[1] ?? null;

/** The called name (last member of the callee) a `… is not a function` message names. */
export const notAFunctionName = (message: string): string | null => NOT_A_FUNCTION_RE.exec(message)?.[1] ?? null;

/** A property read from undefined/null, as V8 words it; `property` is null when the message does not name it. */
export interface UndefinedRead {
  property: string | null;
  from: "undefined" | "null";
  /** A property access (`a.b.x`), or a destructuring (`const { x } = …`). */
  via: "read" | "destructure";
}

/** The read a `Cannot read properties of undefined …` (current and pre-Node-16 wording) or `Cannot destructure …` message reports. */
export function undefinedRead(message: string): UndefinedRead | null {
  const m = READING_RE.exec(message);
  if (m) return { property: m[2] ?? null, from: m[1] as UndefinedRead["from"], via: "read" };
  const old = OLD_READING_RE.exec(message);
  if (old) return { property: old[1]!, from: old[2] as UndefinedRead["from"], via: "read" };
  const d = DESTRUCTURE_RE.exec(message);
  return d ? { property: d[1]!, from: d[2] as UndefinedRead["from"], via: "destructure" } : null;
}
