// The vitest standby's launcher: node with `vitest/node` loaded (what a fresh `vitest run` loads before it reads the project).
import { nodeStandbyLauncher } from "../js/standby.js";
import type { StandbyLauncher } from "../standby.js";

/**
 * The standby launcher for vitest's `bin`, or null when its bin is not an ES module node runs by its shebang. The module
 * loaded ahead is the package's "./node" export: in vitest 2.1, 3.2 and 4.1 it loads only modules a fresh `vitest run`
 * loads before it loads the project's config, and its own file, which only declares and re-exports.
 */
export const vitestStandbyLauncher = (bin: string): StandbyLauncher | null => nodeStandbyLauncher("vitest", bin, "./node");
