// The jest TestRunnerAdapter: jest with `--json`, redgreen's progress reporter, never in watch mode.
import { join } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { packageRoot } from "../../paths.js";
import type { TestRunnerAdapter } from "../adapter.js";
import { checkProjectRoot, JsRunnerAdapter, type JsAdapterOptions, type JsRunArgs, type JsRunnerSpec } from "../js/js-adapter.js";
import { findNodeBin } from "../js/project-files.js";
import { JEST_CONFIG_RE } from "../js/test-files.js";

/** Options of the jest adapter. */
export type JestAdapterOptions = JsAdapterOptions;

/** jest's command line for one run. */
export function jestArgs(p: JsRunArgs): string[] {
  const args = [
    "--ci",
    "--watchAll=false",
    "--json",
    `--outputFile=${p.reportFile}`,
    `--reporters=${p.reporter}`,
    `--testTimeout=${p.testTimeoutMs}`,
    "--passWithNoTests",
    "--no-colors",
  ];
  if (p.namePattern !== null) args.push(`--testNamePattern=${p.namePattern}`);
  if (p.coverageDir !== null) {
    args.push("--coverage", "--coverageProvider=v8", "--coverageReporters=json-summary", "--coverageReporters=json", `--coverageDirectory=${p.coverageDir}`);
  }
  // Exact paths instead of jest's default regular-expression path patterns.
  if (p.files.length > 0) args.push("--runTestsByPath", ...p.files);
  return args;
}

/** Creates the jest adapter for a project; throws path_not_found for a missing root and runner_failed when jest is not installed. */
export async function createJestAdapter(opts: JestAdapterOptions): Promise<TestRunnerAdapter> {
  const projectRoot = checkProjectRoot(opts.projectRoot);
  const bin = findNodeBin(projectRoot, "jest");
  if (!bin) throw new RedgreenError("runner_failed", `jest is not installed in ${projectRoot}: run npm install`);
  const spec: JsRunnerSpec = {
    name: "jest",
    bin,
    reporter: join(packageRoot, "src", "runners", "jest", "progress-reporter.cjs"),
    configRe: JEST_CONFIG_RE,
    args: jestArgs,
    coverageProblem: () => null,
    preferReporterErrors: false,
  };
  return new JsRunnerAdapter(spec, { ...opts, projectRoot });
}
