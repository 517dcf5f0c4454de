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

const contains = (root: string, target: string): boolean => target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The absolute project root for a call: the allowed root (default: the default project) that contains projectPath,
 * resolved against the default project and with symlinks followed; the innermost one when roots nest. A projectPath
 * naming a subdirectory (say "tests") still yields the project root, so files are classified (test or not) and
 * edited relative to the project, not to wherever the caller pointed. It must be an existing directory, because the
 * tools run the project's code and edit its files.
 */
export function resolveProjectRoot(scope: ProjectScope, projectPath?: string): string {
  const target = resolve(scope.projectRoot, projectPath ?? ".");
  if (!existsSync(target)) throw new RedgreenError("path_not_found", `no such project directory: ${target}`);
  if (!statSync(target).isDirectory()) throw new RedgreenError("path_not_found", `not a directory: ${target}`);
  const real = realpathSync(target);
  const allowed = (scope.allowedRoots ?? [scope.projectRoot]).map((r) => {
    const given = resolve(scope.projectRoot, r);
    return { given, real: realOrResolved(given) };
  });
  const holding = allowed.filter((a) => contains(a.real, real)).sort((a, b) => b.real.length - a.real.length);
  if (holding.length === 0) {
    throw new RedgreenError("usage", `${target} is outside the projects these tools may work on (${allowed.map((a) => a.real).join(", ")})`);
  }
  return holding[0]!.given;
}
