// Where tools may act: the project root a projectPath argument names, and the test targets a run may be given.
import { existsSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { RedgreenError } from "../src/domain/errors.js";
import { splitNodeId } from "../src/domain/node-id.js";
import { isInside, refusePath, resolveInProject } from "../src/project-path.js";
import type { ProjectScope } from "./deps.js";

const realOrResolved = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

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
  const holding = allowed.filter((a) => isInside(a.real, real)).sort((a, b) => b.real.length - a.real.length);
  if (holding.length === 0) {
    throw new RedgreenError(
      "usage",
      `${target} is outside the projects these tools may work on (${allowed.map((a) => a.real).join(", ")})`,
    );
  }
  return holding[0]!.given;
}

/**
 * Checks the files, folders or node ids a tool hands the test runner (the one path policy, src/project-path.ts): each
 * file part must resolve, symlinks followed, inside the project root, and none may read as a runner option.
 */
export function checkTestTargets(projectRoot: string, targets: readonly string[]): void {
  for (const target of targets) {
    const { testFile } = splitNodeId(target);
    if (testFile.startsWith("-"))
      throw refusePath("run", target, "a test path cannot start with '-' (the runner would read it as an option)");
    resolveInProject(projectRoot, testFile, { action: "run" });
  }
}
