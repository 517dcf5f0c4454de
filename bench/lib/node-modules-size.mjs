// The weight of a node_modules tree: MB on disk (du) and the packages in it (package.json files at package roots).
// As a command, `node bench/lib/node-modules-size.mjs [DIR]` prints one line for DIR (default ./node_modules).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Packages under a node_modules directory, nested node_modules included; `.bin` and other dot entries are not packages. */
export function packageCount(nodeModules) {
  if (!existsSync(nodeModules)) return 0;
  let count = 0;
  const visit = (dir) => {
    count += existsSync(join(dir, "package.json")) ? 1 : 0;
    const nested = join(dir, "node_modules");
    if (existsSync(nested)) count += packageCount(nested);
  };
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith("@")) for (const scoped of readdirSync(path)) visit(join(path, scoped));
    else visit(path);
  }
  return count;
}

/** Disk usage of a directory in MB, as `du -sk` counts it (the directory itself may be a link; links inside are not followed). */
export const diskMb = (dir) => {
  const kb = Number(execFileSync("du", ["-sk", realpathSync(dir)], { encoding: "utf8" }).split("\t")[0]);
  return Math.round((kb / 1024) * 10) / 10;
};

/** Both numbers for one node_modules directory. */
export const measureNodeModules = (nodeModules) => ({ mb: diskMb(nodeModules), packages: packageCount(nodeModules) });

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? "node_modules");
  const { mb, packages } = measureNodeModules(dir);
  process.stdout.write(`node_modules: ${mb} MB, ${packages} packages (${dir})\n`);
}
