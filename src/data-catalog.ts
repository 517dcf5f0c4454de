// readCatalog: reads one shipped JSON catalog in data/ and validates it with its zod schema.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { RedgreenError } from "./domain/errors.js";

/** The parsed catalog; an unreadable or invalid file is a RedgreenError("config") naming `what` and the path. */
export function readCatalog<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RedgreenError("config", `cannot read ${what} ${path}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new RedgreenError("config", `invalid ${what} ${path}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}
