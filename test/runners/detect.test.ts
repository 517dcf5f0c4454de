// detectRunner on small temp projects: config files first, then package.json, then Python signals.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { detectRunner } from "../../src/runners/detect.js";
import { fixturePath } from "../helpers/python-env.js";

const root = mkdtempSync(join(tmpdir(), "redgreen-detect-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A temp project holding the given files. */
function project(files: Record<string, string>): string {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const pkg = (data: object): string => JSON.stringify(data);

describe("detectRunner", () => {
  it.each([
    [{ "vitest.config.ts": "export default {}" }, "vitest", "vitest.config.ts found"],
    [{ "vite.config.mts": "export default { test: { globals: true } }" }, "vitest", "vite.config.mts has a test block"],
    [
      { "vitest.workspace.ts": "export default ['packages/*']", "package.json": pkg({ devDependencies: { jest: "30" } }) },
      "vitest",
      "vitest.workspace.ts found",
    ],
    [{ "jest.config.cjs": "module.exports = {}" }, "jest", "jest.config.cjs found"],
    [{ "package.json": pkg({ jest: { testEnvironment: "node" } }) }, "jest", 'package.json has a "jest" key'],
    [
      { "package.json": pkg({ scripts: { test: "vitest run" }, devDependencies: { jest: "30" } }) },
      "vitest",
      "package.json scripts.test runs vitest",
    ],
    [{ "package.json": pkg({ scripts: { test: "jest --ci" } }) }, "jest", "package.json scripts.test runs jest"],
    [{ "package.json": pkg({ devDependencies: { vitest: "^4" } }) }, "vitest", "vitest is in package.json devDependencies"],
    [{ "package.json": pkg({ dependencies: { jest: "^30" } }) }, "jest", "jest is in package.json dependencies"],
    [{ "pyproject.toml": "[tool.pytest.ini_options]\n" }, "pytest", "pyproject.toml configures pytest"],
    [{ "setup.cfg": "[tool:pytest]\n" }, "pytest", "setup.cfg configures pytest"],
    [{ "conftest.py": "" }, "pytest", "conftest.py found"],
    [{ "tests/test_x.py": "def test_x(): pass\n" }, "pytest", "Python test files found"],
    [{ "README.md": "hi" }, "pytest", "no JavaScript test runner found; pytest is the default"],
  ] as const)("%j → %s", async (files, runner, reason) => {
    // Only a project where nothing names a runner gets pytest as the fallback default.
    expect(await detectRunner(project(files))).toEqual({ runner, reason, fallback: reason.endsWith("pytest is the default") });
  });

  it("ignores a vite config without a test block", async () => {
    const r = await detectRunner(
      project({ "vite.config.ts": "export default { plugins: [] }", "package.json": pkg({ devDependencies: { jest: "30" } }) }),
    );
    expect(r).toEqual({ runner: "jest", reason: "jest is in package.json devDependencies", fallback: false });
  });

  it("recognises the fixture projects", async () => {
    for (const fixture of ["passing", "failing", "empty", "hanging"]) {
      expect((await detectRunner(fixturePath("vitest", fixture))).runner).toBe("vitest");
      expect((await detectRunner(fixturePath("jest", fixture))).runner).toBe("jest");
      expect((await detectRunner(fixturePath("pytest", "passing"))).runner).toBe("pytest");
    }
  });
});

describe("detectRunner at a monorepo root", () => {
  const vitestWs = (name: string): Record<string, string> => ({ [`${name}/package.json`]: pkg({ devDependencies: { vitest: "^4" } }) });
  const jestWs = (name: string): Record<string, string> => ({
    [`${name}/package.json`]: pkg({}),
    [`${name}/jest.config.js`]: "module.exports = {}",
  });
  const npmRoot = { "package.json": pkg({ workspaces: ["packages/*"] }) };

  it("takes the runner every npm workspace names, and says which workspaces and why", async () => {
    const root = project({ ...npmRoot, ...vitestWs("packages/a"), ...vitestWs("packages/b"), "packages/c/README.md": "" });
    expect(await detectRunner(root)).toEqual({
      runner: "vitest",
      reason:
        "the workspaces (package.json workspaces) use vitest: packages/a, packages/b (packages/a: vitest is in package.json " +
        "devDependencies)",
      fallback: false,
    });
  });

  it("reads yarn's {packages}, pnpm-workspace.yaml (with a negated pattern) and lerna.json (packages/* by default)", async () => {
    const yarn = project({ "package.json": pkg({ workspaces: { packages: ["libs/*"] } }), ...jestWs("libs/x") });
    expect((await detectRunner(yarn)).reason).toBe(
      "the workspaces (package.json workspaces) use jest: libs/x (libs/x: jest.config.js found)",
    );
    const yaml = "packages:\n  - 'apps/*'\n  - \"!apps/legacy\"\nother: 1\n";
    const pnpm = project({ "package.json": pkg({}), "pnpm-workspace.yaml": yaml, ...jestWs("apps/web"), ...vitestWs("apps/legacy") });
    const pnpmReason = "the workspaces (pnpm-workspace.yaml) use jest: apps/web (apps/web: jest.config.js found)";
    expect(await detectRunner(pnpm)).toMatchObject({ runner: "jest", reason: pnpmReason });
    const lerna = project({ "package.json": pkg({}), "lerna.json": pkg({ version: "1.0.0" }), ...vitestWs("packages/one") });
    const lernaReason = expect.stringContaining("(lerna.json) use vitest: packages/one") as unknown;
    expect(await detectRunner(lerna)).toMatchObject({ runner: "vitest", reason: lernaReason });
  });

  it("prefers the root's own runner to its workspaces'", async () => {
    const root = project({
      "package.json": pkg({ workspaces: ["packages/*"], devDependencies: { jest: "30" } }),
      ...vitestWs("packages/a"),
    });
    expect(await detectRunner(root)).toEqual({ runner: "jest", reason: "jest is in package.json devDependencies", fallback: false });
  });

  it("stops with one line naming the runners when the workspaces disagree", async () => {
    const root = project({ ...npmRoot, ...vitestWs("packages/a"), ...jestWs("packages/b"), ...jestWs("packages/c") });
    const err = await detectRunner(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedgreenError);
    expect((err as RedgreenError).code).toBe("config");
    expect((err as RedgreenError).message).toBe(
      `the workspaces of ${root} (package.json workspaces) use different test runners: vitest in packages/a; jest in packages/b, ` +
        `packages/c; ` +
        "run redgreen in one workspace, or choose with --runner",
    );
  });

  it("says a monorepo without a runner fell back to pytest", async () => {
    const root = project({ "package.json": pkg({ workspaces: ["packages/*"] }), "packages/a/package.json": pkg({}) });
    expect(await detectRunner(root)).toEqual({
      runner: "pytest",
      reason: "no test runner found in the root or the workspaces of this monorepo (package.json workspaces); pytest is the default",
      fallback: true,
    });
  });
});
