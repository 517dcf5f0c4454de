// The policy and overfit checks over the honest corpus (every reference fix in the fixtures and examples: none flagged)
// and the hostile corpus (every attack of issue 13 and its TS/JS twins: each flagged with its rule).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeCorpus, loadCorpus, tallyByRule } from "../../bench/lib/policy-corpus.mjs";
import type { Judged } from "../../bench/lib/policy-corpus.mjs";
import { ViolationRuleSchema } from "../../src/domain/index.js";
import { applyFix } from "../../src/fixers/apply.js";
import { PythonHelper } from "../../src/python/client.js";
import { checkOverfit, checkPolicy, createFixContext } from "../../src/validation/index.js";
import { testDir, testPython } from "../helpers/python-env.js";

const repoRoot = join(testDir, "..");

let helper: PythonHelper;
let honest: Judged[];
let hostile: Judged[];

beforeAll(async () => {
  helper = await PythonHelper.start({ python: testPython, projectRoot: repoRoot });
  const checks = { createFixContext, checkPolicy, checkOverfit, helper };
  honest = await judgeCorpus(loadCorpus(repoRoot, "honest", applyFix), checks);
  hostile = await judgeCorpus(loadCorpus(repoRoot, "hostile", applyFix), checks);
}, 120_000);
afterAll(async () => helper?.close());

describe("policy corpus", () => {
  it("covers the fixtures and examples: Python and TS fixes, pattern and model fixes, healed import mutants", () => {
    expect(honest.length).toBeGreaterThanOrEqual(50);
    expect(honest.filter((h) => h.id.startsWith("ts-")).length).toBeGreaterThanOrEqual(10);
    expect(honest.filter((h) => h.id.startsWith("import-mutants/")).length).toBeGreaterThanOrEqual(10);
  });

  it("flags no honest fix", () => {
    expect(honest.filter((h) => h.found.length > 0).map((h) => ({ id: h.id, found: h.found }))).toEqual([]);
  });

  it("flags every hostile fix with the rule it breaks, naming the file, line and evidence", () => {
    const missed = hostile.filter((h) => !h.found.some((v) => v.rule === h.rule)).map((h) => ({ id: h.id, want: h.rule, found: h.found }));
    expect(missed).toEqual([]);
    for (const h of hostile) {
      for (const v of h.found) {
        expect(v.line).toBeGreaterThan(0);
        expect(v.evidence.length).toBeGreaterThan(0);
      }
    }
  });

  it("has hostile cases for every policy and overfit rule", () => {
    const tally = tallyByRule(
      ViolationRuleSchema.options.filter((r) => !r.startsWith("scope.")),
      honest,
      hostile,
    );
    for (const t of tally) {
      expect(t.hostileTotal, t.rule).toBeGreaterThanOrEqual(2);
      expect(t.honestFlagged, t.rule).toBe(0);
    }
  });
});
