// walkTree: one depth-first walk of a folder tree; which folders it enters and what it keeps of each entry is the caller's.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** What a walk does with each entry: `rel` is relative to the walk's root, "/"-joined; `abs` is absolute. */
export interface TreeVisitor {
  /** A folder met; whether to enter it. */
  folder(abs: string, rel: string, name: string): boolean;
  /** A regular file met (links and other kinds are skipped). */
  file(abs: string, rel: string, name: string): void;
}

/**
 * Walks `root` depth first; an unreadable folder is skipped. With `sorted`, each folder's entries in name order (a
 * stable order across machines); `done` ends the walk when it turns true (checked before each entry).
 */
export function walkTree(root: string, visit: TreeVisitor, opts: { sorted?: boolean; done?: () => boolean } = {}): void {
  const walk = (abs: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    if (opts.sorted) entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (opts.done?.()) return;
      const childAbs = join(abs, e.name);
      const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (visit.folder(childAbs, childRel, e.name)) walk(childAbs, childRel);
      } else if (e.isFile()) {
        visit.file(childAbs, childRel, e.name);
      }
    }
  };
  walk(root, "");
}
