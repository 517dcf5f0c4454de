// The version of the JS runner a project has installed, read from the package.json of the package that implements its CLI.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** A package's name and version as its package.json states them. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** The folder holding its package.json. */
  dir: string;
}

function readPackage(dir: string): InstalledPackage | null {
  try {
    const data = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
    return typeof data.name === "string" && typeof data.version === "string" ? { name: data.name, version: data.version, dir } : null;
  } catch {
    return null;
  }
}

/** The package a file belongs to: the nearest folder above it with a package.json that names a version. */
function owningPackage(file: string): InstalledPackage | null {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) {
      const pkg = readPackage(dir);
      if (pkg) return pkg;
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The package implementing the CLI behind a node_modules/.bin entry, or null when it cannot be read. `cliPackage` names
 * the package that defines the options when the bin's own package only forwards to it (jest's bin runs jest-cli, whose
 * version may differ: jest@24.8.0 installs jest-cli@^24.8.0).
 */
export function runnerCliPackage(bin: string, cliPackage?: string): InstalledPackage | null {
  let owner: InstalledPackage | null;
  try {
    owner = owningPackage(realpathSync(bin));
  } catch {
    return null;
  }
  if (!owner || cliPackage === undefined || owner.name === cliPackage) return owner;
  try {
    const manifest = createRequire(join(owner.dir, "package.json")).resolve(`${cliPackage}/package.json`);
    return readPackage(dirname(manifest)) ?? owner;
  } catch {
    return owner; // the forwarding package has no separate CLI package installed
  }
}

/** Whether a version ("24.8.0", "30.0.0-alpha.2") is at least `min` ("24.9"); an unreadable version counts as new enough. */
export function versionAtLeast(version: string, min: string): boolean {
  const parse = (v: string): number[] | null => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
  };
  const have = parse(version);
  const want = parse(min);
  if (!have || !want) return true;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}
