// data/import-aliases.json: conventional `import <module> as <alias>` names (np → numpy, plt → matplotlib.pyplot).
import { z } from "zod";
import { readCatalog } from "../data-catalog.js";
import { dataPath } from "../paths.js";

export const ImportAliasesSchema = z.object({
  description: z.string().optional(),
  /** Alias → dotted module it conventionally stands for. */
  aliases: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/)),
});
export type ImportAliases = z.infer<typeof ImportAliasesSchema>;

/** Loads and validates the alias catalog (small: read on every call). */
export function loadImportAliases(path: string = dataPath("import-aliases.json")): ImportAliases {
  return readCatalog(path, ImportAliasesSchema, "import alias catalog");
}

/** The import statement an alias stands for (`np` → `import numpy as np`), or null when unknown. */
export const aliasImportStatement = (aliases: ImportAliases, alias: string): string | null => {
  const module = aliases.aliases[alias];
  return module === undefined ? null : `import ${module} as ${alias}`;
};
