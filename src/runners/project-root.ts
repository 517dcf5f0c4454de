// checkProjectRoot: the project folder every adapter runs in, checked once when the adapter is created.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { RedgreenError } from "../domain/errors.js";

/** Checks the project root and returns it resolved; throws path_not_found when it is not a folder. */
export function checkProjectRoot(projectRoot: string): string {
  const root = resolve(projectRoot);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new RedgreenError("path_not_found", `Project folder not found: ${root}`);
  return root;
}
