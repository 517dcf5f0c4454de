// affectedBy for the JS runners: vitest related and jest --findRelatedTests on a tiny real project, with their fallbacks.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestRunnerAdapter } from "../../../src/runners/adapter.js";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { jsFixtureCopies } from "./fixtures.js";

const ALPHA = "tests/alpha.test.ts::alpha > doubles";
const BETA = "tests/beta.test.ts::greets";

for (const runner of ["vitest", "jest"] as const) {
  describe(`${runner} adapter: affectedBy`, () => {
    const copies = jsFixtureCopies(runner);
    afterAll(() => copies.cleanup());
    const create = (projectRoot: string): Promise<TestRunnerAdapter> =>
      runner === "vitest" ? createVitestAdapter({ projectRoot }) : createJestAdapter({ projectRoot });

    it("runs only the test files whose imports reach the changed files", async () => {
      const root = copies.copy("impact");
      const adapter = await create(root);
      const all = await adapter.runTests();
      expect([...all.passedNodeIds].sort()).toEqual([ALPHA, BETA]);
      expect(all.selection).toEqual({ kind: "all" });
      expect(adapter.testCoverage).toBeUndefined();

      const beta = await adapter.runTests({ affectedBy: ["src/beta.ts"] });
      expect(beta).toMatchObject({ status: "passed", total: 1, passedNodeIds: [BETA] });
      expect(beta.selection).toEqual({ kind: "affected", changedFiles: ["src/beta.ts"] });
      expect(beta.command).toContain(runner === "vitest" ? "related" : "--findRelatedTests");
      // Through an import of an import; an absolute path names the same file.
      const shared = await adapter.runTests({ affectedBy: [join(root, "src/shared.ts")] });
      expect(shared).toMatchObject({ total: 1, passedNodeIds: [ALPHA], selection: { kind: "affected", changedFiles: ["src/shared.ts"] } });
      const testFile = await adapter.runTests({ affectedBy: ["tests/alpha.test.ts"] });
      expect(testFile).toMatchObject({ total: 1, passedNodeIds: [ALPHA] });
      const both = await adapter.runTests({ affectedBy: ["src/alpha.ts", "src/beta.ts"] });
      expect([...both.passedNodeIds].sort()).toEqual([ALPHA, BETA]);

      // A break in the changed file is seen by the selected tests.
      writeFileSync(join(root, "src/shared.ts"), "export const FACTOR = 3;\n");
      const broken = await adapter.runTests({ affectedBy: ["src/shared.ts"] });
      expect(broken).toMatchObject({ status: "failed", total: 1, passedNodeIds: [] });
      expect(broken.failures.map((f) => f.nodeId)).toEqual([ALPHA]);

      // Imported by no test: nothing to run.
      const unused = await adapter.runTests({ affectedBy: ["src/unused.ts"] });
      expect(unused).toMatchObject({ status: "no_tests", total: 0 });
      expect(unused.selection).toEqual({ kind: "affected", changedFiles: ["src/unused.ts"] });
    }, 180_000);

    it("runs the whole suite, saying why, for what the import graph cannot follow", async () => {
      const adapter = await create(copies.copy("impact"));
      const config = runner === "vitest" ? "vitest.config.ts" : "jest.config.cjs";
      const cases: [string, string][] = [
        [config, `${config} is a configuration or setup file`],
        ["package.json", "package.json is a configuration or setup file"],
        ["tests/__snapshots__/alpha.test.ts.snap", `tests/__snapshots__/alpha.test.ts.snap is not a module ${runner} follows imports of`],
        ["src/gone.ts", `src/gone.ts does not exist, so ${runner} cannot follow its imports`],
      ];
      for (const [file, why] of cases) {
        const r = await adapter.runTests({ affectedBy: [file] });
        expect(r.total).toBe(2);
        expect(r.selection).toEqual({ kind: "affected", changedFiles: [file], fallback: expect.stringContaining(why) as string });
      }
      // Given files win over affectedBy.
      const given = await adapter.runTests({ files: ["tests/beta.test.ts"], affectedBy: ["src/alpha.ts"] });
      expect(given).toMatchObject({ total: 1, passedNodeIds: [BETA], selection: { kind: "given" } });
    }, 180_000);
  });
}
