// oneOf: a long regex alternation written as a list of regex literals, one alternative per line.
import { RedgreenError } from "./domain/errors.js";

/**
 * The regex `before(?:a|b|c)after` from the alternatives' sources, with `flags`. An alternative carries no flags of its
 * own (they would be silently dropped), so one that does is a programming error.
 */
export function oneOf(alternatives: readonly RegExp[], opts: { before?: string; after?: string; flags?: string } = {}): RegExp {
  const flagged = alternatives.find((a) => a.flags !== "");
  if (flagged) throw new RedgreenError("internal", `oneOf: give flags once in opts, not on the alternative ${String(flagged)}`);
  return new RegExp(`${opts.before ?? ""}(?:${alternatives.map((a) => a.source).join("|")})${opts.after ?? ""}`, opts.flags);
}
