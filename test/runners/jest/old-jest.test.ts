// The jest adapter on a real jest 23 (installed from the registry at test time): only the options that jest accepts.
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run.js";
import { createJestAdapter, jestOptionSupport } from "../../../src/runners/jest/adapter.js";
import { rejectedOptions, rejectedOptionsMessage } from "../../../src/runners/js/rejected-options.js";
import { runnerCliPackage } from "../../../src/runners/js/runner-version.js";
import { fixturePath } from "../../helpers/python-env.js";
import { ensureOldJest } from "../../helpers/old-jest.js";

const VERSION = "23.6.0";
let project: string;
const tmp = mkdtempSync(join(tmpdir(), "redgreen-old-jest-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const modules = ensureOldJest(VERSION);
  project = join(tmp, "old-jest");
  cpSync(fixturePath("jest", "old-jest"), project, { recursive: true });
  symlinkSync(modules, join(project, "node_modules"), "dir");
}, 300_000);

describe(`jest ${VERSION}`, () => {
  it("reads the version of jest-cli, the package that defines the options, and knows neither --testTimeout nor --coverageProvider", () => {
    const cli = runnerCliPackage(join(project, "node_modules", ".bin", "jest"), "jest-cli");
    expect(cli).toMatchObject({ name: "jest-cli", version: VERSION });
    expect(jestOptionSupport(cli!.version)).toEqual({ testTimeout: false, coverageProvider: false });
    expect(jestOptionSupport("24.8.0")).toEqual({ testTimeout: false, coverageProvider: false });
    expect(jestOptionSupport("24.9.0")).toEqual({ testTimeout: true, coverageProvider: false });
    expect(jestOptionSupport("30.5.2")).toEqual({ testTimeout: true, coverageProvider: true });
  });

  it("rejects the options redgreen used to pass, and the error names them", async () => {
    const bin = join(project, "node_modules", ".bin", "jest");
    const r = await runProcess(bin, ["--ci", "--testTimeout=10000", "--coverageProvider=v8"], { cwd: project, timeoutMs: 60_000 });
    expect(r.exitCode).not.toBe(0);
    const output = `${r.stdout}\n${r.stderr}`;
    expect(rejectedOptions(output)).toEqual(["--testTimeout", "--coverageProvider"]);
    const message = `jest ${VERSION} rejected the options --testTimeout, --coverageProvider that redgreen passed`;
    expect(rejectedOptionsMessage("jest", VERSION, output)).toBe(message);
  }, 60_000);

  it("runs the project's tests with coverage, passing only the options it accepts", async () => {
    const adapter = await createJestAdapter({ projectRoot: project });
    const r = await adapter.runTests({ coverage: true });
    expect(r.message).toBeUndefined();
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 1, total: 2 });
    expect(r.failures.map((f) => [f.nodeId, f.lineNumber])).toEqual([["tests/cart.test.js::cart > adds up the total", 10]]);
    expect(r.passedNodeIds).toEqual(["tests/cart.test.js::cart > formats a receipt line"]);
    expect(r.command.some((a) => a.startsWith("--testTimeout") || a.startsWith("--coverageProvider"))).toBe(false);
    expect(r.coverageError).toBeUndefined();
    expect(r.coverage!.files.map((f) => f.file)).toEqual(["src/cart.js"]);
    expect(r.coverage!.percent).toBeGreaterThan(0);
  }, 120_000);
});

describe(`jest ${VERSION}: a run that leaves a handle open`, () => {
  it("ends promptly once its report is written, though this jest ends the report without a newline", async () => {
    const dir = join(tmp, "lingering");
    cpSync(fixturePath("jest", "old-jest"), dir, { recursive: true });
    symlinkSync(join(project, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(
      join(dir, "tests", "poller.test.js"),
      'it("starts a poller and never stops it", () => {\n  setInterval(() => undefined, 1000);\n});\n',
    );
    const started = performance.now();
    const r = await (await createJestAdapter({ projectRoot: dir })).runTests({ runTimeoutSeconds: 120 });
    expect(r).toMatchObject({ status: "failed", passed: 2, failed: 1, total: 3 });
    expect(r.message).toMatch(/^jest did not exit after the run finished: a test left a timer, socket or other handle open/);
    expect((performance.now() - started) / 1000).toBeLessThan(30);
  }, 150_000);
});

describe(`jest ${VERSION}: affectedBy`, () => {
  it("runs only the tests related to a changed file (--findRelatedTests is as old as this jest)", async () => {
    const dir = join(tmp, "related");
    cpSync(fixturePath("jest", "old-jest"), dir, { recursive: true });
    symlinkSync(join(project, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "tests", "other.test.js"), 'it("imports nothing of src", () => {\n  expect(1).toBe(1);\n});\n');
    const adapter = await createJestAdapter({ projectRoot: dir });
    expect((await adapter.runTests()).total).toBe(3);
    const r = await adapter.runTests({ affectedBy: ["src/cart.js"] });
    expect(r.message).toBeUndefined();
    expect(r).toMatchObject({ status: "failed", passed: 1, failed: 1, total: 2 });
    expect(r.selection).toEqual({ kind: "affected", changedFiles: ["src/cart.js"] });
    expect(r.command).toContain("--findRelatedTests");
  }, 150_000);
});
