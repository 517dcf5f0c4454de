// The vitest TestRunnerAdapter: `vitest run` with the JSON reporter and redgreen's progress reporter.
import { join } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { packageRoot } from "../../paths.js";
import type { TestRunnerAdapter } from "../adapter.js";
import { JsRunnerAdapter, type JsAdapterOptions, type JsRunArgs, type JsRunnerSpec } from "../js/js-adapter.js";
import { checkProjectRoot } from "../project-root.js";
import { findNodeBin, findNodePackage } from "../js/project-files.js";
import { isVitestOrViteConfigName } from "../js/config-files.js";
import { runnerCliPackage } from "../js/runner-version.js";

/** Options of the vitest adapter. */
export type VitestAdapterOptions = JsAdapterOptions;

/** Why vitest cannot measure coverage in this project, or null when @vitest/coverage-v8 is installed. */
export function vitestCoverageProblem(projectRoot: string): string | null {
  return findNodePackage(projectRoot, "@vitest/coverage-v8") ? null : "@vitest/coverage-v8 is not installed (npm install -D @vitest/coverage-v8); tests ran without coverage";
}

/** vitest's command line for one run. */
export function vitestArgs(root: string, p: JsRunArgs): string[] {
  const args = [
    "run",
    `--root=${root}`,
    "--reporter=json",
    `--outputFile.json=${p.reportFile}`,
    `--reporter=${p.reporter}`,
    `--testTimeout=${p.testTimeoutMs}`,
    "--passWithNoTests",
    "--no-color",
    // The results cache would be written into node_modules/.vite, which may be shared with other projects.
    "--no-cache",
  ];
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
  const bin = findNodeBin(projectRoot, "vitest");
  if (!bin) throw new RedgreenError("runner_failed", `vitest is not installed in ${projectRoot}: run npm install`);
  const spec: JsRunnerSpec = {
    name: "vitest",
    bin,
    version: runnerCliPackage(bin)?.version ?? null,
    reporter: join(packageRoot, "src", "runners", "vitest", "progress-reporter.mjs"),
    isConfigName: isVitestOrViteConfigName,
    args: (p) => vitestArgs(projectRoot, p),
    coverageProblem: () => vitestCoverageProblem(projectRoot),
    preferReporterErrors: true,
    // vitest ends its test workers itself; a handle left open in one does not keep vitest running.
    exitGraceMs: null,
    openHandleNote: () => null,
  };
  return new JsRunnerAdapter(spec, { ...opts, projectRoot });
}
