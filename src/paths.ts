// Paths to files shipped inside the package (pytest plugin, python helper, data catalogs).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the nearest folder above this file holding package.json (works from src/ and dist/src/). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "src"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("redgreen: package root not found");
    dir = up;
  }
})();

/** Absolute path of a shipped catalog in data/. */
export const dataPath = (name: string): string => join(packageRoot, "data", name);

/** Absolute path of a Python file shipped in src/ (always the source tree; .py files are not compiled). */
export const pythonSourcePath = (...segments: string[]): string => join(packageRoot, "src", ...segments);
