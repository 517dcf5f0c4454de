// Finding a JS project's installed tools the way Node does: node_modules folders from the project up to the file-system root.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { workspacesUsing } from "../detect.js";

/** Every folder from `start` up to the file-system root, nearest first. */
function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  for (;;) {
    out.push(dir);
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}

/** The absolute path of node_modules/.bin/<name> nearest to the project, or null when none is installed. */
export function findNodeBin(projectRoot: string, name: string): string | null {
  for (const dir of ancestors(projectRoot)) {
    const bin = join(dir, "node_modules", ".bin", name);
    if (existsSync(bin)) return bin;
  }
  return null;
}

/**
 * The runner's bin for a project: findNodeBin from the project, else (at a monorepo root) from the first workspace that
 * uses the runner, where pnpm installs a workspace's own tools; null when none is installed.
 */
export function findRunnerBin(projectRoot: string, runner: "vitest" | "jest"): string | null {
  const own = findNodeBin(projectRoot, runner);
  if (own !== null) return own;
  for (const dir of workspacesUsing(projectRoot, runner)) {
    const bin = join(projectRoot, dir, "node_modules", ".bin", runner);
    if (existsSync(bin)) return bin;
  }
  return null;
}

/** The folder of an installed package as the project would resolve it (node_modules/<name> with a package.json), or null. */
export function findNodePackage(projectRoot: string, name: string): string | null {
  for (const dir of ancestors(projectRoot)) {
    const pkg = join(dir, "node_modules", ...name.split("/"));
    if (existsSync(join(pkg, "package.json"))) return pkg;
  }
  return null;
}
