// The jest TestRunnerAdapter: jest with `--json`, redgreen's progress reporter, never in watch mode.
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { escapeRegExp } from "../../parsers/escape-regexp.js";
import { packageRoot } from "../../paths.js";
import type { TestRunnerAdapter } from "../adapter.js";
import { JsRunnerAdapter, type JsAdapterOptions, type JsRunArgs, type JsRunnerSpec } from "../js/js-adapter.js";
import { checkProjectRoot } from "../project-root.js";
import { findNodeBin } from "../js/project-files.js";
import { JEST_CONFIG_RE } from "../js/config-files.js";

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
  if (p.folders.length > 0) {
    // --runTestsByPath matches no test under a folder: every entry becomes a path pattern instead (jest tests it
    // case-insensitively against the absolute path), and the adapter keeps only results of the requested paths.
    args.push(...p.files.flatMap((f) => jestPathPatterns(f, p.folders.includes(f))));
  } else if (p.files.length > 0) {
    // Exact paths instead of jest's default regular-expression path patterns.
    args.push("--runTestsByPath", ...p.files);
  }
  return args;
}

/**
 * jest path patterns matching exactly one absolute file, or everything under one absolute folder: one per spelling
 * of a path reached through a symlink. Each starts with "/", which makes jest match it against the absolute path,
 * where it cannot match later in a longer path that starts the same way.
 */
export function jestPathPatterns(absPath: string, folder: boolean): string[] {
  const path = absPath.replace(/\/+$/, "");
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    /* a missing path: the run reports it */
  }
  return [...new Set([path, real])].map((p) => (folder ? `${escapeRegExp(p)}/` : `${escapeRegExp(p)}$`));
}

/** What jest's output and a stop after its report say about handles a test left open. */
export function jestOpenHandleNote(output: string, lingered: number | null): string | null {
  const hint = "run jest with --detectOpenHandles to find it";
  if (lingered !== null) {
    return `jest did not exit after the run finished: a test left a timer, socket or other handle open (${hint}); redgreen stopped jest ${lingered.toFixed(1)} s after its report was written`;
  }
  if (/A worker process has failed to exit gracefully/.test(output)) {
    return `a jest worker did not exit after its tests: a test left a timer, socket or other handle open (${hint}); jest stopped the worker`;
  }
  if (/Jest did not exit .* after the test run has completed/.test(output)) return `jest did not exit after the run finished: a test left a handle open (${hint})`;
  return null;
}

/**
 * How long jest may keep running after its JSON report is complete: jest writes the report after coverage, then waits
 * for every handle the tests left open (forever for a setInterval). Its own notice comes after one second.
 */
export const JEST_EXIT_GRACE_MS = 2000;

/** Creates the jest adapter for a project; throws path_not_found for a missing root and runner_failed when jest is not installed. */
export async function createJestAdapter(opts: JestAdapterOptions): Promise<TestRunnerAdapter> {
  const projectRoot = checkProjectRoot(opts.projectRoot);
  const bin = findNodeBin(projectRoot, "jest");
  if (!bin) throw new RedgreenError("runner_failed", `jest is not installed in ${projectRoot}: run npm install`);
  const spec: JsRunnerSpec = {
    name: "jest",
    bin,
    reporter: join(packageRoot, "src", "runners", "jest", "progress-reporter.cjs"),
    isConfigName: (base) => JEST_CONFIG_RE.test(base),
    args: jestArgs,
    coverageProblem: () => null,
    preferReporterErrors: false,
    exitGraceMs: JEST_EXIT_GRACE_MS,
    openHandleNote: jestOpenHandleNote,
  };
  return new JsRunnerAdapter(spec, { ...opts, projectRoot });
}
