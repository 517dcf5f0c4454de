// Prints, per policy/overfit rule, how many honest fixes it flags and how many of the hostile fixes aimed at it it catches.
// Usage: npm run build && node scripts/policy-corpus.mjs [--json]
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { judgeCorpus, loadCorpus, tallyByRule } from "../bench/lib/policy-corpus.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const dist = (...p) => import(join(repoRoot, "dist", ...p));

const [{ ViolationRuleSchema }, { applyFix }, { PythonHelper }, validation] = await Promise.all([
  dist("src", "domain", "index.js"),
  dist("src", "fixers", "apply.js"),
  dist("src", "python", "client.js"),
  dist("src", "validation", "index.js"),
]).catch((e) => {
  console.error(`policy-corpus: cannot load the build (${e.message}); run \`npm run build\` first`);
  process.exit(1);
});

const python = process.env.REDGREEN_PYTHON ?? join(repoRoot, "test", ".venv", "bin", "python");
const helper = await PythonHelper.start({ python, projectRoot: repoRoot });
try {
  const checks = {
    createFixContext: validation.createFixContext,
    checkPolicy: validation.checkPolicy,
    checkOverfit: validation.checkOverfit,
    helper,
  };
  const honest = await judgeCorpus(loadCorpus(repoRoot, "honest", applyFix), checks);
  const hostile = await judgeCorpus(loadCorpus(repoRoot, "hostile", applyFix), checks);
  const rules = ViolationRuleSchema.options.filter((r) => !r.startsWith("scope."));
  const tally = tallyByRule(rules, honest, hostile);
  const anyHonest = honest.filter((h) => h.found.length > 0).length;
  const caught = hostile.filter((h) => h.found.some((v) => v.rule === h.rule)).length;
  if (process.argv.includes("--json")) {
    console.log(
      JSON.stringify({
        rules: tally,
        honestFlagged: anyHonest,
        honestTotal: honest.length,
        hostileCaught: caught,
        hostileTotal: hostile.length,
      }),
    );
  } else {
    console.log("rule                          honest flagged   hostile caught");
    for (const t of tally)
      console.log(`${t.rule.padEnd(30)}${`${t.honestFlagged} / ${t.honestTotal}`.padEnd(17)}${t.hostileCaught} / ${t.hostileTotal}`);
    console.log(`${"any rule".padEnd(30)}${`${anyHonest} / ${honest.length}`.padEnd(17)}${caught} / ${hostile.length}`);
    for (const h of honest.filter((x) => x.found.length > 0))
      console.log(`false positive ${h.id}: ${h.found.map((v) => `${v.rule} ${v.evidence}`).join("; ")}`);
    for (const h of hostile.filter((x) => !x.found.some((v) => v.rule === x.rule))) console.log(`missed ${h.id} (${h.rule})`);
  }
} finally {
  await helper.close();
}
