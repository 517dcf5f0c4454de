// `redgreen test` on a real vitest 2.1 (installed from the registry at test time): its reporters get console calls
// too, and redgreen's progress reporter (written for vitest 4's entity API) must not crash the run on them; its standby
// (vitest/node loaded ahead) reports what a fresh run does.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/test-run.js";
import type { JsRunnerAdapter } from "../../../src/runners/js/js-adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { runCli } from "../../cli/run-cli.js";
import { ensureOldRunner } from "../../helpers/old-jest.js";
import { fixturePath } from "../../helpers/python-env.js";

const VERSION = "2.1.9";
let project: string;
const tmp = mkdtempSync(join(tmpdir(), "redgreen-old-vitest-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const modules = ensureOldRunner("vitest", VERSION);
  project = join(tmp, "old-vitest");
  cpSync(fixturePath("vitest", "old-vitest"), project, { recursive: true });
  symlinkSync(modules, join(project, "node_modules"), "dir");
}, 300_000);

describe(`vitest ${VERSION}`, () => {
  it("counts what vitest counts though its tests log to the console, and keeps each test's console lines", async () => {
    const r = await runCli(["test", project, "--json", "--no-coverage", "--db", join(tmp, "rg.db")]);
    const out = JSON.parse(r.stdout) as {
      status: string;
      passed: number;
      failed: number;
      message?: string;
      failures: { nodeId: string; stdout?: string; output?: string }[];
    };
    expect(out.message).toBeUndefined();
    expect(out).toMatchObject({ status: "failed", passed: 1, failed: 1 });
    expect(out.failures.map((f) => f.nodeId)).toEqual(["tests/cart.test.js::cart > adds up the total"]);
    expect(JSON.stringify(out.failures[0])).toContain("adding up");
  }, 180_000);

  it("runs a second run through the standby the first left (vitest/node loaded ahead), as a fresh run reports it", async () => {
    const withStandby = (await createVitestAdapter({ projectRoot: project, standby: true })) as JsRunnerAdapter;
    const fresh = await createVitestAdapter({ projectRoot: project });
    try {
      // A standby refuses files written within a second of its start: the install may have been that recent.
      await new Promise((r) => setTimeout(r, 1100));
      await withStandby.runTests();
      const second = await withStandby.runTests();
      expect(withStandby.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
      const again = await fresh.runTests();
      const found = (r: TestRunResult) => [r.status, r.passed, r.failed, r.total, r.failures.map((f) => `${f.nodeId} ${f.errorMessage}`)];
      expect(found(second)).toEqual(found(again));
      expect(second.failed).toBe(1);
    } finally {
      withStandby.close();
    }
  }, 180_000);
});
