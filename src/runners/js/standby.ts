// The JS runners' standby launcher: `node standby.mjs BIN MODULE` (standby.mjs), with the runner's modules loaded ahead.
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { packageRoot } from "../../paths.js";
import type { StandbyLauncher } from "../standby.js";

/** The standby's script, shipped beside its resolve hook (standby-hooks.mjs). */
const STANDBY_SCRIPT = join(packageRoot, "src", "runners", "js", "standby.mjs");
/** redgreen's files a standby loads. */
export const STANDBY_FILES: readonly string[] = [STANDBY_SCRIPT, join(dirname(STANDBY_SCRIPT), "standby-hooks.mjs")];
/** What node runs a bin with when the bin's first line says so: the `node` the run's PATH finds, as the standby's is. */
const NODE_SHEBANG = "#!/usr/bin/env node";

/**
 * How the runs of a JS runner's `bin` get their standby, or null when none can stand in for `bin`: only an ES module
 * (its real file ends in .mjs) that node runs by its shebang; a CommonJS bin would be require.main, which an import is
 * not. `module` is the runner package's export a fresh run loads too (vitest's "./node"), loaded ahead; null or one the
 * package does not export: the standby saves node's start only. No standby starts where NODE_OPTIONS is set.
 */
export function nodeStandbyLauncher(runner: string, bin: string, module: string | null): StandbyLauncher | null {
  let entry: string;
  try {
    entry = realpathSync(bin);
    if (!entry.endsWith(".mjs") || readFileSync(entry, "utf8").split("\n", 1)[0]!.trimEnd() !== NODE_SHEBANG) return null;
  } catch {
    return null;
  }
  const ahead = module === null ? null : packageExport(entry, module);
  return {
    runner,
    file: "node",
    args: [STANDBY_SCRIPT, bin, ...(ahead === null ? [] : [ahead])],
    // standby.mjs's ORDER_FD: its stdin stays /dev/null, as a fresh run's (Node cannot dup2 it there after the order).
    orderFd: 4,
    orderArgs: (file, args) => (file === bin ? [...args] : null),
    startable: (_cwd, env) => !env.NODE_OPTIONS,
  };
}

/** The file the package holding `file` (its nearest package.json) exports as `subpath` ("./node") to `import`, or null. */
function packageExport(file: string, subpath: string): string | null {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    let pkg: { exports?: Record<string, unknown> };
    try {
      pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof pkg;
    } catch {
      continue;
    }
    const path = importTarget(pkg.exports?.[subpath]);
    return path !== null && path.startsWith("./") ? join(dir, path) : null;
  }
  return null;
}

/** An exports entry's target for `import` under node (its "import", "node" or "default" condition, nested or not). */
const importTarget = (target: unknown): string | null => {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object") return null;
  const conditions = target as Record<string, unknown>;
  return importTarget(conditions.import ?? conditions.node ?? conditions.default);
};
