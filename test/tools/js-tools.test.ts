// The step tools on a TypeScript project: the runner is detected, patterns and validation use the TypeScript project.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run.js";
import type { Store } from "../../src/store/index.js";
import { createTools } from "../../tools/index.js";
import type { ProjectServices, RedgreenTool } from "../../tools/index.js";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";
import { openProjectStore, realDeps, testProjects } from "./helpers.js";

const RECEIPT = "tests/cart.test.ts::cart > prints a receipt line";

let copy: { root: string; cleanup: () => void };
let store: Store;
let projects: ProjectServices;
let tools: Map<string, RedgreenTool>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool results are asserted field by field
const call = async (name: string, args: Record<string, unknown>): Promise<any> =>
  JSON.parse((await tools.get(name)!.invoke(args)) as string);

beforeAll(() => {
  copy = copyJsProject(exampleTsShop);
  store = openProjectStore(copy.root);
  projects = testProjects();
  tools = new Map(createTools(realDeps(copy.root, { store, projects })).map((t) => [t.name, t]));
});

afterAll(async () => {
  await projects.close();
  store.close();
  copy.cleanup();
});

describe("the step tools on examples/ts-shop (vitest)", () => {
  it(
    "run_tests detects vitest; find_pattern_fix proposes the language " + "service's import fix; validate_fix and apply_fix accept it",
    async () => {
      const run = await call("run_tests", {});
      expect(run).toMatchObject({ status: "failed", passed: 4, failed: 5, total: 9 });
      const fix = await call("find_pattern_fix", { nodeId: RECEIPT, runId: run.runId });
      expect(fix).toMatchObject({ found: true, strategy: "add_import" });
      expect(fix.diff).toContain('+import { formatPrice } from "./money";');
      const verdict = await call("validate_fix", { proposalId: fix.proposalId });
      expect(verdict).toMatchObject({ valid: true, risk: "low" });
      const applied = await call("apply_fix", { proposalId: fix.proposalId });
      expect(applied.error).toBeUndefined();
      expect(readFileSync(join(copy.root, "src", "cart.ts"), "utf8")).toContain('import { formatPrice } from "./money";');
      const again = await call("run_specific_test", { testFile: "tests/cart.test.ts", testName: "cart > prints a receipt line" });
      expect(again).toMatchObject({ status: "passed", passed: 1 });
    },
    120_000,
  );

  it("validate_fix rejects an edit that weakens a vitest test", async () => {
    const r = await call("validate_fix", {
      edits: [{ file: "tests/discount.test.ts", find: "  expect(applyDiscount(1000, 10)).toBe(900);\n", replace: "" }],
    });
    expect(r.valid).toBe(false);
    expect(r.reasons.join("\n")).toContain("test-integrity");
  });

  it("parse_test_output reads pasted vitest and jest output", async () => {
    const vitest = await runProcess(join(copy.root, "node_modules", ".bin", "vitest"), ["run"], {
      cwd: copy.root,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      timeoutMs: 60_000,
    });
    // A terminal shows both streams: vitest prints the failures on stderr and the summary on stdout.
    const fromVitest = await call("parse_test_output", { output: `${vitest.stdout}\n${vitest.stderr}`, store: false });
    expect(fromVitest).toMatchObject({ source: "text", status: "failed", failed: 4, passed: 5 });
    const jest = await runProcess(join(copy.root, "node_modules", ".bin", "jest"), ["--ci"], {
      cwd: copy.root,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      timeoutMs: 60_000,
    });
    const fromJest = await call("parse_test_output", { output: jest.stderr, runner: "jest", store: false });
    expect(fromJest).toMatchObject({ source: "text", status: "failed", failed: 4, passed: 5 });
    const ids = (r: { failures: { nodeId: string }[] }): string[] => r.failures.map((f) => f.nodeId).sort();
    expect(ids(fromJest)).toEqual(ids(fromVitest));
  }, 120_000);
});
