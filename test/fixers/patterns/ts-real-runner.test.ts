// The TS patterns on failures a real vitest / jest run reports (fixture: ts-patterns/real-runner): each fix applied, then a green run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFailure } from "../../../src/analysis/index.js";
import type { TestRunResult } from "../../../src/domain/test-run.js";
import { applyEdits } from "../../../src/fixers/apply.js";
import { createPatternContext, findPatternFix, type PatternFix } from "../../../src/fixers/patterns/index.js";
import type { TestRunnerAdapter } from "../../../src/runners/adapter.js";
import { createJestAdapter } from "../../../src/runners/jest/adapter.js";
import { createVitestAdapter } from "../../../src/runners/vitest/adapter.js";
import { closeTsProject, createTsProject } from "../../../src/ts-project/project.js";
import type { TsProject } from "../../../src/ts-project/types.js";
import { copyJsProject } from "../../helpers/project-copy.js";
import { noPython, tsFixtures } from "../../ts-project/ts-case.js";

const runners = { vitest: createVitestAdapter, jest: createJestAdapter };

describe.each(["vitest", "jest"] as const)("TS patterns on a real %s run (fixture: ts-patterns/real-runner)", (runner) => {
  let copy: { root: string; cleanup: () => void };
  let adapter: TestRunnerAdapter;
  let project: TsProject;
  let before: TestRunResult;

  beforeAll(async () => {
    copy = copyJsProject(join(tsFixtures, "real-runner"));
    adapter = await runners[runner]({ projectRoot: copy.root });
    project = createTsProject({ projectRoot: copy.root });
    before = await adapter.runTests({ coverage: false });
  }, 120_000);
  afterAll(() => {
    closeTsProject(project);
    copy?.cleanup();
  });

  const read = (rel: string): string => readFileSync(join(copy.root, rel), "utf8");

  /** The pattern fix for the failure of one test (by node id), checked to apply; the edits are then written. */
  async function fixFor(nodeId: string): Promise<PatternFix> {
    const failure = before.failures.find((f) => f.nodeId === nodeId);
    if (!failure) throw new Error(`no failure ${nodeId} in ${before.failures.map((f) => f.nodeId).join(", ")}`);
    const ctx = createPatternContext({
      failure,
      analysis: analyzeFailure(failure, { projectRoot: copy.root }),
      projectRoot: copy.root,
      helper: noPython,
      isTestFile: (rel) => adapter.isTestFile(rel),
      typescript: project,
    });
    const fix = await findPatternFix(ctx);
    expect(fix).not.toBeNull();
    await applyEdits(copy.root, fix!.proposal.edits);
    return fix!;
  }

  it("reports the six injected bugs", () => {
    expect(before.failures.map((f) => f.nodeId).sort()).toEqual([
      "tests/label.test.ts::labels an item",
      "tests/order.test.ts::shouts the city",
      "tests/pausable.test.ts::resumes without a callback",
      "tests/receipt.test.ts::prints a receipt line",
      "tests/stock.test.ts::counts the stock lines",
      "tests/where.test.ts::finds the file name",
    ]);
  });

  it(
    "restores a deleted import of two names in one declaration, " + "from the module declaring them (not the barrel, not node:path)",
    async () => {
      // basename: declared by paths.ts only; join: declared by paths.ts and legacy-paths.ts, and shelf.ts imports it from paths.ts.
      const fix = await fixFor("tests/where.test.ts::finds the file name");
      expect(fix.patternId).toBe("ts-missing-import");
      expect(fix.proposal.edits).toHaveLength(1);
      expect(read("src/where.ts")).toMatch(/^import \{ basename, join \} from "\.\/paths\.js";\n\nexport function where\(/);
      expect(fix.proposal.explanation).toMatch(
        /^Import basename, join from "\.\/paths\.js" in src\/where\.ts: .*for basename, the one project module declaring it/,
      );
    },
  );

  it("adds a name to a multi-line import ending in a trailing comma without corrupting it", async () => {
    const fix = await fixFor("tests/receipt.test.ts::prints a receipt line");
    expect(fix.patternId).toBe("ts-missing-import");
    const edit = { file: "src/receipt.ts", find: "  formatPrice,\n", replace: "  formatPrice,\n  parsePrice,\n", nearLine: 3 };
    expect(fix.proposal.edits).toEqual([edit]);
    expect(read("src/receipt.ts")).toMatch(/^import \{\n {2}basename,\n {2}formatPrice,\n {2}parsePrice,\n\} from "\.\/index\.js";\n/);
  });

  it("writes the import in the file's own style (single quotes, no semicolon) when the file has no import left", async () => {
    const fix = await fixFor("tests/label.test.ts::labels an item");
    expect(fix.patternId).toBe("ts-missing-import");
    // Above the JSDoc, which stays with its function.
    expect(read("src/label.ts")).toMatch(/^import \{ formatPrice \} from '\.\/money\.js'\n\n\/\*\*\n \* Shelf labels\.\n/);
  });

  it("imports from a Node builtin when nothing in the project declares the name, spelt as the project spells builtins", async () => {
    const fix = await fixFor("tests/stock.test.ts::counts the stock lines");
    expect(fix.patternId).toBe("ts-missing-import");
    expect(read("src/stock.ts")).toMatch(/^import \{ readFileSync \} from "node:fs";\nimport \{ join \} from "node:path";\n/);
  });

  it("finds a misspelling on a chained line above the line V8 reports", async () => {
    const fix = await fixFor("tests/order.test.ts::shouts the city");
    expect(fix.patternId).toBe("ts-spelling");
    expect(fix.proposal.edits).toEqual([{ file: "src/order.ts", find: "    .adress\n", replace: "    .address\n", nearLine: 8 }]);
    expect(read("src/order.ts")).toContain("  return order\n    .address\n    .city.toUpperCase();\n");
  });

  it("calls an optional callback only when given (`onResumed?.()`), from V8's `onResumed is not a function`", async () => {
    const fix = await fixFor("tests/pausable.test.ts::resumes without a callback");
    expect(fix.patternId).toBe("ts-undefined-guard");
    expect(fix.proposal.edits).toEqual([
      {
        file: "src/pausable.ts",
        find: expect.stringContaining("    onResumed();\n"),
        replace: expect.stringContaining("    onResumed?.();\n"),
        nearLine: 6,
      },
    ]);
  });

  it("leaves the suite green", async () => {
    const after = await adapter.runTests({ coverage: false });
    expect(after.failures).toEqual([]);
    expect(after.passed).toBe(7);
  }, 120_000);
});
