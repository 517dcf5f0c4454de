// The pytest standby's launcher: `python -m redgreen_standby` (redgreen_standby.py), with pytest loaded before it is needed.
import { readdirSync } from "node:fs";
import type { StandbyLauncher } from "../standby.js";

/** The standby's module (src/runners/pytest/redgreen_standby.py), on the PYTHONPATH every plugin run has. */
const STANDBY_MODULE = "redgreen_standby";

/**
 * How `python`'s runs in a project get their standby: it takes a run of `python -m pytest ARGS` (ordered ARGS), and
 * starts in a plugin run's environment, where redgreen's modules are on the PYTHONPATH.
 */
export function pytestStandbyLauncher(python: string): StandbyLauncher {
  return {
    runner: "pytest",
    file: python,
    args: ["-m", STANDBY_MODULE],
    orderArgs: (file, args) => (file === python && args[0] === "-m" && args[1] === "pytest" ? args.slice(2) : null),
    startable: (cwd) => !shadowsStandby(cwd),
  };
}

/**
 * True when `python -m redgreen_standby` in `root` could import the project's own module of that name: the root comes
 * first on sys.path, before redgreen's folder, so that module would be handed the run's order. No standby starts there.
 * (A name that appears later is new to a started standby, which refuses its order.)
 */
function shadowsStandby(root: string): boolean {
  try {
    return readdirSync(root).some((name) => name === STANDBY_MODULE || name.startsWith(`${STANDBY_MODULE}.`));
  } catch {
    return true;
  }
}
