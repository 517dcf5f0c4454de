// The JS test-file rules (naming, snapshots, setup files, config names) and the runners' file arguments for folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isJsTestPath } from "../../../src/analysis/language.js";
import {
  isJsSetupPath,
  isVitestOrViteConfigName,
  isWholeJsTestConfigName,
  setupFilesInConfigText,
  setupFilesInPackageJson,
} from "../../../src/runners/js/config-files.js";
import type { JsRunArgs } from "../../../src/runners/js/js-adapter.js";
import { jestArgs, jestOpenHandleNote, jestPathPatterns } from "../../../src/runners/jest/adapter.js";
import { vitestArgs } from "../../../src/runners/vitest/adapter.js";

const scratch = mkdtempSync(join(tmpdir(), "redgreen-js-test-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("isJsTestPath", () => {
  it("counts test scripts, __tests__ and snapshots, nothing else", () => {
    for (const rel of [
      "tests/cart.test.ts",
      "src/cart.spec.tsx",
      "src/__tests__/cart.ts",
      "tests/__snapshots__/cart.test.ts.snap",
      "src/cart.snap",
      "src/__snapshots__/receipt.txt",
      "./src\\__tests__\\cart.js",
    ]) {
      expect([rel, isJsTestPath(rel)]).toEqual([rel, true]);
    }
    for (const rel of ["src/cart.ts", "tests/helpers.ts", "src/snapshot.ts", "src/testing.ts", "src/contest.spec"])
      expect([rel, isJsTestPath(rel)]).toEqual([rel, false]);
  });
});

describe("JS setup and config files", () => {
  it("knows setup files by convention", () => {
    for (const rel of [
      "jest.setup.ts",
      "vitest.setup.mjs",
      "src/setupTests.js",
      "test/setup.ts",
      "tests/setup.cjs",
      "packages/a/tests/setup.tsx",
    ])
      expect([rel, isJsSetupPath(rel)]).toEqual([rel, true]);
    for (const rel of ["setup.ts", "src/setup.ts", "tests/setup.json", "jest.setup.md", "scripts/setup-tests.ts"])
      expect([rel, isJsSetupPath(rel)]).toEqual([rel, false]);
  });

  it("has one list of config names, vitest's workspace file included", () => {
    expect(
      ["vitest.config.ts", "vitest.workspace.ts", "vitest.workspace.json", "vitest.projects.mjs", "jest.config.json"].every(
        isWholeJsTestConfigName,
      ),
    ).toBe(true);
    expect(["vite.config.ts", "package.json", "tsconfig.json"].some(isWholeJsTestConfigName)).toBe(false);
    expect(isVitestOrViteConfigName("vite.config.mts")).toBe(true);
    expect(isVitestOrViteConfigName("jest.config.js")).toBe(false);
  });

  it("reads the setup files a config's text names, project files only", () => {
    const jest = `module.exports = {
      setupFiles: ["<rootDir>/support/env.ts", "jest-extended/all"],
      "setupFilesAfterEnv": ['./support/matchers.js'],
      globalSetup: \`<rootDir>/support/global.ts\`,
      testMatch: ["<rootDir>/tests/**/*.test.ts"],
    };`;
    expect(setupFilesInConfigText(jest).sort()).toEqual(["support/env.ts", "support/global.ts", "support/matchers.js"]);
    const vitest =
      `export default defineConfig({ test: { setupFiles: "./vitest.setup.ts", setupFilesAfterEach: ["../outside.ts", "/abs/x.ts"] } ` +
      `});`;
    expect(setupFilesInConfigText(vitest)).toEqual(["vitest.setup.ts"]);
    expect(
      setupFilesInPackageJson(
        JSON.stringify({ jest: { setupFilesAfterEnv: ["<rootDir>/test-utils/dom.ts"], setupFiles: "./env.js" } }),
      ).sort(),
    ).toEqual(["env.js", "test-utils/dom.ts"]);
    expect(setupFilesInPackageJson("{ not json")).toEqual([]);
  });
});

const runArgs = (files: string[], folders: string[]): JsRunArgs => ({
  ...{ files, folders, related: [], namePattern: null },
  ...{ reportFile: "/r.json", reporter: "/rep.js", testTimeoutMs: 1000, coverageDir: null },
});

describe("file arguments for folders", () => {
  it("gives jest exact paths by --runTestsByPath, and path patterns when a folder is asked for", () => {
    expect(jestArgs(runArgs(["/p/tests/a.test.ts"], [])).slice(-2)).toEqual(["--runTestsByPath", "/p/tests/a.test.ts"]);
    const args = jestArgs(runArgs(["/p/tests/unit", "/p/tests/a.test.ts"], ["/p/tests/unit"]));
    expect(args).not.toContain("--runTestsByPath");
    expect(args.slice(-2)).toEqual(["/p/tests/unit/", "/p/tests/a\\.test\\.ts$"]);
  });

  it("matches a folder by both spellings of a symlinked path, and nothing beside it", () => {
    const real = join(scratch, "real");
    mkdirSync(join(real, "tests"), { recursive: true });
    symlinkSync(real, join(scratch, "link"), "dir");
    const patterns = jestPathPatterns(join(scratch, "link", "tests") + "/", true);
    expect(patterns).toHaveLength(2);
    const re = patterns.map((p) => new RegExp(p, "i"));
    expect(re.map((r) => r.test(join(real, "tests", "a.test.ts")))).toEqual([false, true]);
    expect(re.map((r) => r.test(join(scratch, "link", "tests", "a.test.ts")))).toEqual([true, false]);
    expect(re.some((r) => r.test(join(real, "tests2", "a.test.ts")))).toBe(false);
  });

  it("gives vitest a folder with a trailing slash, so its substring filter skips sibling folders", () => {
    expect(vitestArgs("/p", runArgs(["/p/tests", "/p/lib/", "/p/x.test.ts"], ["/p/tests", "/p/lib/"])).slice(-3)).toEqual([
      "/p/tests/",
      "/p/lib/",
      "/p/x.test.ts",
    ]);
  });
});

describe("jestOpenHandleNote", () => {
  it("notes a handle left open from a stop after the report or from jest's own output", () => {
    expect(jestOpenHandleNote("", 2.04)).toMatch(
      /^jest did not exit after the run finished: a test left a timer, socket or other handle open .*stopped jest 2\.0 s after/,
    );
    expect(jestOpenHandleNote("A worker process has failed to exit gracefully and has been force exited...", null)).toMatch(
      /^a jest worker did not exit/,
    );
    expect(jestOpenHandleNote("Tests: 3 passed, 3 total", null)).toBeNull();
  });
});
