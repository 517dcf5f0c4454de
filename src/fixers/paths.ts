// resolveProjectFile: maps an edit's project-relative path to a real file, refusing anything outside the project.
import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { RedgreenError } from "../domain/errors.js";

/** A project file an edit may touch: its normalised relative path and absolute real path (symlinks resolved). */
export interface ProjectFile {
  /** The real file's path relative to the real project root (symlinks resolved), forward slashes. */
  rel: string;
  /** The real path of the file (what gets read and written). */
  real: string;
}

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

const isInside = (root: string, target: string): boolean => {
  const r = relative(root, target);
  return r !== "" && r !== ".." && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};

const escape = (rel: string, why: string): RedgreenError =>
  new RedgreenError("usage", `refusing to edit ${JSON.stringify(rel)}: ${why}`);

/**
 * Resolves `rel` against the project root. Absolute paths, `..` escapes and symlinks whose target lies outside the
 * project are refused with RedgreenError("usage"); a missing file is RedgreenError("path_not_found").
 */
export async function resolveProjectFile(projectRoot: string, rel: string): Promise<ProjectFile> {
  if (rel === "" || rel.includes("\0")) throw escape(rel, "not a file path");
  if (isAbsolute(rel) || WINDOWS_ABSOLUTE.test(rel)) throw escape(rel, "absolute paths are not allowed, use a path relative to the project root");
  const root = resolve(projectRoot);
  const abs = resolve(root, rel);
  if (!isInside(root, abs)) throw escape(rel, "the path leaves the project root");
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
  } catch (cause) {
    throw new RedgreenError("path_not_found", `project root ${root} does not exist`, { cause });
  }
  try {
    real = await realpath(abs);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new RedgreenError("path_not_found", `no such file in the project: ${rel}`, { cause });
    throw new RedgreenError("io_error", `cannot resolve ${rel}: ${(cause as Error).message}`, { cause });
  }
  if (!isInside(realRoot, real)) throw escape(rel, "it resolves (through a symlink) to a file outside the project root");
  // The real file's own path: a symlink into tests/ is a test file, whatever name it was reached by.
  return { rel: relative(realRoot, real).split(sep).join("/"), real };
}
