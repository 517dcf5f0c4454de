// parseJsonAs: a runner's JSON report text checked against its zod schema; any problem is a parse_failed RedgreenError.
import type { z } from "zod";
import { RedgreenError } from "../domain/errors.js";

/** The data in `text` when it is JSON of the schema's shape; throws parse_failed naming `what` (e.g. "coverage-summary.json") otherwise. */
export function parseJsonAs<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RedgreenError("parse_failed", `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return checkShape(schema, data, what);
}

/** `data` when it has the schema's shape; throws parse_failed naming `what` otherwise. */
export function checkShape<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) throw new RedgreenError("parse_failed", `${what} has an unexpected shape: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}
