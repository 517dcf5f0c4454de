// The packages a set of dependencies needs installed, walked through package-lock.json the way Node resolves them.
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The lock key a `require(name)` from the package at `from` ("" = the root) resolves to, or null. */
function resolveKey(packages: Record<string, LockEntry>, name: string, from: string): string | null {
  for (let dir = from; ;) {
    const key = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[key] !== undefined) return key;
    if (dir === "") return null;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/**
 * The top-level folders of node_modules (names such as "@langchain/core") that `roots` need, their own dependencies
 * included; a root's peer and optional dependencies count when the lock has them.
 */
export function dependencyClosure(projectRoot: string, roots: readonly string[]): string[] {
  const lock = JSON.parse(readFileSync(join(projectRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    const key = resolveKey(lock.packages, name, from);
    if (key === null || seen.has(key)) return;
    seen.add(key);
    const entry = lock.packages[key]!;
    const needs = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const dep of Object.keys(needs)) visit(dep, key);
  };
  for (const name of roots) visit(name, "");
  const names = [...seen].map((key) => key.slice("node_modules/".length));
  return names.filter((name) => !name.includes("/node_modules/")).sort();
}
