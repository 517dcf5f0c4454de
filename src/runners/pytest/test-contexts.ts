// PerTestCoverage over a coverage.py data file recorded with pytest-cov's per-test contexts, queried lazily (read-only).
import { realpathSync } from "node:fs";
import Database from "better-sqlite3";
import type { Database as Db, Statement } from "better-sqlite3";
import { projectRelativePath } from "../../analysis/frames.js";
import type { PerTestCoverage } from "../adapter.js";

/**
 * The phases pytest-cov appends to a test's node id ("nodeid|setup", "nodeid|run", "nodeid|teardown"); redgreen's own
 * contexts plugin names a test's one context by its node id alone.
 */
const PHASES = ["setup", "run", "teardown"] as const;

/** The line numbers set in a coverage.py numbits blob (bit i of byte j is line 8*j+i). */
export function decodeNumbits(blob: Uint8Array): number[] {
  const lines: number[] = [];
  for (let byte = 0; byte < blob.length; byte++) {
    const bits = blob[byte]!;
    if (bits === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (bits & (1 << bit)) lines.push(byte * 8 + bit);
  }
  return lines;
}

/** A context's test node id, or null for a context outside every test (collection-time imports: the empty context). */
function contextTest(context: string): string | null {
  if (context === "") return null;
  const bar = context.lastIndexOf("|");
  return bar > 0 && (PHASES as readonly string[]).includes(context.slice(bar + 1)) ? context.slice(0, bar) : context;
}

/**
 * One recorded data file. Only the file table (a row per measured source file) is held in memory; tests and lines are
 * read from SQLite on each call. Lines come from line_bits, or from the arc table when the project measures branches.
 */
export class TestContexts implements PerTestCoverage {
  private db: Db | null = null;
  private files: { ids: Map<string, number>; names: Map<number, string> } | null = null;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly dataFile: string,
    private readonly projectRoot: string,
  ) {}

  tests(): readonly string[] {
    const out = new Set<string>();
    for (const row of this.all<{ context: string }>("SELECT context FROM context ORDER BY id")) {
      const test = contextTest(row.context);
      if (test !== null) out.add(test);
    }
    return [...out];
  }

  testsCovering(file: string): readonly string[] | null {
    const contexts = this.contextsOf(file);
    if (contexts === null) return null;
    const out = new Set<string>();
    for (const context of contexts) {
      const test = contextTest(context);
      if (test !== null) out.add(test);
    }
    return [...out];
  }

  /** Whether lines of a project-relative file ran outside every test (at import, during collection). */
  ranAtImport(file: string): boolean {
    return (this.contextsOf(file) ?? []).some((c) => contextTest(c) === null);
  }

  linesOf(nodeId: string): ReadonlyMap<string, readonly number[]> {
    const contexts = [nodeId, ...PHASES.map((p) => `${nodeId}|${p}`)];
    const ids = this.all<{ id: number }>("SELECT id FROM context WHERE context IN (?, ?, ?, ?)", ...contexts).map((r) => r.id);
    const byFile = new Map<number, Set<number>>();
    const add = (fileId: number, lines: Iterable<number>): void => {
      let set = byFile.get(fileId);
      if (!set) byFile.set(fileId, (set = new Set()));
      for (const l of lines) if (l > 0) set.add(l);
    };
    type LineBits = { file_id: number; numbits: Buffer };
    type Arc = { file_id: number; fromno: number; tono: number };
    for (const id of ids) {
      // coverage.py indexes (file_id, context_id) only: probing it per file beats scanning the table for a context_id.
      const bitsSql = "SELECT file_id, numbits FROM line_bits WHERE file_id IN (SELECT id FROM file) AND context_id = ?";
      const bits = this.all<LineBits>(bitsSql, id);
      for (const r of bits) add(r.file_id, decodeNumbits(r.numbits));
      const arcs = this.all<Arc>("SELECT file_id, fromno, tono FROM arc WHERE file_id IN (SELECT id FROM file) AND context_id = ?", id);
      for (const r of arcs) add(r.file_id, [r.fromno, r.tono]);
    }
    const { names } = this.fileTable();
    const out = new Map<string, readonly number[]>();
    for (const [fileId, lines] of byFile) {
      const name = names.get(fileId);
      if (name !== undefined && lines.size > 0)
        out.set(
          name,
          [...lines].sort((a, b) => a - b),
        );
    }
    return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Closes the connection (before the data file is replaced or removed). */
  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }

  /** The contexts that executed lines of a project-relative file, in recording order; null when it was not measured. */
  private contextsOf(file: string): string[] | null {
    const id = this.fileTable().ids.get(file.replace(/\\/g, "/").replace(/^\.\//, ""));
    if (id === undefined) return null;
    const sql =
      "SELECT c.context FROM context c WHERE c.id IN " +
      "(SELECT context_id FROM line_bits WHERE file_id = ? UNION SELECT context_id FROM arc WHERE file_id = ?) ORDER BY c.id";
    return this.all<{ context: string }>(sql, id, id).map((r) => r.context);
  }

  /** Project-relative posix path <-> file id, for the measured files inside the project. */
  private fileTable(): { ids: Map<string, number>; names: Map<number, string> } {
    if (this.files !== null) return this.files;
    const roots = [this.projectRoot];
    try {
      const real = realpathSync(this.projectRoot);
      if (real !== this.projectRoot) roots.push(real);
    } catch {
      /* the root is gone: paths are matched as given */
    }
    const ids = new Map<string, number>();
    const names = new Map<number, string>();
    for (const row of this.all<{ id: number; path: string }>("SELECT id, path FROM file")) {
      const rel = roots.map((r) => projectRelativePath(row.path, r)).find((r) => r !== null);
      if (rel === undefined || rel === null) continue;
      ids.set(rel, row.id);
      names.set(row.id, rel);
    }
    this.files = { ids, names };
    return this.files;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    this.db ??= new Database(this.dataFile, { readonly: true, fileMustExist: true });
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt.all(...params) as T[];
  }
}
