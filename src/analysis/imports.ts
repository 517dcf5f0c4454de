// Which import statement would define a missing name: a stdlib module or name, a conventional alias, a project symbol.
import { loadImportAliases } from "../python/import-aliases.js";
import { indexStdlibNames, loadStdlibNames, type StdlibNames } from "../python/stdlib-names.js";
import { isTestPath } from "./frames.js";
import { definesTopLevelName, type SourceReader } from "./source.js";

/** The catalogs the import lookup uses (data/stdlib-names.json and data/import-aliases.json by default). */
export interface ImportCatalogs {
  /** Top-level stdlib module names. */
  stdlibModules: Set<string>;
  /** Public name → stdlib modules exporting it, best first. */
  stdlibNames: Map<string, string[]>;
  /** Conventional alias → module (np → numpy). */
  aliases: Record<string, string>;
}

const memo = new WeakMap<StdlibNames, ImportCatalogs>();

/** Loads the shipped catalogs; the stdlib index is built once per loaded catalog. */
export function loadImportCatalogs(): ImportCatalogs {
  const stdlib = loadStdlibNames();
  let catalogs = memo.get(stdlib);
  if (!catalogs) {
    catalogs = {
      stdlibModules: new Set(Object.keys(stdlib.modules).filter((m) => !m.includes(".") && !m.startsWith("_"))),
      stdlibNames: indexStdlibNames(stdlib),
      aliases: loadImportAliases().aliases,
    };
    memo.set(stdlib, catalogs);
  }
  return catalogs;
}

/** The dotted module of a project file (`src/shop/utils.py` → `shop.utils`, `pkg/__init__.py` → `pkg`). */
export const moduleOfFile = (relPath: string): string =>
  relPath
    .replace(/^src\//, "")
    .replace(/\.py$/, "")
    .replace(/\/__init__$/, "")
    .split("/")
    .join(".");

/** The statement that would bring `name` into scope, or null when nothing known defines it. */
export function importStatementFor(name: string, catalogs: ImportCatalogs, source?: SourceReader, fromFile?: string): string | null {
  if (catalogs.stdlibModules.has(name)) return `import ${name}`;
  const alias = catalogs.aliases[name];
  if (alias) return `import ${alias} as ${name}`;
  if (source) {
    for (const file of source.pythonFiles()) {
      if (file === fromFile || isTestPath(file)) continue;
      const lines = source.lines(file);
      if (lines && definesTopLevelName(lines, name)) return `from ${moduleOfFile(file)} import ${name}`;
    }
  }
  const modules = catalogs.stdlibNames.get(name);
  if (modules && modules.length > 0 && name.length >= 3) return `from ${modules[0]} import ${name}`;
  return null;
}
