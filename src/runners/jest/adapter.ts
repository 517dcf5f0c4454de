// The jest TestRunnerAdapter: jest with `--json`, redgreen's progress reporter, never in watch mode.
import { readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { RedgreenError } from "../../domain/errors.js";
import { escapeRegExp } from "../../parsers/escape-regexp.js";
import { packageRoot } from "../../paths.js";
import type { TestRunnerAdapter } from "../adapter.js";
import { JsRunnerAdapter, type JsAdapterOptions, type JsRunArgs, type JsRunnerSpec } from "../js/js-adapter.js";
import { checkProjectRoot } from "../project-root.js";
import { findRunnerBin } from "../js/project-files.js";
import { JEST_CONFIG_RE, readTextOrEmpty } from "../js/config-files.js";
import { workspacesUsing } from "../detect.js";
import { runnerCliPackage, versionAtLeast } from "../js/runner-version.js";

/** Options of the jest adapter. */
export type JestAdapterOptions = JsAdapterOptions;

/** The version-dependent options of a jest CLI. */
export interface JestOptionSupport {
  /** --testTimeout (jest-cli 24.9+); older jest keeps its own per-test default (5 s, or jest.setTimeout in the project). */
  testTimeout: boolean;
  /** --coverageProvider (jest 25+); older jest measures coverage with babel-plugin-istanbul, its only provider. */
  coverageProvider: boolean;
}

/** Every option redgreen passes: jest 25 and later. */
export const ALL_JEST_OPTIONS: JestOptionSupport = { testTimeout: true, coverageProvider: true };

/** What a jest CLI of this version accepts (null: unknown version, assumed current). */
export function jestOptionSupport(version: string | null): JestOptionSupport {
  if (version === null) return ALL_JEST_OPTIONS;
  return { testTimeout: versionAtLeast(version, "24.9.0"), coverageProvider: versionAtLeast(version, "25.0.0") };
}

/**
 * The workspace folders jest must run as its projects (each with its own config) at a monorepo root that has no jest
 * config of its own; [] elsewhere. Without them jest would run every workspace's tests with the root's defaults.
 */
export function jestWorkspaceProjects(projectRoot: string): string[] {
  const entries = readdirSync(projectRoot);
  if (entries.some((n) => JEST_CONFIG_RE.test(n))) return [];
  if (entries.includes("package.json") && /"jest"\s*:\s*\{/.test(readTextOrEmpty(join(projectRoot, "package.json")))) return [];
  return workspacesUsing(projectRoot, "jest").map((dir) => join(projectRoot, dir));
}

/** jest's command line for one run; `projects` are absolute folders for jest's --projects (none: the root is the project). */
export function jestArgs(p: JsRunArgs, support: JestOptionSupport = ALL_JEST_OPTIONS, projects: readonly string[] = []): string[] {
  // jest ignores an option it does not know when it is spelt --name=value: passing one would silently change nothing.
  const args = ["--ci", "--watchAll=false", "--json", `--outputFile=${p.reportFile}`, `--reporters=${p.reporter}`];
  args.push(...projects.map((dir) => `--projects=${dir}`));
  if (support.testTimeout && p.testTimeoutMs !== null) args.push(`--testTimeout=${p.testTimeoutMs}`);
  args.push("--passWithNoTests", "--no-colors");
  if (p.namePattern !== null) args.push(`--testNamePattern=${p.namePattern}`);
  if (p.coverageDir !== null) {
    args.push("--coverage", ...(support.coverageProvider ? ["--coverageProvider=v8"] : []));
    args.push("--coverageReporters=json-summary", "--coverageReporters=json", `--coverageDirectory=${p.coverageDir}`);
  }
  if (p.related.length > 0) {
    // The test files whose imports reach the changed files (jest resolves them through its haste map).
    args.push("--findRelatedTests", ...p.related);
  } else if (p.folders.length > 0) {
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
    return (
      `jest did not exit after the run finished: a test left a timer, socket or other handle open (${hint}); redgreen stopped jest ` +
      `${lingered.toFixed(1)} s after its report was written`
    );
  }
  if (/A worker process has failed to exit gracefully/.test(output)) {
    return (
      `a jest worker did not exit after its tests: a test left a timer, socket or other handle open (${hint}); jest stopped the ` + `worker`
    );
  }
  if (/Jest did not exit .* after the test run has completed/.test(output))
    return `jest did not exit after the run finished: a test left a handle open (${hint})`;
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
  const bin = findRunnerBin(projectRoot, "jest");
  if (!bin) throw new RedgreenError("runner_failed", `jest is not installed in ${projectRoot}: run npm install`);
  // The options are jest-cli's: jest's bin forwards to it, and jest@24.8.0 may come with jest-cli 24.9.
  const version = runnerCliPackage(bin, "jest-cli")?.version ?? null;
  const support = jestOptionSupport(version);
  const projects = jestWorkspaceProjects(projectRoot);
  const spec: JsRunnerSpec = {
    name: "jest",
    bin,
    version,
    reporter: join(packageRoot, "src", "runners", "jest", "progress-reporter.cjs"),
    // jest's bin is CommonJS: an import would not run it as require.main.
    standby: null,
    isConfigName: (base) => JEST_CONFIG_RE.test(base),
    args: (p) => jestArgs(p, support, projects),
    coverageProblem: () => null,
    preferReporterErrors: false,
    exitGraceMs: JEST_EXIT_GRACE_MS,
    openHandleNote: jestOpenHandleNote,
  };
  return new JsRunnerAdapter(spec, { ...opts, projectRoot });
}
