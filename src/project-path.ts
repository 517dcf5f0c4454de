// The one path policy: a path a caller names (tool argument, edit, stack frame) is used only if its real path is inside the project.
import { readFileSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { RedgreenError } from "./domain/errors.js";

/** A path inside the project: relative to the real root (forward slashes) and absolute with symlinks resolved. */
export interface ProjectPath {
  rel: string;
  real: string;
}

/** Whether `target` is `root` itself or lies below it (both absolute, already resolved). */
export function isInside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === "" || (r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** The real path of the nearest existing ancestor (itself included) with the missing rest appended; null when nothing resolves. */
function realThroughAncestors(abs: string): string | null {
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(at) === at) return null;
      missing.push(basename(at));
      at = dirname(at);
    }
  }
}

/** What the caller does with the path, for the refusal message ("refusing to run ..."). */
export type PathAction = "edit" | "read" | "run";

export const refusePath = (action: PathAction, path: string, why: string): RedgreenError =>
  new RedgreenError("usage", `refusing to ${action} ${JSON.stringify(path)}: ${why}`);

/**
 * Resolves `path` (relative to the project root, or absolute) with every symlink followed and refuses it with
 * RedgreenError("usage") unless the result lies inside the real project root. A path that does not exist is
 * resolved through its nearest existing folder (so a symlinked folder cannot smuggle it out); with `mustExist`
 * it is RedgreenError("path_not_found") instead.
 */
export function resolveInProject(projectRoot: string, path: string, opts: { action: PathAction; mustExist?: boolean }): ProjectPath {
  const refuse = (why: string): RedgreenError => refusePath(opts.action, path, why);
  if (path === "" || path.includes("\0")) throw refuse("not a file path");
  let realRoot: string;
  try {
    realRoot = realpathSync(projectRoot);
  } catch (cause) {
    throw new RedgreenError("path_not_found", `project root ${resolve(projectRoot)} does not exist`, { cause });
  }
  const abs = resolve(projectRoot, path);
  if (!isInside(resolve(projectRoot), abs) && !isInside(realRoot, abs)) throw refuse("the path leaves the project root");
  let real: string | null;
  try {
    real = realpathSync(abs);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR")
      throw new RedgreenError("io_error", `cannot resolve ${path}: ${(cause as Error).message}`, { cause });
    if (opts.mustExist) throw new RedgreenError("path_not_found", `no such file in the project: ${path}`, { cause });
    real = realThroughAncestors(abs);
  }
  if (real === null || !isInside(realRoot, real)) throw refuse("it resolves (through a symlink) to a file outside the project root");
  return { rel: relative(realRoot, real).split(sep).join("/"), real };
}

/** The text of a file inside the project, or null when it is outside, missing or unreadable (analysis reads only through this). */
export function readProjectText(projectRoot: string, path: string): string | null {
  try {
    return readFileSync(resolveInProject(projectRoot, path, { action: "read", mustExist: true }).real, "utf8");
  } catch {
    return null;
  }
}
