// detectRunner on small temp projects: config files first, then package.json, then Python signals.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
    [{ "vitest.workspace.ts": "export default ['packages/*']", "package.json": pkg({ devDependencies: { jest: "30" } }) }, "vitest", "vitest.workspace.ts found"],
    [{ "jest.config.cjs": "module.exports = {}" }, "jest", "jest.config.cjs found"],
    [{ "package.json": pkg({ jest: { testEnvironment: "node" } }) }, "jest", 'package.json has a "jest" key'],
    [{ "package.json": pkg({ scripts: { test: "vitest run" }, devDependencies: { jest: "30" } }) }, "vitest", "package.json scripts.test runs vitest"],
    [{ "package.json": pkg({ scripts: { test: "jest --ci" } }) }, "jest", "package.json scripts.test runs jest"],
    [{ "package.json": pkg({ devDependencies: { vitest: "^4" } }) }, "vitest", "vitest is in package.json devDependencies"],
    [{ "package.json": pkg({ dependencies: { jest: "^30" } }) }, "jest", "jest is in package.json dependencies"],
    [{ "pyproject.toml": "[tool.pytest.ini_options]\n" }, "pytest", "pyproject.toml configures pytest"],
    [{ "setup.cfg": "[tool:pytest]\n" }, "pytest", "setup.cfg configures pytest"],
    [{ "conftest.py": "" }, "pytest", "conftest.py found"],
    [{ "tests/test_x.py": "def test_x(): pass\n" }, "pytest", "Python test files found"],
    [{ "README.md": "hi" }, "pytest", "no JavaScript test runner found; pytest is the default"],
  ] as const)("%j → %s", async (files, runner, reason) => {
    expect(await detectRunner(project(files))).toEqual({ runner, reason });
  });

  it("ignores a vite config without a test block", async () => {
    const r = await detectRunner(project({ "vite.config.ts": "export default { plugins: [] }", "package.json": pkg({ devDependencies: { jest: "30" } }) }));
    expect(r).toEqual({ runner: "jest", reason: "jest is in package.json devDependencies" });
  });

  it("recognises the fixture projects", async () => {
    for (const fixture of ["passing", "failing", "empty", "hanging"]) {
      expect((await detectRunner(fixturePath("vitest", fixture))).runner).toBe("vitest");
      expect((await detectRunner(fixturePath("jest", fixture))).runner).toBe("jest");
      expect((await detectRunner(fixturePath("pytest", "passing"))).runner).toBe("pytest");
    }
  });
});
