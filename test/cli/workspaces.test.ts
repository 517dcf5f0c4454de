// The CLI at JS monorepo roots: the runner the workspaces share, said in text and --json; disagreement and a silent zero are errors.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RunSummarySchema, TestRunResultSchema } from "../../src/domain/index.js";
import { packageRoot } from "../../src/paths.js";
import { copyJsProject, copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { expectNoStackTrace, expectOneErrorLine, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A temp copy of test/fixtures/workspaces/<name>, node_modules linked to redgreen's own (vitest, jest). */
function workspacesCopy(name: string): string {
  const copy = copyJsProject(fixturePath("workspaces", name));
  cleanups.push(copy.cleanup);
  return copy.root;
}

const VITEST_REASON =
  "the workspaces (package.json workspaces) use vitest: packages/names, packages/prices (packages/names: package.json " +
  "scripts.test runs vitest)";

describe("redgreen at a JS monorepo root", () => {
  it("runs vitest over the npm workspaces as its projects and says so, in --json and in text", async () => {
    // The prices tests use their own config's globals: run from the root without it, they would fail on `describe`.
    const root = workspacesCopy("npm-vitest");
    const r = await runCli(["test", root, "--json", "-q", "--no-coverage"]);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as { runner: unknown };
    expect(out.runner).toEqual({ runner: "vitest", reason: VITEST_REASON, fallback: false });
    const result = TestRunResultSchema.parse(out);
    expect(result).toMatchObject({ status: "failed", passed: 2, failed: 1, total: 3 });
    expect(result.failures.map((f) => f.nodeId)).toEqual(["packages/prices/tests/prices.test.ts::withTax > rounds to the nearest cent"]);

    const text = await runCli(["test", root, "-q", "--no-coverage"]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`\nrunner: vitest (${VITEST_REASON})\nSaved as run `);
    expectNoStackTrace(text.stderr);
  }, 120_000);

  it("runs jest over the pnpm workspaces as its projects, each with its own config", async () => {
    const root = workspacesCopy("pnpm-jest");
    const r = await runCli(["test", root, "--json", "-q", "--no-coverage"]);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as { runner: { runner: string; reason: string } };
    expect(out.runner.runner).toBe("jest");
    expect(out.runner.reason).toBe(
      "the workspaces (pnpm-workspace.yaml) use jest: apps/shop, packages/cart (apps/shop: jest.config.cjs found)",
    );
    const result = TestRunResultSchema.parse(out);
    // cart's tests match only its own testMatch (*.check.js): jest found them because each workspace ran as a project.
    expect(result).toMatchObject({ status: "failed", passed: 2, failed: 1, total: 3 });
    expect(result.failures.map((f) => [f.nodeId, f.lineNumber])).toEqual([
      ["packages/cart/tests/cart.check.js::adds price times quantity", 5],
    ]);
    expect(result.testFiles).toEqual(["apps/shop/tests/greet.test.js", "packages/cart/tests/cart.check.js"]);
  }, 120_000);

  it("finds jest installed only in the workspaces, as pnpm installs them", async () => {
    const copy = copyProject(fixturePath("workspaces", "pnpm-jest"));
    cleanups.push(copy.cleanup);
    for (const ws of ["apps/shop", "packages/cart"])
      symlinkSync(join(packageRoot, "node_modules"), join(copy.root, ws, "node_modules"), "dir");
    const r = await runCli(["test", copy.root, "--json", "-q", "--no-coverage"]);
    expect(r.exitCode).toBe(1);
    expect(TestRunResultSchema.parse(JSON.parse(r.stdout))).toMatchObject({ status: "failed", passed: 2, failed: 1, total: 3 });
  }, 120_000);

  it("stops with one line naming the runners when the workspaces disagree", async () => {
    const root = workspacesCopy("npm-vitest");
    mkdirSync(join(root, "packages", "legacy"));
    writeFileSync(join(root, "packages", "legacy", "package.json"), JSON.stringify({ name: "legacy", devDependencies: { jest: "^30" } }));
    const r = await runCli(["test", root, "-q", "--no-coverage"]);
    expect(r.exitCode).toBe(2);
    const which = /use different test runners: jest in packages\/legacy; vitest in packages\/names, packages\/prices; run redgreen in one/;
    expectOneErrorLine(r.stderr, which);
  }, 60_000);

  it("never reports zero tests as success when pytest was only the default in a JS project", async () => {
    const root = workspacesCopy("npm-vitest");
    for (const ws of ["names", "prices"]) {
      writeFileSync(join(root, "packages", ws, "package.json"), JSON.stringify({ name: ws, private: true }));
      rmSync(join(root, "packages", ws, "vitest.config.ts"), { force: true });
    }
    const r = await runCli(["test", root, "--json", "-q", "--no-coverage", "--python", testPython]);
    expect(r.exitCode).toBe(2);
    const reason = "no test runner found in the root or the workspaces of this monorepo (package.json workspaces); pytest is the default";
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "no_tests", runner: { runner: "pytest", reason, fallback: true } });
    expectOneErrorLine(
      r.stderr,
      /^redgreen: pytest found no tests, and it was only the default \(.*\), yet .* has a package\.json: name its runner/,
    );
  }, 60_000);

  it("names the runner in the summary of `redgreen run`", async () => {
    const root = workspacesCopy("npm-vitest");
    const r = await runCli(["run", root, "--json", "-q", "--no-llm", "--no-coverage", "--max-iterations", "1"]);
    expectNoStackTrace(r.stderr);
    const summary = RunSummarySchema.parse(JSON.parse(r.stdout));
    expect(summary.runner).toEqual({ runner: "vitest", reason: VITEST_REASON, fallback: false });
    expect(summary.initial).toMatchObject({ passed: 2, failed: 1 });
  }, 180_000);
});
