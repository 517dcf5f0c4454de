// The vitest TestRunnerAdapter: `vitest run` with the JSON reporter and redgreen's progress reporter.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { packageRoot } from "../../paths.js";
import type { TestRunnerAdapter } from "../adapter.js";
import { JsRunnerAdapter, type JsAdapterOptions, type JsRunArgs, type JsRunnerSpec } from "../js/js-adapter.js";
import { checkProjectRoot } from "../project-root.js";
import { findNodePackage, findRunnerBin } from "../js/project-files.js";
import { isVitestOrViteConfigName } from "../js/config-files.js";
import { runnerCliPackage, versionAtLeast } from "../js/runner-version.js";
import { workspacesUsing } from "../detect.js";
import { vitestStandbyLauncher } from "./standby.js";

/** Options of the vitest adapter. */
export type VitestAdapterOptions = JsAdapterOptions;

/** Why vitest cannot measure coverage in this project, or null when @vitest/coverage-v8 is installed. */
export function vitestCoverageProblem(projectRoot: string): string | null {
  return findNodePackage(projectRoot, "@vitest/coverage-v8")
    ? null
    : "@vitest/coverage-v8 is not installed (npm install -D @vitest/coverage-v8); tests ran without coverage";
}

/**
 * The workspace folders vitest must run as its projects at a monorepo root without a vitest or vite config of its own,
 * when at least one of them has its own config (run from the root, vitest would ignore it); [] elsewhere. vitest's
 * `test.projects` needs vitest 3.2 or later; an older vitest runs from the root (null version: assumed current).
 */
export function vitestWorkspaceProjects(projectRoot: string, version: string | null): string[] {
  if (version !== null && !versionAtLeast(version, "3.2.0")) return [];
  if (readdirSync(projectRoot).some(isVitestOrViteConfigName)) return [];
  const dirs = workspacesUsing(projectRoot, "vitest").map((dir) => join(projectRoot, dir));
  return dirs.some((dir) => readdirSync(dir).some(isVitestOrViteConfigName)) ? dirs : [];
}

/** Writes a config naming the projects into the run's folder and returns its path; null without projects. */
function projectsConfig(runDir: string, projects: readonly string[]): string | null {
  if (projects.length === 0) return null;
  const path = join(runDir, "vitest.projects.config.mjs");
  const header = "// redgreen: the monorepo's workspaces as vitest projects, each with its own config.";
  const text = `${header}\nexport default { test: { projects: ${JSON.stringify(projects)} } };\n`;
  writeFileSync(path, text);
  return path;
}

/** vitest's command line for one run; `config` is a config file to use instead of the project's own (null: its own). */
export function vitestArgs(root: string, p: JsRunArgs, config: string | null = null): string[] {
  // `vitest related <files> --run`: only the test files whose imports reach the changed files.
  const args = [
    ...(p.related.length > 0 ? ["related", ...p.related, "--run"] : ["run"]),
    `--root=${root}`,
    ...(config !== null ? [`--config=${config}`] : []),
    "--reporter=json",
    `--outputFile.json=${p.reportFile}`,
    `--reporter=${p.reporter}`,
    "--passWithNoTests",
    "--no-color",
    // The results cache would be written into node_modules/.vite, which may be shared with other projects; the
    // progress reporter reads the project's cache instead, so the files still run in the order the project's runs use.
    "--no-cache",
  ];
  if (p.testTimeoutMs !== null) args.push(`--testTimeout=${p.testTimeoutMs}`);
  if (p.namePattern !== null) args.push(`--testNamePattern=${p.namePattern}`);
  if (p.coverageDir !== null) {
    args.push(
      "--coverage.enabled=true",
      "--coverage.provider=v8",
      // Without it vitest writes no coverage report when a test failed.
      "--coverage.reportOnFailure=true",
      "--coverage.reporter=json-summary",
      "--coverage.reporter=json",
      `--coverage.reportsDirectory=${p.coverageDir}`,
    );
  }
  // vitest filters test files by substring: a folder ends in "/" so that tests/ does not also select tests2/.
  args.push(...p.files.map((f) => (p.folders.includes(f) && !f.endsWith("/") ? `${f}/` : f)));
  return args;
}

/** Creates the vitest adapter for a project; throws path_not_found for a missing root and runner_failed when vitest is not installed. */
export async function createVitestAdapter(opts: VitestAdapterOptions): Promise<TestRunnerAdapter> {
  const projectRoot = checkProjectRoot(opts.projectRoot);
  const bin = findRunnerBin(projectRoot, "vitest");
  if (!bin) throw new RedgreenError("runner_failed", `vitest is not installed in ${projectRoot}: run npm install`);
  const version = runnerCliPackage(bin)?.version ?? null;
  const projects = vitestWorkspaceProjects(projectRoot, version);
  const spec: JsRunnerSpec = {
    name: "vitest",
    bin,
    version,
    reporter: join(packageRoot, "src", "runners", "vitest", "progress-reporter.mjs"),
    standby: vitestStandbyLauncher(bin),
    isConfigName: isVitestOrViteConfigName,
    args: (p) => vitestArgs(projectRoot, p, projectsConfig(dirname(p.reportFile), projects)),
    coverageProblem: () => vitestCoverageProblem(projectRoot),
    preferReporterErrors: true,
    // vitest ends its test workers itself; a handle left open in one does not keep vitest running.
    exitGraceMs: null,
    openHandleNote: () => null,
  };
  return new JsRunnerAdapter(spec, { ...opts, projectRoot });
}
