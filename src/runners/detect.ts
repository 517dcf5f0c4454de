// detectRunner: which test runner a project uses (vitest, jest or pytest), from its config files and package.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPytestTestModule } from "../analysis/language.js";
import { RedgreenError } from "../domain/errors.js";
import type { RunnerChoice, RunnerName } from "../domain/runner-choice.js";
import { isVitestConfigName, JEST_CONFIG_RE, readTextOrEmpty, VITE_CONFIG_RE } from "./js/config-files.js";
import { findWorkspaces, type Workspaces } from "./js/workspaces.js";

/** The runner a project uses and a short sentence saying why (the CLI's RunnerChoice). */
export type DetectedRunner = RunnerChoice;

const PYTEST_FILES = ["pytest.ini", "conftest.py", "tox.ini"];

interface PackageJson {
  jest?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

function readPackageJson(root: string): PackageJson | null {
  try {
    const data: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    return data && typeof data === "object" ? (data as PackageJson) : null;
  } catch {
    return null;
  }
}

/** Whether the folder (or its tests/ and test/ folders) holds Python test modules. */
function hasPythonTests(root: string, entries: string[]): boolean {
  if (entries.some((n) => isPytestTestModule(n))) return true;
  for (const dir of ["tests", "test"]) {
    try {
      if (readdirSync(join(root, dir)).some((n) => n.endsWith(".py"))) return true;
    } catch {
      /* no such folder */
    }
  }
  return false;
}

/** The JS runner a folder's own config files, package.json "jest" key, scripts.test or dependencies name, else null. */
function jsRunnerSignal(root: string, entries: readonly string[]): DetectedRunner | null {
  const found = (runner: "vitest" | "jest", reason: string): DetectedRunner => ({ runner, reason, fallback: false });
  const vitestConfig = entries.find(isVitestConfigName);
  if (vitestConfig) return found("vitest", `${vitestConfig} found`);
  const viteConfig = entries.find((n) => VITE_CONFIG_RE.test(n) && /\btest\s*:/.test(readTextOrEmpty(join(root, n))));
  if (viteConfig) return found("vitest", `${viteConfig} has a test block`);
  const jestConfig = entries.find((n) => JEST_CONFIG_RE.test(n));
  if (jestConfig) return found("jest", `${jestConfig} found`);
  const pkg = entries.includes("package.json") ? readPackageJson(root) : null;
  if (!pkg) return null;
  if (pkg.jest !== undefined) return found("jest", 'package.json has a "jest" key');
  const script = typeof pkg.scripts?.test === "string" ? pkg.scripts.test : "";
  if (/\bvitest\b/.test(script)) return found("vitest", "package.json scripts.test runs vitest");
  if (/\bjest\b/.test(script)) return found("jest", "package.json scripts.test runs jest");
  for (const field of ["devDependencies", "dependencies"] as const) {
    const deps = pkg[field] ?? {};
    if ("vitest" in deps) return found("vitest", `vitest is in package.json ${field}`);
    if ("jest" in deps) return found("jest", `jest is in package.json ${field}`);
  }
  return null;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // a missing or unreadable folder names nothing
  }
}

/** "a, b, c" or "a, b and 3 more". */
const someOf = (names: readonly string[]): string =>
  names.length <= 3 ? names.join(", ") : `${names.slice(0, 2).join(", ")} and ${names.length - 2} more`;

/**
 * The runner a monorepo root's workspaces share: each workspace's own signal, the one runner they name, or null when
 * none names one. Throws `config` (one line naming them) when workspaces name different runners.
 */
function workspaceRunner(root: string, ws: Workspaces): DetectedRunner | null {
  const byRunner = new Map<RunnerName, string[]>();
  let example = "";
  for (const dir of ws.dirs) {
    const signal = jsRunnerSignal(join(root, dir), listDir(join(root, dir)));
    if (!signal) continue;
    byRunner.set(signal.runner, [...(byRunner.get(signal.runner) ?? []), dir]);
    example ||= `${dir}: ${signal.reason}`;
  }
  if (byRunner.size === 0) return null;
  if (byRunner.size > 1) {
    const which = [...byRunner].map(([runner, dirs]) => `${runner} in ${someOf(dirs)}`).join("; ");
    throw new RedgreenError(
      "config",
      `the workspaces of ${root} (${ws.source}) use different test runners: ${which}; run redgreen in one workspace, or choose ` +
        `with --runner`,
    );
  }
  const [runner, dirs] = [...byRunner][0]!;
  return { runner, reason: `the workspaces (${ws.source}) use ${runner}: ${someOf(dirs)} (${example})`, fallback: false };
}

/**
 * The project-relative workspaces of a monorepo root that name `runner` themselves (their own config, scripts.test or
 * devDependency); [] for a folder that declares no workspaces.
 */
export function workspacesUsing(root: string, runner: "vitest" | "jest"): string[] {
  const ws = findWorkspaces(root, listDir(root));
  return (ws?.dirs ?? []).filter((dir) => jsRunnerSignal(join(root, dir), listDir(join(root, dir)))?.runner === runner);
}

/**
 * Detects the runner of a project, most explicit signal first: a vitest config or workspace file (or a vite config with a
 * test block), a jest config or package.json "jest" key, the runner named in package.json scripts.test, then
 * dependencies; at a monorepo root without one of those, the runner its workspaces share; pytest otherwise (with the
 * Python signal that was found, if any, else as the fallback default). Throws `config` when workspaces disagree.
 */
export async function detectRunner(projectRoot: string): Promise<DetectedRunner> {
  const entries = listDir(projectRoot); // a missing folder falls through to pytest, whose adapter reports it
  const own = jsRunnerSignal(projectRoot, entries);
  if (own) return own;
  const ws = findWorkspaces(projectRoot, entries);
  const shared = ws ? workspaceRunner(projectRoot, ws) : null;
  if (shared) return shared;
  const pytest = (reason: string): DetectedRunner => ({ runner: "pytest", reason, fallback: false });
  const pyFile = entries.find((n) => PYTEST_FILES.includes(n));
  if (pyFile) return pytest(`${pyFile} found`);
  if (entries.includes("pyproject.toml") && /\[tool\.pytest/.test(readTextOrEmpty(join(projectRoot, "pyproject.toml")))) {
    return pytest("pyproject.toml configures pytest");
  }
  if (entries.includes("setup.cfg") && /\[tool:pytest\]/.test(readTextOrEmpty(join(projectRoot, "setup.cfg")))) {
    return pytest("setup.cfg configures pytest");
  }
  if (hasPythonTests(projectRoot, entries)) return pytest("Python test files found");
  if (entries.includes("pyproject.toml") || entries.includes("setup.py"))
    return pytest("a Python project (pyproject.toml or setup.py) found");
  const nothing = ws
    ? `no test runner found in the root or the workspaces of this monorepo (${ws.source}); pytest is the default`
    : "no JavaScript test runner found; pytest is the default";
  return {
    runner: "pytest",
    reason: existsSync(projectRoot) ? nothing : "project folder not found; pytest is the default",
    fallback: true,
  };
}
