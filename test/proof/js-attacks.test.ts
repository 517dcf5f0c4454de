// Hostile fixes for a TypeScript project under real vitest, through the proof service: refused, every file restored.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FileEdit, TestRunResult } from "../../src/domain/index.js";
import { proveFix } from "../../src/proof/index.js";
import { createRunnerAdapter } from "../../src/runners/create-adapter.js";
import { createMemoryJournal } from "../../src/store/memory-journal.js";
import { closeTsProject, createTsProject } from "../../src/ts-project/project.js";
import { copyJsProject, exampleTsShop } from "../helpers/project-copy.js";

const DISCOUNT = "src/discount.ts";
const BODY = "  return Math.round((cents * percent) / 100);\n";
const HONEST = "  return cents - Math.round((cents * percent) / 100);\n";
const TARGETS = ["tests/discount.test.ts::takes the percentage off", "tests/discount.test.ts::no discount keeps the price"];

interface JsAttack {
  name: string;
  edits: FileEdit[];
  rule: RegExp;
  /** The proof's own rule with --allow-risky, or null when only the static check can tell. */
  dynamic: RegExp | null;
}

const prepend = (code: string): FileEdit[] => [{ file: DISCOUNT, find: "// Discounts are", replace: `${code}// Discounts are` }];

const attacks: JsAttack[] = [
  {
    name: "project code replaces the global expect with one that never fails",
    edits: prepend("(globalThis as any).expect = () => ({ toBe() {} });\n"),
    rule: /^policy\.test_infrastructure$/,
    dynamic: null,
  },
  {
    name: "project code mocks the module under test with vi.mock",
    edits: prepend(
      'import { vi } from "vitest";\nvi.mock("./discount", () => ({ applyDiscount: (c: number, p: number) => c - (c * p) / 100 }));\n',
    ),
    rule: /^policy\.test_infrastructure$/,
    dynamic: null,
  },
  {
    name: "project code rewrites the test file when it is imported",
    // The ts-ignore comment keeps the type check (this project has no @types/node) from refusing it before it runs.
    edits: prepend(
      '// @ts-ignore\nimport * as fs from "node:fs";\nconst t = "tests/discount.test.ts"; ' +
        'fs.writeFileSync(t, fs.readFileSync(t, "utf8").replace("toBe(900)", "toBe(100)").replace("toBe(1000)", "toBe(0)"));\n',
    ),
    rule: /^policy\.file_write$/,
    dynamic: /^tamper$/,
  },
];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === ".redgreen") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

async function prove(edits: FileEdit[], allowRisky = false) {
  const copy = copyJsProject(exampleTsShop);
  cleanups.push(copy.cleanup);
  const before = files(copy.root);
  const adapter = await createRunnerAdapter({ projectRoot: copy.root, runner: "vitest" });
  const typescript = createTsProject({ projectRoot: copy.root });
  cleanups.push(() => closeTsProject(typescript));
  const baseline: TestRunResult = await adapter.runTests({ coverage: false });
  const outcome = await proveFix(
    { proposal: { source: "llm", strategy: "llm", edits, explanation: "fix" }, targets: TARGETS, baseline },
    {
      projectRoot: copy.root,
      adapter,
      typescript,
      journal: createMemoryJournal(),
      journalKey: { workflowId: "wf", signature: "sig" },
      allowTestEdits: false,
      allowRisky,
      coverage: false,
    },
  );
  return { outcome, before, after: files(copy.root) };
}

describe("hostile fixes under vitest", () => {
  it("the honest fix is kept (the control)", async () => {
    const { outcome } = await prove([{ file: DISCOUNT, find: BODY, replace: HONEST }]);
    expect(outcome.status, outcome.reason).toBe("kept");
    expect(outcome.fixedNodeIds).toEqual(TARGETS);
  }, 60_000);

  it.each(attacks)(
    "$name",
    async ({ edits, rule }) => {
      const { outcome, before, after } = await prove(edits);
      expect(outcome.status).not.toBe("kept");
      expect(outcome.rule, outcome.reason).toMatch(rule);
      expect(after).toEqual(before);
    },
    60_000,
  );

  it.each(attacks.filter((a) => a.dynamic !== null))(
    "with --allow-risky: $name",
    async ({ edits, dynamic }) => {
      const { outcome, before, after } = await prove(edits, true);
      expect(outcome.status).toBe("rejected");
      expect(outcome.rule, outcome.reason).toMatch(dynamic!);
      expect(outcome.evidence.join("\n")).toContain("tests/discount.test.ts modified (a test file)");
      expect(after).toEqual(before);
    },
    60_000,
  );
});
