// jsRuntimeFiles: what a JS runner's runs load from outside the project's own files — the runner's package and the
// project's declared packages with everything they depend on (files and folders), and redgreen's own run files.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { walkTree } from "../../fs-tree.js";

/** Past this many paths the listing stops (a project with a vast dependency tree is watched in part). */
const MAX_PATHS = 100_000;

/** The dependency names a package.json declares (every kind a run may load; devDependencies only for the project). */
function declaredNames(packageDir: string, dev: boolean): string[] {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies", ...(dev ? ["devDependencies"] : [])]) {
    const deps = manifest[field];
    if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
  }
  return [...names];
}

/** The real folder node finds package `name` in from `fromDir` (node_modules folders up the tree), or null. */
function packageDirFrom(fromDir: string, name: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    try {
      return realpathSync(join(dir, "node_modules", name));
    } catch {
      // not installed here: look further up
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The packages' files and folders, walked once: each folder inside a package (a new entry there could shadow what a
 * later run resolves), each file; nested node_modules folders are listed but not entered (their packages are
 * walked as dependencies when something depends on them).
 */
function listPackages(dirs: Iterable<string>, out: string[]): void {
  const visit = {
    folder: (abs: string, _rel: string, name: string): boolean => {
      out.push(abs);
      return name !== "node_modules";
    },
    file: (abs: string) => void out.push(abs),
  };
  for (const dir of dirs) {
    out.push(dir);
    walkTree(dir, visit, { done: () => out.length >= MAX_PATHS });
  }
}

/**
 * What the runs of `runnerPackageDir`'s runner load from installed packages in `projectRoot`: that package and the
 * project's declared ones, each with its dependencies (resolved as node resolves them, from each package's real
 * folder), the node_modules folders node looks them up in, plus `ownFiles` (redgreen's reporter and standby scripts,
 * the runner's bin).
 */
export function jsRuntimeFiles(projectRoot: string, runnerPackageDir: string | null, ownFiles: readonly string[]): string[] {
  const packages = new Set<string>();
  const queue: string[] = [];
  const add = (dir: string | null): void => {
    if (dir !== null && !packages.has(dir)) {
      packages.add(dir);
      queue.push(dir);
    }
  };
  if (runnerPackageDir !== null) add(realpathSync(runnerPackageDir));
  for (const name of declaredNames(projectRoot, true)) add(packageDirFrom(projectRoot, name));
  while (queue.length > 0) {
    const dir = queue.shift()!;
    for (const name of declaredNames(dir, false)) add(packageDirFrom(dir, name));
  }
  const out: string[] = [...ownFiles, ...lookupFolders([projectRoot, ...packages])];
  listPackages(packages, out);
  return out;
}

/**
 * The node_modules folders node looks a package up in from each of `dirs` (every one above it), with their scope and
 * .bin folders: a package made there would be found before, or instead of, the one installed now.
 */
function lookupFolders(dirs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const start of dirs) {
    for (let dir = start; ; dir = dirname(dir)) {
      const folder = basename(dir) === "node_modules" ? null : join(dir, "node_modules");
      if (folder !== null && !out.has(folder) && existsSync(folder)) {
        out.add(folder);
        for (const name of readdirSync(folder)) if (name.startsWith("@") || name === ".bin") out.add(join(folder, name));
      }
      if (dirname(dir) === dir) break;
    }
  }
  return [...out];
}
