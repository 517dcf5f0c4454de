// resolveProjectRoot: turns a tool's projectPath argument into an absolute root the tools are allowed to touch.
import { existsSync, realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import { RedgreenError } from "../src/domain/errors.js";
import type { ProjectScope } from "./deps.js";

const realOrResolved = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

/**
 * The absolute project root for a call: projectPath resolved against the default project (the default project
 * itself when absent). It must be an existing directory inside one of the allowed roots, symlinks resolved,
 * because the tools run the project's code and edit its files.
 */
export function resolveProjectRoot(scope: ProjectScope, projectPath?: string): string {
  const root = resolve(scope.projectRoot, projectPath ?? ".");
  if (!existsSync(root)) throw new RedgreenError("path_not_found", `no such project directory: ${root}`);
  if (!statSync(root).isDirectory()) throw new RedgreenError("path_not_found", `not a directory: ${root}`);
  const real = realpathSync(root);
  const allowed = (scope.allowedRoots ?? [scope.projectRoot]).map((r) => realOrResolved(resolve(scope.projectRoot, r)));
  if (!allowed.some((a) => real === a || real.startsWith(a.endsWith(sep) ? a : a + sep))) {
    throw new RedgreenError("usage", `${root} is outside the projects these tools may work on (${allowed.join(", ")})`);
  }
  return root;
}
