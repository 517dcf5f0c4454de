// affectedTests: the pytest tests a change can reach, from the per-test coverage map or else the static import map, or why
// the whole suite must run.
import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { splitNodeId } from "../../domain/node-id.js";
import type { PerTestCoverage } from "../adapter.js";
import { changedFileList } from "../changed-files.js";
import type { StaticImports } from "./import-map.js";

/** Files pytest or coverage.py read their settings from: a change to one can change any test. */
const CONFIG_FILES = new Set(["pytest.ini", ".pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", ".coveragerc"]);

/** What an affected-tests run selects: test node ids and whole test files, or the reason to run the whole suite. */
export type AffectedTests =
  { ok: true; changedFiles: string[]; select: string[] } | { ok: false; changedFiles: string[]; fallback: string };

export interface AffectedContext {
  projectRoot: string;
  /** The map of the last full run, or null with `whyMissing` saying why. */
  map: (PerTestCoverage & { ranAtImport(file: string): boolean }) | null;
  /** Without a coverage map: the static import map, or null with `whyMissing` saying why there is neither. */
  imports: StaticImports | null;
  whyMissing: string;
  /** Whether pytest defines tests or settings in this project-relative file (test modules, conftests, its config). */
  isTestFile: (relPath: string) => boolean;
}

/**
 * File granularity: a changed file selects every test whose contexts executed any of its lines. A changed test module
 * runs whole (it may have gained tests the map never saw). The whole suite runs instead when there is no map, or a
 * changed file is a conftest or config file, is not measured by the map (new, or outside the coverage settings), or
 * ran only at import, outside every test (module-level code any test may read). A measured file no test executed
 * selects nothing. Without a coverage map the static import map selects, by test file (see importedBy).
 */
export function affectedTests(changed: readonly string[], ctx: AffectedContext): AffectedTests {
  const changedFiles = changedFileList(changed, ctx.projectRoot);
  const fallback = (why: string): AffectedTests => ({ ok: false, changedFiles, fallback: why });
  if (ctx.map === null && ctx.imports === null) return fallback(ctx.whyMissing);
  const wholeFiles: string[] = [];
  const ids = new Set<string>();
  const importing = new Set<string>();
  for (const file of changedFiles) {
    const base = posix.basename(file);
    if (base === "conftest.py") return fallback(`${file} is a conftest.py, which can change any test`);
    if (CONFIG_FILES.has(base) || (!file.endsWith(".py") && ctx.isTestFile(file))) {
      return fallback(`${file} is a configuration file, which can change any test`);
    }
    const testModule = ctx.isTestFile(file);
    if (testModule && existsSync(join(ctx.projectRoot, file))) wholeFiles.push(file);
    if (ctx.map === null) {
      const why = ctx.imports === null ? ctx.whyMissing : importedBy(file, testModule, ctx.imports, importing);
      if (why !== null) return fallback(why);
      continue;
    }
    const covering = ctx.map.testsCovering(file);
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
  const byFile = new Map<string, string[]>();
  for (const id of ids) {
    const { testFile } = splitNodeId(id);
    if (whole.has(testFile)) continue;
    const list = byFile.get(testFile);
    if (list) list.push(id);
    else byFile.set(testFile, [id]);
  }
  const select = [...importing].filter((f) => !whole.has(f) && existsSync(join(ctx.projectRoot, f)));
  const inMap = byFile.size > 0 && ctx.map !== null ? testsPerFile(ctx.map.tests()) : new Map<string, number>();
  for (const [file, list] of byFile) {
    if (!existsSync(join(ctx.projectRoot, file))) continue;
    // Every test the map knows in a file: the file itself, which keeps pytest's command line short on big suites.
    if (list.length === inMap.get(file)) select.push(file);
    else select.push(...list);
  }
  return { ok: true, changedFiles, select: [...select, ...wholeFiles] };
}

/**
 * Adds the test files that import a changed file (directly, through project modules, or through a conftest.py above
 * them) to `into`, or says why the static map cannot tell: a file that is not Python or not among the project's Python
 * files, one in a star-import cycle, one nothing imports statically (importlib, __import__, plugins, entry points).
 */
function importedBy(file: string, testModule: boolean, imports: StaticImports, into: Set<string>): string | null {
  if (!file.endsWith(".py")) return `${file} is not a Python file, which the static import map cannot follow`;
  const found = imports.testFilesImporting(file);
  if (found === null) {
    return testModule ? null : `${file} is not in the static import map (a deleted file, or outside the project's Python files)`;
  }
  const cycle = imports.starCycle(file);
  if (cycle !== null) return `${file} is in a star-import cycle (${cycle.join(" -> ")}), whose names depend on import order`;
  if (found.length === 0 && !testModule) {
    return `nothing imports ${file} statically (it may be loaded dynamically: importlib, __import__, a plugin)`;
  }
  for (const f of found) into.add(f);
  return null;
}

/** How many tests of each test file the map measured. */
function testsPerFile(tests: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of tests) {
    const { testFile } = splitNodeId(id);
    out.set(testFile, (out.get(testFile) ?? 0) + 1);
  }
  return out;
}
