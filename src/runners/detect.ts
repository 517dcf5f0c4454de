// detectRunner: which test runner a project uses (vitest, jest or pytest), from its config files and package.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isPytestTestFile } from "../parsers/pytest-frames.js";
import type { RunnerName } from "./adapter.js";
import { isVitestConfigName, JEST_CONFIG_RE, readTextOrEmpty, VITE_CONFIG_RE } from "./js/config-files.js";

/** The runner a project uses and a short sentence saying why. */
export interface DetectedRunner {
  runner: RunnerName;
  reason: string;
}

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
  if (entries.some((n) => isPytestTestFile(n))) return true;
  for (const dir of ["tests", "test"]) {
    try {
      if (readdirSync(join(root, dir)).some((n) => n.endsWith(".py"))) return true;
    } catch {
      /* no such folder */
    }
  }
  return false;
}

/**
 * Detects the runner of a project, most explicit signal first: a vitest config or workspace file (or a vite config with a
 * test block), a jest config or package.json "jest" key, the runner named in package.json scripts.test,
 * then dependencies; pytest otherwise (with the Python signal that was found, if any).
 */
export async function detectRunner(projectRoot: string): Promise<DetectedRunner> {
  let entries: string[] = [];
  try {
    entries = readdirSync(projectRoot);
  } catch {
    /* a missing folder falls through to pytest, whose adapter reports it */
  }
  const vitestConfig = entries.find(isVitestConfigName);
  if (vitestConfig) return { runner: "vitest", reason: `${vitestConfig} found` };
  const viteConfig = entries.find((n) => VITE_CONFIG_RE.test(n) && /\btest\s*:/.test(readTextOrEmpty(join(projectRoot, n))));
  if (viteConfig) return { runner: "vitest", reason: `${viteConfig} has a test block` };
  const jestConfig = entries.find((n) => JEST_CONFIG_RE.test(n));
  if (jestConfig) return { runner: "jest", reason: `${jestConfig} found` };
  const pkg = entries.includes("package.json") ? readPackageJson(projectRoot) : null;
  if (pkg) {
    if (pkg.jest !== undefined) return { runner: "jest", reason: 'package.json has a "jest" key' };
    const script = typeof pkg.scripts?.test === "string" ? pkg.scripts.test : "";
    if (/\bvitest\b/.test(script)) return { runner: "vitest", reason: "package.json scripts.test runs vitest" };
    if (/\bjest\b/.test(script)) return { runner: "jest", reason: "package.json scripts.test runs jest" };
    for (const field of ["devDependencies", "dependencies"] as const) {
      const deps = pkg[field] ?? {};
      if ("vitest" in deps) return { runner: "vitest", reason: `vitest is in package.json ${field}` };
      if ("jest" in deps) return { runner: "jest", reason: `jest is in package.json ${field}` };
    }
  }
  const pyFile = entries.find((n) => PYTEST_FILES.includes(n));
  if (pyFile) return { runner: "pytest", reason: `${pyFile} found` };
  if (entries.includes("pyproject.toml") && /\[tool\.pytest/.test(readTextOrEmpty(join(projectRoot, "pyproject.toml")))) {
    return { runner: "pytest", reason: "pyproject.toml configures pytest" };
  }
  if (entries.includes("setup.cfg") && /\[tool:pytest\]/.test(readTextOrEmpty(join(projectRoot, "setup.cfg")))) {
    return { runner: "pytest", reason: "setup.cfg configures pytest" };
  }
  if (hasPythonTests(projectRoot, entries)) return { runner: "pytest", reason: "Python test files found" };
  if (entries.includes("pyproject.toml") || entries.includes("setup.py")) return { runner: "pytest", reason: "a Python project (pyproject.toml or setup.py) found" };
  return { runner: "pytest", reason: existsSync(projectRoot) ? "no JavaScript test runner found; pytest is the default" : "project folder not found; pytest is the default" };
}
