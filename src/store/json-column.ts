// JSON columns: how values go into and come out of TEXT columns.
import { RedgreenError } from "../domain/errors.js";

/** Serialises a value for a JSON column; undefined becomes SQL NULL. */
export const toJsonColumn = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Parses a JSON column; NULL becomes null, malformed text is a db_error naming the column. */
export function fromJsonColumn(text: string | null, column: string): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RedgreenError("db_error", `the stored ${column} is not valid JSON`, { cause: e });
  }
}
