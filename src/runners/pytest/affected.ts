// affectedTests: the pytest tests a change can reach, from the per-test coverage map, or why the whole suite must run.
import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { splitNodeId } from "../../domain/node-id.js";
import type { PerTestCoverage } from "../adapter.js";
import { changedFileList } from "../changed-files.js";

/** Files pytest or coverage.py read their settings from: a change to one can change any test. */
const CONFIG_FILES = new Set(["pytest.ini", ".pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", ".coveragerc"]);

/** What an affected-tests run selects: test node ids and whole test files, or the reason to run the whole suite. */
export type AffectedTests =
  | { ok: true; changedFiles: string[]; select: string[] }
  | { ok: false; changedFiles: string[]; fallback: string };

export interface AffectedContext {
  projectRoot: string;
  /** The map of the last full run, or null with `whyMissing` saying why. */
  map: (PerTestCoverage & { ranAtImport(file: string): boolean }) | null;
  whyMissing: string;
  /** Whether pytest defines tests or settings in this project-relative file (test modules, conftests, its config). */
  isTestFile: (relPath: string) => boolean;
}

/**
 * File granularity: a changed file selects every test whose contexts executed any of its lines. A changed test module
 * runs whole (it may have gained tests the map never saw). The whole suite runs instead when there is no map, or a
 * changed file is a conftest or config file, is not measured by the map (new, or outside the coverage settings), or
 * ran only at import, outside every test (module-level code any test may read). A measured file no test executed
 * selects nothing.
 */
export function affectedTests(changed: readonly string[], ctx: AffectedContext): AffectedTests {
  const changedFiles = changedFileList(changed, ctx.projectRoot);
  const fallback = (why: string): AffectedTests => ({ ok: false, changedFiles, fallback: why });
  if (ctx.map === null) return fallback(ctx.whyMissing);
  const wholeFiles: string[] = [];
  const ids = new Set<string>();
  for (const file of changedFiles) {
    const base = posix.basename(file);
    if (base === "conftest.py") return fallback(`${file} is a conftest.py, which can change any test`);
    if (CONFIG_FILES.has(base) || (!file.endsWith(".py") && ctx.isTestFile(file))) {
      return fallback(`${file} is a configuration file, which can change any test`);
    }
    const covering = ctx.map.testsCovering(file);
    const testModule = ctx.isTestFile(file);
    if (testModule && existsSync(join(ctx.projectRoot, file))) wholeFiles.push(file);
    if (covering === null) {
      if (testModule) continue;
      return fallback(`${file} is not measured by the per-test coverage map (a new file, or outside the coverage settings)`);
    }
    if (covering.length === 0 && !testModule && ctx.map.ranAtImport(file)) {
      return fallback(`${file} ran only at import, outside every test (module-level code any test may depend on)`);
    }
    for (const id of covering) ids.add(id);
  }
  const whole = new Set(wholeFiles);
  const select = [...ids].filter((id) => {
    const { testFile } = splitNodeId(id);
    return !whole.has(testFile) && existsSync(join(ctx.projectRoot, testFile));
  });
  return { ok: true, changedFiles, select: [...select, ...wholeFiles] };
}
