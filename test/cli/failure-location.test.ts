// A failure raised in a source file the test called, through the real CLI on pytest, vitest and jest: `lineNumber` is the
// test file's line (the call), `faultFile`/`faultLine` the source line that raised; the text report shows both.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestCommandJsonSchema } from "../../src/domain/index.js";
import { copyJsProject, copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

/** The 1-based line of `root/file` that contains `text` (exactly one does). */
function lineOf(root: string, file: string, text: string): number {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  expect(hits, `${file}: ${text}`).toHaveLength(1);
  return hits[0]!;
}

interface Case {
  runner: "pytest" | "vitest" | "jest";
  copy: () => { root: string; cleanup: () => void };
  args: string[];
  nodeId: string;
  testFile: string;
  call: string;
  faultFile: string;
  raise: string;
}

const cases: Case[] = [
  {
    runner: "pytest",
    copy: () => copyProject(fixturePath("pytest", "failing")),
    args: ["--python", testPython],
    nodeId: "tests/test_shop.py::test_key_error",
    testFile: "tests/test_shop.py",
    call: 'price_of({"apple": 2}, "banana")',
    faultFile: "shop.py",
    raise: "return prices[item]",
  },
  ...(["vitest", "jest"] as const).map((runner) => ({
    runner,
    copy: () => copyJsProject(fixturePath(runner, "failing")),
    args: ["--runner", runner],
    nodeId: "tests/cart.test.ts::cart > inventory > reserve > refuses an item out of stock",
    testFile: "tests/cart.test.ts",
    call: 'reserve("ink", 1)',
    faultFile: "src/inventory.ts",
    raise: "throw new OutOfStockError(item)",
  })),
];

describe("failure location: the test's line and the fault's line, apart", () => {
  it.each(cases)(
    "$runner",
    async (c) => {
      const project = c.copy();
      cleanups.push(project.cleanup);
      const testLine = lineOf(project.root, c.testFile, c.call);
      const faultLine = lineOf(project.root, c.faultFile, c.raise);

      const json = await runCli(["test", project.root, "--json", "--no-coverage", ...c.args]);
      expect(json.exitCode, json.stderr).toBe(1);
      const result = TestCommandJsonSchema.parse(JSON.parse(json.stdout));
      const failure = result.failures.find((f) => f.nodeId === c.nodeId);
      expect(failure, result.failures.map((f) => f.nodeId).join("\n")).toBeDefined();
      expect(failure).toMatchObject({ testFile: c.testFile, lineNumber: testLine, faultFile: c.faultFile, faultLine });
      // A failure raised in the test itself has its fault in the test file.
      const inTest = result.failures.filter((x) => x.faultFile === x.testFile);
      expect(inTest.length).toBeGreaterThan(0);
      for (const f of inTest) expect(f.faultLine).toBe(f.lineNumber);

      const text = await runCli(["test", project.root, "--no-coverage", ...c.args]);
      expect(text.exitCode).toBe(1);
      expectNoStackTrace(text.stderr);
      expect(text.stdout).toContain(`at ${c.testFile}:${testLine} (raised in ${c.faultFile}:${faultLine})`);
    },
    120_000,
  );
});
