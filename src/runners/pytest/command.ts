// The pytest command line and environment of one run: the bundled plugin, JUnit XML only without it, coverage, bytecode.
import { pythonSourcePath } from "../../paths.js";
import type { BytecodeCache } from "./bytecode-cache.js";
import { coverageArgs, type ProjectCoverage } from "./coverage-config.js";

/** The bundled plugin's module name and the folder put first on PYTHONPATH for it. */
const PLUGIN_MODULE = "redgreen_pytest_plugin";
const PLUGIN_DIR = pythonSourcePath("runners", "pytest");

export function pytestArgs(p: {
  projectRoot: string;
  /** The adapter's own extra pytest arguments (before the files). */
  pytestArgs: readonly string[] | undefined;
  files: string[];
  junit: string;
  verbose: boolean;
  usePlugin: boolean;
  covJson: string | null;
  coverage: ProjectCoverage | null;
  covAppend: boolean;
  contexts: boolean;
  extra: readonly string[];
}): string[] {
  const args = ["-m", "pytest"];
  if (p.usePlugin) args.push("-p", PLUGIN_MODULE);
  // JUnit XML costs pytest ~5% of a run: it is only written when the plugin's stream is not there.
  if (!p.usePlugin) {
    // xunit1 keeps the file attribute, so node ids can be rebuilt exactly from the XML.
    args.push(`--junitxml=${p.junit}`, "-o", "junit_family=xunit1");
  }
  args.push(
    "--color=no",
    `--rootdir=${p.projectRoot}`,
    // One run should show every broken module, not stop at the first collection error.
    "--continue-on-collection-errors",
    // --verbosity sets the level outright (-q would add to a project's own -q): pytest's summary line, the second
    // result channel, is only printed above -2.
    p.verbose ? "--verbosity=1" : "--verbosity=-1",
  );
  if (p.covJson && p.coverage) {
    const { projectRoot } = p;
    // Without redgreen's plugins on the path (the plugin could not load), pytest-cov names the contexts.
    const contexts = !p.contexts ? null : p.usePlugin ? "plugin" : "pytest-cov";
    args.push(...coverageArgs({ projectRoot, project: p.coverage, covJson: p.covJson, append: p.covAppend, contexts }));
  }
  args.push(...(p.pytestArgs ?? []), ...p.files, ...p.extra);
  return args;
}

/**
 * What every run's environment has in common over `base`: redgreen's plugins on PYTHONPATH, no colours. The rest
 * (pytestEnv's) is per run: a standby starts with this and is told the rest (redgreen_standby.py's RUN_VARIABLES).
 */
export function pytestStartEnv(base: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...base, PYTHONPATH: base.PYTHONPATH ? `${PLUGIN_DIR}:${base.PYTHONPATH}` : PLUGIN_DIR, PY_COLORS: "0" };
}

export function pytestEnv(p: {
  /** The test process's environment before redgreen's variables. */
  base: Record<string, string | undefined>;
  hangGraceSeconds: number | undefined;
  bytecode: BytecodeCache;
  usePlugin: boolean;
  jsonl: string;
  testTimeout: number;
  deselectFile: string | null;
  selectFile: string | null;
  covData: string;
}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...pytestStartEnv(p.base),
    REDGREEN_JSONL: p.jsonl,
    REDGREEN_TEST_TIMEOUT: String(p.testTimeout),
    REDGREEN_HARD_GRACE: String(p.hangGraceSeconds ?? 5),
    // Keeps pytest-cov's data file out of the project.
    COVERAGE_FILE: p.covData,
  };
  // Bytecode lives in this adapter's own folder, never in the project's __pycache__: a file restored within
  // the same second as its fixed version was compiled can never run from stale bytecode (see invalidateCaches).
  // The plugin switches to the folder once pytest is imported: a fresh PYTHONPYCACHEPREFIX would make the first run
  // recompile the standard library and pytest (about as long again as a warm run of 1,000 tests).
  if (p.usePlugin) {
    env.REDGREEN_PYCACHE_PREFIX = p.bytecode.dir();
    env.REDGREEN_PYCACHE_SEED_BEFORE = String(p.bytecode.seedBefore());
  } else {
    env.PYTHONPYCACHEPREFIX = p.bytecode.dir();
  }
  if (p.deselectFile) env.REDGREEN_DESELECT_FILE = p.deselectFile;
  else delete env.REDGREEN_DESELECT_FILE;
  if (p.selectFile) env.REDGREEN_SELECT_FILE = p.selectFile;
  else delete env.REDGREEN_SELECT_FILE;
  return env;
}
