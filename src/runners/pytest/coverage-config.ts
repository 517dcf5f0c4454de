// The project's own coverage.py settings, read by coverage itself: what a run measures follows them, never overrides them.
import { runProcess } from "../../process/run.js";

/** What the project's coverage configuration decides about a run. */
export interface ProjectCoverage {
  /** The configuration file coverage read (.coveragerc, setup.cfg, tox.ini or pyproject.toml), or null. */
  configFile: string | null;
  /** Whether it names what to measure ([run] source, source_pkgs or include). */
  choosesFiles: boolean;
  /** Whether it sets [run] dynamic_context itself: per-test contexts are then the project's, not pytest-cov's. */
  dynamicContext: boolean;
}

/** redgreen's pytest plugin that names one coverage context per test (redgreen_test_contexts.py, next to this file). */
const CONTEXTS_PLUGIN = "redgreen_test_contexts";

/** pytest-cov must import; coverage then reports the settings it read from the project's files, as it reads them. */
const PROBE = [
  "import json, pytest_cov, coverage",
  "c = coverage.Coverage().config",
  "chooses = bool(c.source or c.source_pkgs or c.run_include)",
  "print(json.dumps({'configFile': c.config_file, 'choosesFiles': chooses, 'dynamicContext': bool(c.dynamic_context)}))",
].join("\n");

/** The project's coverage settings, or why coverage cannot be measured with `python` (pytest-cov missing, a broken config). */
export async function probeProjectCoverage(
  python: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ ok: true; project: ProjectCoverage } | { ok: false; problem: string }> {
  try {
    const r = await runProcess(python, ["-c", PROBE], { cwd, env, timeoutMs: 30_000 });
    if (r.exitCode === 0) {
      const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Partial<Record<keyof ProjectCoverage, unknown>>;
      const configFile = typeof out.configFile === "string" ? out.configFile : null;
      return { ok: true, project: { configFile, choosesFiles: out.choosesFiles === true, dynamicContext: out.dynamicContext === true } };
    }
    if (/No module named '?(pytest_cov|coverage)'?/.test(r.stderr)) {
      const install = `install it with: ${python} -m pip install pytest-cov`;
      return { ok: false, problem: `pytest-cov is not installed for ${python} (${install}); tests ran without coverage` };
    }
    const why = r.stderr.trim().split("\n").pop() ?? `exit code ${String(r.exitCode)}`;
    return { ok: false, problem: `coverage.py could not read the project's coverage settings (${why}); tests ran without coverage` };
  } catch (e) {
    return { ok: false, problem: `could not check for pytest-cov: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * pytest-cov arguments for a run writing its JSON report to `covJson`. A project whose settings name what to measure
 * gets a bare --cov (its source/include apply); any other is measured under its root. Omit, branch and the report
 * settings always come from the project's files (pytest-cov reads them). `contexts` records which test ran each line,
 * for the per-test coverage map: "plugin" by redgreen's plugin (one context a test, named by its node id), "pytest-cov"
 * by pytest-cov's test contexts ("nodeid|setup", "|run", "|teardown": three data writes a test instead of one).
 */
export function coverageArgs(p: {
  projectRoot: string;
  project: ProjectCoverage;
  covJson: string;
  append: boolean;
  contexts: "plugin" | "pytest-cov" | null;
}): string[] {
  // --cov-report right after a bare --cov: the next word can never be taken for --cov's optional value.
  const args = [p.project.choosesFiles ? "--cov" : `--cov=${p.projectRoot}`, `--cov-report=json:${p.covJson}`];
  if (p.append) args.push("--cov-append");
  if (p.contexts === "plugin") args.push("-p", CONTEXTS_PLUGIN);
  else if (p.contexts === "pytest-cov") args.push("--cov-context=test");
  return args;
}
