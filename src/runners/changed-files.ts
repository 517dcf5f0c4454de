// changedFileList: the files an affected-tests run was given, as project-relative posix paths, each once.
import { isAbsolute, posix } from "node:path";
import { projectRelativePath } from "../analysis/frames.js";

/** Changed files as project-relative posix paths (absolute paths inside the project made relative), in order, each once. */
export function changedFileList(changed: readonly string[], projectRoot: string): string[] {
  const rel = (file: string): string => {
    const inside = isAbsolute(file) ? projectRelativePath(file, projectRoot) : null;
    return posix.normalize((inside ?? file).replace(/\\/g, "/")).replace(/^\.\//, "");
  };
  return [...new Set(changed.map(rel))];
}
