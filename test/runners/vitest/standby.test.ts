// The vitest adapter's standby on real vitest: a run after the first goes through the node process the run before left
// (vitest/node loaded), reports what a fresh run reports, sees the code as it is now; `redgreen run` starts the first
// run's standby ahead, and every run of a workflow goes through one.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/test-run.js";
import type { JsRunnerAdapter } from "../../../src/runners/js/js-adapter.js";
import { startStandbyAhead } from "../../../src/runners/standby-ahead.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { runCli } from "../../cli/run-cli.js";
import { copyJsProject, exampleTsShop } from "../../helpers/project-copy.js";
import { fixturePath } from "../../helpers/python-env.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function adapterOf(root: string, standby: boolean): Promise<JsRunnerAdapter> {
  const adapter = (await createVitestAdapter({ projectRoot: root, standby })) as JsRunnerAdapter;
  cleanups.push(() => adapter.close());
  return adapter;
}

function copy(): string {
  const c = copyJsProject(fixturePath("vitest", "failing"));
  cleanups.push(c.cleanup);
  return c.root;
}

/** What a run found: the tests that passed, each failure with its message, and the counts. */
const outcomes = (r: TestRunResult) => ({
  status: r.status,
  counts: [r.passed, r.failed, r.errors, r.skipped, r.total],
  passed: [...r.passedNodeIds].sort(),
  failures: r.failures.map((f) => `${f.nodeId}: ${f.errorType}: ${f.errorMessage} (${f.faultFile}:${f.faultLine})`).sort(),
  testFiles: r.testFiles,
});

describe("the vitest standby", () => {
  it("runs the next run through the process the run before left, with a fresh run's results and the code as it is now", async () => {
    const root = copy();
    const adapter = await adapterOf(root, true);
    const first = await adapter.runTests();
    expect(first.failures.map((f) => f.nodeId)).toContain("tests/cart.test.ts::cart > adds up the total");
    // The fix, written as the workflow writes one.
    const cart = join(root, "src", "cart.ts");
    writeFileSync(cart, readFileSync(cart, "utf8").replace("0) + 1;", "0);"));
    const second = await adapter.runTests();
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    expect(second.failures.map((f) => f.nodeId)).not.toContain("tests/cart.test.ts::cart > adds up the total");
    const fresh = await (await adapterOf(root, false)).runTests();
    expect(outcomes(second)).toEqual(outcomes(fresh));
  }, 120_000);

  it("gives the run a fresh run's stdin (/dev/null), which tests in vitest's own process see (pool threads)", async () => {
    const root = copy();
    writeFileSync(join(root, "vitest.config.ts"), 'export default { test: { include: ["tests/**/*.test.ts"], pool: "threads" } };\n');
    writeFileSync(
      join(root, "tests", "stdin.test.ts"),
      'import { fstatSync } from "node:fs";\nimport { expect, it } from "vitest";\n' +
        'it("reads stdin as /dev/null", () => expect(fstatSync(0).isCharacterDevice()).toBe(true));\n',
    );
    const adapter = await adapterOf(root, true);
    const id = "tests/stdin.test.ts::reads stdin as /dev/null";
    expect((await adapter.runTests()).passedNodeIds).toContain(id);
    const second = await adapter.runTests();
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    expect(second.passedNodeIds).toContain(id);
  }, 120_000);

  it("is started ahead by `redgreen run` for its project's first run, which takes it", async () => {
    const root = copy();
    await startStandbyAhead({ projectRoot: root });
    const adapter = await adapterOf(root, true);
    const first = await adapter.runTests();
    expect(first.total).toBeGreaterThan(0);
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 0 });
  }, 120_000);

  it("takes every run of `redgreen run` on a vitest project (the timeline names each)", async () => {
    const c = copyJsProject(exampleTsShop);
    cleanups.push(c.cleanup);
    const r = await runCli(["run", c.root, "--no-llm", "--json", "--quiet", "--db", join(c.root, "rg.db")], {
      env: { REDGREEN_TIMINGS: "1" },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "stuck" });
    const labels = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("redgreen timings:"))
      .map((l) => l.replace(/^redgreen timings: \S+ s \+\S+ s \d+ MB /, ""));
    const runs = labels.filter((l) => l.startsWith("test run:") && !l.startsWith("test run: prestarted")).length;
    expect(runs).toBeGreaterThan(2);
    const standby = labels.filter((l) => l.startsWith("vitest standby:"));
    expect(standby).toEqual(Array.from({ length: runs }, () => "vitest standby: ran the run"));
  }, 180_000);
});
