// The vitest/jest configuration file names and setup files: the one definition detection, the adapters and the validator share.
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { pathSegments } from "../../domain/node-id.js";

/** vitest's own config file (every setting in it is a test setting). */
export const VITEST_CONFIG_RE = /^vitest\.config\.[cm]?[jt]s$/;
/** vitest's workspace / projects file (older vitest; every setting is a test setting). */
export const VITEST_WORKSPACE_RE = /^vitest\.(?:workspace|projects)\.(?:[cm]?[jt]s|json)$/;
/** vite's config file: only its `test` block is vitest's. */
export const VITE_CONFIG_RE = /^vite\.config\.[cm]?[jt]s$/;
/** jest's config file (every setting in it is a test setting). */
export const JEST_CONFIG_RE = /^jest\.config\.(?:[cm]?[jt]s|json)$/;

/** Whether a file name is a vitest config or workspace file (vite's config not included). */
export const isVitestConfigName = (base: string): boolean => VITEST_CONFIG_RE.test(base) || VITEST_WORKSPACE_RE.test(base);
/** Whether a file name is a config file vitest reads: its own, its workspace's, or vite's. */
export const isVitestOrViteConfigName = (base: string): boolean => isVitestConfigName(base) || VITE_CONFIG_RE.test(base);
/** Whether a file name is a file whose every setting is a vitest/jest test setting (vite's config is not: only its `test` block is). */
export const isWholeJsTestConfigName = (base: string): boolean => isVitestConfigName(base) || JEST_CONFIG_RE.test(base);

const SCRIPT = String.raw`\.[cm]?[jt]sx?$`;
/** Setup files by convention: jest.setup.*, vitest.setup.*, setupTests.* (create-react-app), test/setup.* and tests/setup.*. */
const SETUP_NAME_RE = new RegExp(String.raw`^(?:jest\.setup|vitest\.setup|setupTests)${SCRIPT}`);
const SETUP_IN_TEST_DIR_RE = new RegExp(String.raw`^setup${SCRIPT}`);

/** Whether a project-relative path is a test setup file by naming convention (the files a runner's setupFiles usually name). */
export function isJsSetupPath(relPath: string): boolean {
  const { dirs, base } = pathSegments(relPath);
  if (SETUP_NAME_RE.test(base)) return true;
  const dir = dirs[dirs.length - 1];
  return (dir === "test" || dir === "tests") && SETUP_IN_TEST_DIR_RE.test(base);
}

/** The config keys whose values name setup files (setupFilesAfterEach is not jest's, but appears in hand-written configs). */
const SETUP_KEYS = ["setupFiles", "setupFilesAfterEnv", "setupFilesAfterEach", "globalSetup", "globalTeardown"];
// A regular expression over the config's text, not an evaluation of it: a config is code (it may compute these
// values), but the values are string literals in practice, and reading them costs no TypeScript parse or Node process.
const SETUP_VALUE_RE = new RegExp(
  String.raw`["']?\b(?:${SETUP_KEYS.join("|")})["']?\s*:\s*(\[[^\]]*\]|"[^"\n]*"|'[^'\n]*'|\x60[^\x60\n]*\x60)`,
  "g",
);
const STRING_RE = /"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`/g;

/** Turns a setup-file value into a project-relative path, or null for a package or a path outside the project. */
function projectPath(value: string): string | null {
  const v = value.replace(/^<rootDir>\//, "").replace(/\\/g, "/");
  if (v === "" || posix.isAbsolute(v) || /^[a-z]+:/i.test(v)) return null;
  // A bare name ("jest-extended/all") is a package; a project file is spelled ./x or with a folder and an extension.
  if (!v.startsWith(".") && !/\.[cm]?[jt]sx?$/.test(v)) return null;
  const rel = posix.normalize(v);
  return rel.startsWith("../") ? null : rel;
}

/** The project-relative setup files a vitest/jest config text names in setupFiles, setupFilesAfterEnv, globalSetup and the like. */
export function setupFilesInConfigText(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SETUP_VALUE_RE)) {
    for (const s of m[1]!.matchAll(STRING_RE)) {
      const rel = projectPath(s[1] ?? s[2] ?? s[3] ?? "");
      if (rel !== null) out.add(rel);
    }
  }
  return [...out];
}

/** The setup files package.json's "jest" key names. */
export function setupFilesInPackageJson(text: string): string[] {
  let jest: unknown;
  try {
    jest = (JSON.parse(text) as { jest?: unknown }).jest;
  } catch {
    return [];
  }
  if (!jest || typeof jest !== "object") return [];
  const out = new Set<string>();
  for (const key of SETUP_KEYS) {
    const value = (jest as Record<string, unknown>)[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      const rel = typeof v === "string" ? projectPath(v) : null;
      if (rel !== null) out.add(rel);
    }
  }
  return [...out];
}

/** A file's text, or "" when it cannot be read (a config that is missing or unreadable names nothing). */
export function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The setup files named by the config files (`configNames`, in the project root) and by package.json; unreadable files name none. */
export function configuredSetupFiles(projectRoot: string, configNames: string[]): Set<string> {
  const read = (name: string): string => readTextOrEmpty(join(projectRoot, name));
  const out = new Set<string>(setupFilesInPackageJson(read("package.json")));
  for (const name of configNames) for (const rel of setupFilesInConfigText(read(name))) out.add(rel);
  return out;
}
