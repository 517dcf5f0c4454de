// Runtime files: what test runs load from outside the project's watched files (the runner, installed packages,
// redgreen's own plugins), checked after each run: a run that changes one changes what every later run measures with.
import { lstatSync, readdirSync, statSync, type BigIntStats } from "node:fs";
import { join } from "node:path";

/** How one path was changed by a run. */
export interface RuntimeChange {
  path: string;
  change: "created" | "modified" | "deleted";
}

/** Folder entries that runs write by themselves: bytecode and tool caches, never what a later run loads. */
const SELF_WRITTEN = new Set(["__pycache__", ".cache", ".vite", ".vitest", ".pytest_cache"]);

/**
 * File times come from the kernel's coarse clock, up to a tick (4-10 ms) behind the one Date.now() reads: a write just
 * after a moment may be stamped just before it.
 */
export const CLOCK_SLACK_MS = 20;

const statOf = (path: string, follow: boolean): BigIntStats | null => {
  try {
    return follow ? statSync(path, { bigint: true }) : lstatSync(path, { bigint: true });
  } catch {
    return null;
  }
};

/** Listed paths → each one's ctime when listed (ns; null: it did not exist, and may be watched for its making). */
export type RuntimeListing = Map<string, bigint | null>;

/** Lists what runs load, noting each path's ctime now. */
export function listRuntime(paths: Iterable<string>): RuntimeListing {
  const out: RuntimeListing = new Map();
  for (const path of paths) if (!out.has(path)) out.set(path, statOf(path, false)?.ctimeNs ?? null);
  return out;
}

/**
 * The listed paths changed since `sinceMs` (epoch), by their ctime, which every write, rename, link or permission
 * change sets and user space cannot set back: a file (a link: the link and what it leads to) changed, gone, or made
 * where there was none when listed (a .pyc where a module had none); a folder's entries created or moved in since (a
 * new `.pth` in site-packages runs at every start-up, a package folder beside a module replaces it), its own bytecode
 * and caches left out. Needs no stamp from before: the paths may be listed while the run goes on.
 */
export function runtimeChanges(listed: RuntimeListing, sinceMs: number, opts: { sinceListed?: boolean } = {}): RuntimeChange[] {
  const since = BigInt(Math.floor(sinceMs)) * 1_000_000n;
  const out: RuntimeChange[] = [];
  for (const [path, listedCtime] of listed) {
    const existed = listedCtime !== null;
    const link = statOf(path, false);
    const node = link?.isSymbolicLink() ? statOf(path, true) : link;
    // With `sinceListed`, the listing was made before the run could act: a path as it was then is not the run's doing.
    if (opts.sinceListed && link !== null && link.ctimeNs === listedCtime && (node === link || node!.ctimeNs < since)) continue;
    if (link === null || node === null) {
      if (existed) out.push({ path, change: "deleted" });
    } else if (!existed) {
      if (link.ctimeNs >= since) out.push({ path, change: "created" });
    } else if (link !== node && link.ctimeNs >= since)
      out.push({ path, change: "modified" }); // the link was retargeted
    else if (!node.isDirectory()) {
      if (node.ctimeNs >= since) out.push({ path, change: "modified" });
    } else if (node.ctimeNs >= since) out.push(...newEntries(path, since));
  }
  // A file may show twice, itself and as its folder's new entry: once, as itself.
  const once = new Map(out.map((c) => [c.path, c] as const));
  for (const c of out) if (c.change !== "created") once.set(c.path, c);
  return [...once.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** A folder's entries (bytecode and caches left out) created, or moved or linked in, since `since` (ns). */
function newEntries(folder: string, since: bigint): RuntimeChange[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [{ path: folder, change: "modified" }]; // it exists, and can no longer be read: its permissions changed
  }
  const out: RuntimeChange[] = [];
  for (const name of names) {
    if (SELF_WRITTEN.has(name)) continue;
    const entry = statOf(join(folder, name), false);
    if (entry !== null && entry.ctimeNs >= since) out.push({ path: join(folder, name), change: "created" });
  }
  return out;
}
