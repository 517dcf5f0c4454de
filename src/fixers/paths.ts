// resolveProjectFile: maps an edit's project-relative path to a real file, refusing anything outside the project.
import { isAbsolute } from "node:path";
import { refusePath, resolveInProject } from "../project-path.js";
import type { ProjectPath } from "../project-path.js";

/** A project file an edit may touch: its normalised relative path and absolute real path (symlinks resolved). */
export type ProjectFile = ProjectPath;

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/**
 * Resolves `rel` against the project root (the one path policy, src/project-path.ts). Absolute paths, `..` escapes
 * and symlinks whose target lies outside the project are refused with RedgreenError("usage"); a missing file is
 * RedgreenError("path_not_found").
 */
export async function resolveProjectFile(projectRoot: string, rel: string): Promise<ProjectFile> {
  if (isAbsolute(rel) || WINDOWS_ABSOLUTE.test(rel))
    throw refusePath("edit", rel, "absolute paths are not allowed, use a path relative to the project root");
  const file = resolveInProject(projectRoot, rel, { action: "edit", mustExist: true });
  // file.rel is the real file's own path: a symlink into tests/ is a test file, whatever name it was reached by.
  if (file.rel === "") throw refusePath("edit", rel, "not a file path");
  return Promise.resolve(file);
}
