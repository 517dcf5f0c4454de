// Installs an old jest or vitest from the registry once into test/.cache/<runner>-<version>, for tests of redgreen against it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/paths.js";

/**
 * The node_modules folder of a jest installed alone at exactly `version` (jest@23.6.0: 610 packages, 79 MB, about
 * a minute with a cold npm cache). Too large to be a devDependency every `npm ci` pays for; the stamp written after a
 * complete install makes later runs reuse it.
 */
export const ensureOldJest = (version: string): string => ensureOldRunner("jest", version);

/** The node_modules folder of `runner` installed alone at exactly `version` (vitest@2.1.9: about 30 s cold). */
export function ensureOldRunner(runner: "jest" | "vitest", version: string): string {
  const dir = join(packageRoot, "test", ".cache", `${runner}-${version}`);
  const modules = join(dir, "node_modules");
  const stamp = join(dir, ".installed");
  if (existsSync(stamp) && existsSync(join(modules, ".bin", runner))) return modules;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, devDependencies: { [runner]: version } }, null, 2)}\n`);
  const args = ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];
  execFileSync("npm", args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  writeFileSync(stamp, `${version}\n`);
  return modules;
}
