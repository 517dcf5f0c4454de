// Adapter tests shared by vitest and jest: frames on the TypeScript lines, phases, selection, coverage, timeouts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../../src/domain/index.js";
import { confirmFlaky } from "../../../src/proof/flaky.js";
import { packageRoot } from "../../../src/paths.js";
import type { TestRunnerAdapter } from "../../../src/runners/adapter.js";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { jsFixtureCopies, PASSING_NODE_IDS } from "./fixtures.js";

/** What the coverage run of the passing fixture measures for src/calc.ts in each runner (clamp() is never called). */
export interface CalcCoverage {
  coveredLines: number;
  totalLines: number;
  missingLines: number[];
}

/** Registers the adapter tests for one JS runner. */
export function runJsAdapterCases(runner: "vitest" | "jest", calc: CalcCoverage): void {
  const copies = jsFixtureCopies(runner);
  const scratch = mkdtempSync(join(tmpdir(), `redgreen-${runner}-scratch-`));
  afterAll(() => {
    copies.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  const create = (projectRoot: string, testTimeoutSeconds?: number): Promise<TestRunnerAdapter> =>
    runner === "vitest" ? createVitestAdapter({ projectRoot, testTimeoutSeconds }) : createJestAdapter({ projectRoot, testTimeoutSeconds });

  describe(`${runner} adapter`, () => {
    it("maps frames to the TypeScript lines of src/ and reads the hook phase from the test file", async () => {
      const r = await (await create(copies.copy("failing"))).runTests();
      const receipt = r.failures.find((f) => f.testName === "cart > formats a receipt line")!;
      expect(receipt.errorType).toBe("TypeError");
      expect(receipt.errorMessage).toBe("v.toFixed is not a function");
      const own = receipt.frames.filter((f) => f.kind !== "library" && f.kind !== "stdlib");
      expect(own.map((f) => `${f.kind} ${f.file}:${f.line} ${f.code}`)).toEqual([
        'test tests/cart.test.ts:12 expect(receiptLine(pen)).toBe("pen: $3.00");',
        "project src/cart.ts:15 return `${item.name}: ${formatPrice(item.price)}`;",
        'project src/format.ts:3 return "$" + roundCents(price);',
        "project src/format.ts:8 return v.toFixed(2);",
      ]);
      expect(receipt).toMatchObject({ lineNumber: 12, faultFile: "src/format.ts", faultLine: 8 });
      const stock = r.failures.find((f) => f.errorType === "OutOfStockError")!;
      expect(stock.frames.at(-1)).toMatchObject({
        file: "src/inventory.ts",
        line: 13,
        kind: "project",
        code: "if (left < qty) throw new OutOfStockError(item);",
      });
      const setup = r.failures.find((f) => f.testName === "with a broken setup > never runs its body")!;
      expect(setup).toMatchObject({
        phase: "setup",
        errorType: "Error",
        errorMessage: "fixture database is not available",
        lineNumber: 45,
      });
      const load = r.failures.find((f) => f.nodeId === "tests/broken.test.ts")!;
      expect(load).toMatchObject({ phase: "collect", testName: "", errorType: "Error" });
      expect(load.errorMessage).toMatch(/^Cannot find module '\.\.\/src\/discount'/);
      expect(load.frames.some((f) => f.kind === "test" && f.file === "tests/broken.test.ts" && f.line === 2)).toBe(true);
      const byType = Object.fromEntries(r.failures.map((f) => [f.testName, f.errorType]));
      expect(byType).toMatchObject({
        "cart > adds up the total": "AssertionError",
        "mistakes in tests > uses an undefined name": "ReferenceError",
        "mistakes in tests > reads a property of undefined": "TypeError",
      });
      expect(r).toMatchObject({ source: "json", passed: 1, failed: 6, errors: 1, skipped: 0, total: 8 });
    });

    it("runs exactly the tests named by node ids, with progress naming the last one", async () => {
      const adapter = await create(copies.copy("failing"));
      const ids = [
        "tests/cart.test.ts::cart > adds up the total",
        "tests/cart.test.ts::cart > inventory > reserve > reserves an item in stock",
      ];
      const progress: { done: number; lastNodeId?: string }[] = [];
      const r = await adapter.runTests({ files: ids, onProgress: (p) => progress.push({ ...p }) });
      expect(r).toMatchObject({ status: "failed", passed: 1, failed: 1, skipped: 0, errors: 0, total: 2 });
      expect(r.passedNodeIds).toEqual([ids[1]]);
      expect(r.failures.map((f) => f.nodeId)).toEqual([ids[0]]);
      expect(progress.at(-1)?.done).toBe(2);
      expect(ids).toContain(progress.at(-1)?.lastNodeId);
      // A whole file next to a node id: the whole file runs.
      const mixed = await adapter.runTests({ files: ["tests/broken.test.ts", ids[1]!] });
      expect(mixed).toMatchObject({ passed: 1, failed: 0, errors: 1, total: 2 });
    });

    it("selects and excludes tests whose names hold a NUL byte and other control characters (argv-safe name filter)", async () => {
      const adapter = await create(copies.copy("odd-names"));
      const nul = "tests/names.test.ts::nul \u0000 byte";
      const controls = "tests/names.test.ts::controls > bell \u0007, escape \u001b[31m and delete \u007f";
      const newline = "tests/names.test.ts::controls > tab\tand\nnewline";
      const all = await adapter.runTests();
      expect([...all.passedNodeIds].sort()).toEqual([controls, newline, nul].sort());
      expect(all.failures.map((f) => f.nodeId)).toEqual(["tests/names.test.ts::plain"]);
      const one = await adapter.runTests({ files: [nul] });
      expect(one).toMatchObject({ status: "passed", total: 1, passedNodeIds: [nul] });
      const two = await adapter.runTests({ files: [controls, newline] });
      expect(two).toMatchObject({ status: "passed", total: 2 });
      expect([...two.passedNodeIds].sort()).toEqual([controls, newline].sort());
      // The flakiness re-run selects failing tests by name the same way.
      expect(await confirmFlaky(adapter, [nul, "tests/names.test.ts::plain"])).toEqual([nul]);
    });

    it("selects more tests by node id than one command-line argument can name (their files run, results filtered)", async () => {
      const dir = copies.copy("passing");
      const globals = runner === "vitest" ? "vitest" : "@jest/globals";
      // 1,500 tests with 100-character names: their exact-name pattern (~200 KB) is over Linux's 128 KiB argument limit.
      const titles = Array.from({ length: 1500 }, (_, i) => `case ${String(i).padStart(4, "0")} ${"x".repeat(90)}`);
      const body = titles.map((t) => `it("${t}", () => {});`).join("\n");
      writeFileSync(join(dir, "tests", "many.test.ts"), `import { it } from "${globals}";\n\n${body}\nit("not asked for", () => {});\n`);
      const wanted = titles.map((t) => `tests/many.test.ts::${t}`);
      const r = await (await create(dir)).runTests({ files: wanted });
      expect(r).toMatchObject({ status: "passed", passed: 1500, total: 1500 });
      expect([...r.passedNodeIds].sort()).toEqual([...wanted].sort());
    });

    it("measures coverage of the project's files only", async () => {
      const r = await (await create(copies.copy("passing"))).runTests({ coverage: true });
      expect(r.coverageError).toBeUndefined();
      expect(r.coverage!.files.map((f) => f.file)).toEqual(["src/calc.ts"]);
      expect(r.coverage!.files[0]).toMatchObject(calc);
      expect(r.coverage!.percent).toBeCloseTo((100 * calc.coveredLines) / calc.totalLines, 5);
    });

    it("runs every test under a folder, given with or without a trailing slash, and no sibling folder's", async () => {
      const dir = copies.copy("passing");
      mkdirSync(join(dir, "tests", "more"));
      mkdirSync(join(dir, "tests-old"));
      const globals = runner === "vitest" ? "vitest" : "@jest/globals";
      const extra = (title: string): string =>
        `import { expect, it } from "${globals}";\nimport { add } from "../${title === "old" ? "" : "../"}src/calc";\n\nit("` +
        `${title}", () => {\n  expect(add(1, 1)).toBe(2);\n});\n`;
      writeFileSync(join(dir, "tests", "more", "extra.test.ts"), extra("extra"));
      writeFileSync(join(dir, "tests-old", "old.test.ts"), extra("old"));
      // The fixture's config collects tests/**; tests-old/ is collected too once the config says so.
      const config = runner === "vitest" ? "vitest.config.ts" : "jest.config.cjs";
      const { readFileSync } = await import("node:fs");
      writeFileSync(join(dir, config), readFileSync(join(dir, config), "utf8").replace(/tests\/\*\*/, "tests*/**"));
      const adapter = await create(dir);
      const nested = await adapter.runTests({ files: ["tests/more"] });
      expect(nested).toMatchObject({ status: "passed", total: 1, passedNodeIds: ["tests/more/extra.test.ts::extra"] });
      for (const folder of ["tests", "tests/"]) {
        const all = await adapter.runTests({ files: [folder] });
        expect(all.status).toBe("passed");
        expect([...all.passedNodeIds].sort()).toEqual([...PASSING_NODE_IDS, "tests/more/extra.test.ts::extra"].sort());
      }
      // A folder next to a node id: the folder whole, and only the named test of the other file.
      const mixed = await adapter.runTests({ files: ["tests/more/", "tests-old/old.test.ts::old"] });
      expect(mixed.passedNodeIds.sort()).toEqual(["tests-old/old.test.ts::old", "tests/more/extra.test.ts::extra"]);
      // The whole suite still sees the sibling folder.
      expect((await adapter.runTests()).total).toBe(5);
    });

    it("counts setup files its config names, and files it reported as tests, as test files", async () => {
      const dir = copies.copy("custom-tests");
      const adapter = await create(dir);
      // Setup files (named by the config, or by convention) and snapshots need no run.
      expect(
        ["support/env.ts", "jest.setup.ts", "src/setupTests.ts", "tests/__snapshots__/price.test.ts.snap"].map((f) =>
          adapter.isTestFile(f),
        ),
      ).toEqual([true, true, true, true]);
      expect(adapter.isTestFile("src/price.ts")).toBe(false);
      // checks/*.check.ts are tests only by the config's testMatch/include: known once the runner reported them.
      expect(adapter.isTestFile("checks/price.check.ts")).toBe(false);
      const r = await adapter.runTests();
      expect(r).toMatchObject({ status: "failed", passed: 2, failed: 1, total: 3 });
      expect(adapter.isTestFile("checks/price.check.ts")).toBe(true);
      expect(adapter.isTestFile("src/price.ts")).toBe(false);
      // The same run already classified the check file's frames as test frames.
      const [failure] = r.failures;
      expect(failure!.nodeId).toBe("checks/price.check.ts::rounds to cents");
      expect(failure!.frames.filter((f) => f.file === "checks/price.check.ts").map((f) => [f.kind, f.line])).toEqual([["test", 6]]);
      // A config edit is seen at the next run: its setup files are read again.
      const config = runner === "vitest" ? "vitest.config.ts" : "jest.config.cjs";
      const { readFileSync } = await import("node:fs");
      writeFileSync(join(dir, config), readFileSync(join(dir, config), "utf8").replace(/support\/env\.ts/, "support/environment.ts"));
      writeFileSync(join(dir, "support", "environment.ts"), readFileSync(join(dir, "support", "env.ts"), "utf8"));
      await adapter.runTests({ files: ["tests/price.test.ts"] });
      expect([adapter.isTestFile("support/environment.ts"), adapter.isTestFile("support/env.ts")]).toEqual([true, false]);
    });

    it("kills a run past its hard timeout and says timeout", async () => {
      const r = await (await create(copies.copy("hanging"), 0)).runTests({ runTimeoutSeconds: 3 });
      expect(r.status).toBe("timeout");
      expect(r.message).toMatch(/3 s limit/);
    });

    it("keeps the project's own per-test timeout unless one is given, as a bare run does", async () => {
      const dir = copies.copy("passing");
      // The project allows 300 ms a test; one test takes 800 ms: the bare runner fails it, and so must redgreen.
      if (runner === "vitest") {
        writeFileSync(
          join(dir, "vitest.config.ts"),
          'import { defineConfig } from "vitest/config";\n\nexport default defineConfig({ test: { include: ' +
            '["tests/**/*.test.ts"], testTimeout: 300 } });\n',
        );
      } else {
        writeFileSync(
          join(dir, "jest.config.cjs"),
          'module.exports = { testEnvironment: "node", testMatch: ["<rootDir>/tests/**/*.test.ts"], testTimeout: 300 };\n',
        );
      }
      const globals = runner === "vitest" ? "vitest" : "@jest/globals";
      writeFileSync(
        join(dir, "tests", "slow.test.ts"),
        `import { it } from "${globals}";\n\nit("takes 800 ms", async () => {\n  await new Promise((r) => setTimeout(r, 800));\n});\n`,
      );
      const own = await (await create(dir)).runTests({ files: ["tests/slow.test.ts"] });
      expect(own).toMatchObject({ status: "failed", failed: 1, passed: 0 });
      expect(own.failures[0]?.errorMessage).toMatch(/(timed out in|timeout of) 300\s*ms/i);
      expect(own.command.join(" ")).not.toMatch(/--testTimeout/);
      // An explicit timeout is passed on exactly and wins over the project's.
      const given = await (await create(dir, 5)).runTests({ files: ["tests/slow.test.ts"] });
      expect(given).toMatchObject({ status: "passed", passed: 1, failed: 0 });
      expect(given.command).toContain("--testTimeout=5000");
    });

    it("says error with the runner's complaint when it writes no report", async () => {
      const dir = copies.copy("passing");
      const config = runner === "vitest" ? "vitest.config.ts" : "jest.config.cjs";
      const { writeFileSync } = await import("node:fs");
      writeFileSync(join(dir, config), "this is not valid JavaScript (\n");
      const r = await (await create(dir)).runTests();
      expect(r.status).toBe("error");
      expect(r.message).toMatch(new RegExp(`${runner} wrote no JSON report`));
    });

    it("throws runner_failed when the runner is not installed", async () => {
      const dir = join(scratch, "bare");
      mkdirSync(dir, { recursive: true });
      const err = await create(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedgreenError);
      expect((err as RedgreenError).code).toBe("runner_failed");
      expect((err as RedgreenError).message).toBe(`${runner} is not installed in ${dir}: run npm install`);
    });
  });

  if (runner === "jest") {
    it("jest: a project whose runs fail only with coverage runs without it, and says why", async () => {
      const dir = copies.copy("passing");
      // Like a coverage tool that crashes jest before it reports (koa on jest 27: v8-to-istanbul's source-map wasm).
      writeFileSync(
        join(dir, "teardown.cjs"),
        'module.exports = async (config) => {\n  if (config.collectCoverage) throw new Error("coverage broke the run");\n};\n',
      );
      writeFileSync(
        join(dir, "jest.config.cjs"),
        'module.exports = { testEnvironment: "node", testMatch: ["<rootDir>/tests/**/*.test.ts"], globalTeardown: ' +
          '"<rootDir>/teardown.cjs" };\n',
      );
      const adapter = await create(dir);
      const first = await adapter.runTests({ coverage: true });
      expect(first).toMatchObject({ status: "passed", passed: 3, total: 3, coverage: null });
      expect(first.coverageError).toMatch(/^coverage made jest fail \(jest wrote no JSON report .*\); the tests ran without coverage$/);
      // Later runs leave coverage off at once, and a run that fails for its own reasons still reports an error.
      const second = await adapter.runTests({ coverage: true });
      expect(second.command.some((a) => a === "--coverage")).toBe(false);
      expect(second.coverageError).toBe(first.coverageError);
      writeFileSync(join(dir, "jest.config.cjs"), "this is not valid JavaScript (\n");
      expect((await (await create(dir)).runTests({ coverage: true })).status).toBe("error");
    });

    it("jest: reports a run whose test left a setInterval running, promptly, with a note", async () => {
      const dir = copies.copy("passing");
      writeFileSync(
        join(dir, "tests", "interval.test.ts"),
        'import { expect, it } from "@jest/globals";\n\nit("starts a poller and never stops it", () => {\n  setInterval(() => ' +
          "undefined, 1000);\n  expect(1).toBe(1);\n});\n",
      );
      const started = performance.now();
      // The run's own limit is far away: a run that ends must not wait for it.
      const r = await (await create(dir)).runTests({ coverage: true, runTimeoutSeconds: 120 });
      const seconds = (performance.now() - started) / 1000;
      expect(r).toMatchObject({ status: "passed", passed: 4, total: 4 });
      const expected =
        "jest did not exit after the run finished: a test left a timer, socket or other handle open " +
        "(run jest with --detectOpenHandles to find it)";
      expect(r.message?.startsWith(expected), r.message ?? "").toBe(true);
      // Coverage is written before the report, so stopping jest after the report loses none.
      expect(r.coverage?.files.map((f) => f.file)).toEqual(["src/calc.ts"]);
      expect(seconds).toBeLessThan(15);
    });
    return;
  }
  it("vitest without @vitest/coverage-v8 runs without coverage and says why", async () => {
    // A node_modules holding only vitest (its own dependencies resolve from its real location).
    const dir = copies.copy("passing");
    rmSync(join(dir, "node_modules"));
    mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(packageRoot, "node_modules", "vitest"), join(dir, "node_modules", "vitest"), "dir");
    symlinkSync(join(packageRoot, "node_modules", ".bin", "vitest"), join(dir, "node_modules", ".bin", "vitest"));
    expect(existsSync(join(dir, "node_modules", "@vitest", "coverage-v8"))).toBe(false);
    const r = await (await create(dir)).runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.coverage).toBeNull();
    expect(r.coverageError).toMatch(/^@vitest\/coverage-v8 is not installed/);
  });
}
