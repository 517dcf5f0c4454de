// ImportMap: which pytest test files import which project modules (statically, transitively), cached by mtime and size.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { z } from "zod";
import { listFiles, PYTHON_SKIP_DIRS } from "../../analysis/source.js";
import { importGraph } from "../../python/core-ops.js";
import { PythonHelper } from "../../python/client.js";
import { OwnedDir } from "../owned-dir.js";

/** Files one helper call parses: each stays well inside the op's budget (src/python/ops.ts). */
export const IMPORT_GRAPH_BATCH = 2000;

/** One file's cache entry: its stat when parsed, and the project files its imports execute. */
const CachedFileSchema = z.object({
  mtimeMs: z.number(),
  size: z.number(),
  imports: z.array(z.string()),
  star: z.array(z.string()),
  error: z.string().optional(),
});
const CacheSchema = z.record(z.string(), CachedFileSchema);
type Cache = z.infer<typeof CacheSchema>;

/** What a build measured: files seen, files (re)parsed, milliseconds. */
export interface ImportMapStats {
  files: number;
  parsed: number;
  ms: number;
}

/** A built map: the test files a change to a project file reaches through static imports. */
export interface StaticImports {
  /**
   * Test files that import `file` directly or through project modules, a conftest.py counting for every test file in its
   * folder and below; null when `file` is not one of the project's Python files.
   */
  testFilesImporting(file: string): string[] | null;
  /** A cycle of star imports through `file` (its files in order), or null: such names depend on import order. */
  starCycle(file: string): string[] | null;
  readonly stats: ImportMapStats;
}

/**
 * The static import map of one project, rebuilt on request: every .py file is stat'ed, and only those whose mtime or size
 * changed since the last build are parsed again, by the project's interpreter (the helper's AST, no project code runs).
 * The cache lives as JSON in a folder the adapter owns, not in the process's memory between builds.
 */
export class ImportMap {
  private readonly folder = new OwnedDir("redgreen-imports-");

  constructor(
    private readonly projectRoot: string,
    private readonly python: string,
  ) {}

  /** Brings the cache up to date and returns the map; throws what the helper throws when it cannot start. */
  async build(isTestFile: (relPath: string) => boolean): Promise<StaticImports> {
    const started = Date.now();
    const files = listFiles(this.projectRoot, PYTHON_SKIP_DIRS, (name) => name.endsWith(".py"), Number.POSITIVE_INFINITY);
    const old = this.readCache();
    const cache: Cache = {};
    const stale: Array<{ file: string; mtimeMs: number; size: number }> = [];
    for (const file of files) {
      let stat;
      try {
        stat = statSync(join(this.projectRoot, file));
      } catch {
        continue;
      }
      const prev = old[file];
      if (prev && prev.mtimeMs === stat.mtimeMs && prev.size === stat.size) cache[file] = prev;
      else stale.push({ file, mtimeMs: stat.mtimeMs, size: stat.size });
    }
    if (stale.length > 0) await this.parse(stale, cache);
    writeFileSync(this.cacheFile(), JSON.stringify(cache));
    return staticImports(cache, isTestFile, { files: files.length, parsed: stale.length, ms: Date.now() - started });
  }

  private async parse(stale: ReadonlyArray<{ file: string; mtimeMs: number; size: number }>, cache: Cache): Promise<void> {
    const helper = await PythonHelper.start({ python: this.python, projectRoot: this.projectRoot });
    try {
      for (let i = 0; i < stale.length; i += IMPORT_GRAPH_BATCH) {
        const batch = stale.slice(i, i + IMPORT_GRAPH_BATCH);
        const graph = await importGraph(
          helper,
          batch.map((s) => s.file),
        );
        for (const { file, mtimeMs, size } of batch) {
          const entry = graph.files[file];
          if (entry) cache[file] = { mtimeMs, size, ...entry };
        }
      }
    } finally {
      await helper.close();
    }
  }

  private cacheFile(): string {
    return join(this.folder.path(), "imports.json");
  }

  /** The last build's cache; empty before one (or when the file is unreadable: everything is parsed again). */
  private readCache(): Cache {
    if (!this.folder.created() || !existsSync(this.cacheFile())) return {};
    try {
      return CacheSchema.parse(JSON.parse(readFileSync(this.cacheFile(), "utf8")));
    } catch {
      return {};
    }
  }
}

/** The map over a cache: reverse import edges, walked from a changed file up to the test files that reach it. */
function staticImports(cache: Cache, isTestFile: (relPath: string) => boolean, stats: ImportMapStats): StaticImports {
  const importers = new Map<string, string[]>();
  for (const [file, entry] of Object.entries(cache)) {
    for (const target of entry.imports) {
      const list = importers.get(target);
      if (list) list.push(file);
      else importers.set(target, [file]);
    }
  }
  const files = Object.keys(cache);
  const testFiles = files.filter((f) => posix.basename(f) !== "conftest.py" && isTestFile(f));
  return {
    stats,
    testFilesImporting(file) {
      if (!Object.hasOwn(cache, file)) return null;
      const reached = new Set<string>([file]);
      const queue = [file];
      for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
        for (const importer of importers.get(next) ?? []) {
          if (reached.has(importer)) continue;
          reached.add(importer);
          queue.push(importer);
        }
      }
      const out = new Set<string>();
      for (const f of reached) {
        if (posix.basename(f) === "conftest.py") {
          const dir = posix.dirname(f);
          for (const t of testFiles) if (dir === "." || t.startsWith(`${dir}/`)) out.add(t);
        } else if (f !== file && isTestFile(f)) {
          out.add(f);
        }
      }
      return [...out].sort();
    },
    starCycle(file) {
      const path: string[] = [];
      const seen = new Set<string>();
      const visit = (f: string): boolean => {
        path.push(f);
        for (const target of cache[f]?.star ?? []) {
          if (target === file) return true;
          if (!seen.has(target)) {
            seen.add(target);
            if (visit(target)) return true;
          }
        }
        path.pop();
        return false;
      };
      return visit(file) ? [...path, file] : null;
    },
  };
}
