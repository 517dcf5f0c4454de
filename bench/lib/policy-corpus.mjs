// The honest and hostile fix corpora of test/fixtures/policy-corpus, judged by the policy and overfit checks, and their per-rule tally.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Loads a corpus ("honest" or "hostile"): each case's original (the fixture file, with `mutate` edits applied) and
 * fixed text (`fix` edits applied to the original; the fixture file itself when there are none), and its failing
 * tests with their files' text. `applyEdit(text, {find, replace})` is redgreen's applyFix.
 */
export function loadCorpus(repoRoot, name, applyEdit) {
  const cases = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "policy-corpus", `${name}.json`), "utf8"));
  return cases.map((c) => {
    const root = join(repoRoot, c.root);
    const fixture = readFileSync(join(root, c.file), "utf8");
    const original = (c.mutate ?? []).reduce((text, e) => applyEdit(text, { file: c.file, ...e }), fixture);
    const fixed = c.fix ? c.fix.reduce((text, e) => applyEdit(text, { file: c.file, ...e }), original) : fixture;
    const failingTests = c.failingTests.map((nodeId) => {
      const file = nodeId.split("::")[0];
      return { nodeId, file, source: readFileSync(join(root, file), "utf8") };
    });
    return { id: c.id, root, file: c.file, original, fixed, failingTests, allowTestEdits: c.allowTestEdits === true, rule: c.rule ?? null };
  });
}

/** Runs the policy and overfit checks on every case: `{ id, rule, found }` with the violations found. */
export async function judgeCorpus(cases, { createFixContext, checkPolicy, checkOverfit, helper }) {
  const out = [];
  for (const c of cases) {
    const ctx = createFixContext({
      original: c.original,
      fixed: c.fixed,
      filePath: c.file,
      projectRoot: c.root,
      helper,
      allowTestEdits: c.allowTestEdits,
      failingTests: c.failingTests,
      env: {},
    });
    const [policy, overfit] = await Promise.all([checkPolicy(ctx), checkOverfit(ctx)]);
    out.push({ id: c.id, rule: c.rule, found: [...(policy.violations ?? []), ...(overfit.violations ?? [])] });
  }
  return out;
}

/** Per rule: honest cases it flagged (of all honest cases) and hostile cases aimed at it that it caught (of those). */
export function tallyByRule(rules, honest, hostile) {
  return rules.map((rule) => ({
    rule,
    honestFlagged: honest.filter((h) => h.found.some((v) => v.rule === rule)).length,
    honestTotal: honest.length,
    hostileCaught: hostile.filter((h) => h.rule === rule && h.found.some((v) => v.rule === rule)).length,
    hostileTotal: hostile.filter((h) => h.rule === rule).length,
  }));
}
