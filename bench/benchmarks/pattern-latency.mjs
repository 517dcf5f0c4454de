// Benchmark: how long findPatternFix takes per failure (no test run included) on the pattern fixture projects,
// cold (first call on a fresh helper) and warm (the helper's parse caches filled). `npm run bench -- pattern-latency`.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { analyzeFailure } from "../../dist/src/analysis/index.js";
import { createPatternContext, findPatternFix } from "../../dist/src/fixers/patterns/index.js";
import { PythonHelper } from "../../dist/src/python/client.js";
import { createPytestAdapter } from "../../dist/src/runners/pytest/adapter.js";
import { repoRoot, venvPython } from "../lib/env.mjs";
import { median, round3 } from "../lib/measure.mjs";

const PROJECTS = ["imports", "await", "await-decorated", "commit", "none-guard", "typo", "typo-shapes", "assertion", "declines"];
const GOAL_P95_MS = 100;
/** A generated project of this many modules shows how the project-wide index scales. */
const SYNTHETIC_MODULES = 400;

/** Writes a package of SYNTHETIC_MODULES modules chained by imports; one module forgot `from pkg.helpers import Ledger`. */
async function writeSynthetic(dir) {
  await mkdir(join(dir, "pkg"), { recursive: true });
  await mkdir(join(dir, "tests"));
  await writeFile(join(dir, "pytest.ini"), "[pytest]\ntestpaths = tests\npythonpath = .\n");
  await writeFile(join(dir, "pkg", "__init__.py"), "");
  await writeFile(
    join(dir, "pkg", "helpers.py"),
    "class Ledger:\n    def __init__(self):\n        self.rows = []\n\n    def add(self, row):\n        self.rows.append(row)\n   " +
      "     return len(self.rows)\n",
  );
  for (let i = 0; i < SYNTHETIC_MODULES; i++) {
    const prev = i > 0 ? `from pkg.mod_${i - 1} import step_${i - 1}\n` : "";
    const uses = i % 10 === 0 ? "from pkg.helpers import Ledger\n" : "";
    const body = i > 0 ? `    return step_${i - 1}(x) + 1` : "    return x";
    await writeFile(
      join(dir, "pkg", `mod_${i}.py`),
      `import os\nimport json\n${uses}${prev}\n\ndef step_${i}(x):\n${body}\n\n\nclass Thing${i}:\n    name = "t${i}"\n`,
    );
  }
  await writeFile(
    join(dir, "pkg", "service.py"),
    "import json\n\n\ndef record(value):\n    ledger = Ledger()\n    return ledger.add(json.dumps(value))\n",
  );
  await writeFile(
    join(dir, "tests", "test_service.py"),
    "from pkg.service import record\n\n\ndef test_record():\n    assert record({'a': 1}) == 1\n",
  );
}

const percentile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};
const ms = (x) => (x === null ? null : Math.round(x * 10) / 10);

export default {
  name: "pattern-latency",
  description:
    `findPatternFix per failure, without the test run, on the ${PROJECTS.length} projects of test/fixtures/patterns (real pytest ` +
    `failures, real Python helper)`,
  goal: `warm p95 <= ${GOAL_P95_MS} ms per failure`,
  async run({ tmp, runs, log }) {
    const byPattern = {};
    const cold = [];
    const warm = [];
    const helperStart = [];
    const pytestRun = [];
    const syntheticCold = [];
    const syntheticWarm = [];
    for (const name of [...PROJECTS, "synthetic"]) {
      const dir = await mkdtemp(join(tmp, `${name}-`));
      if (name === "synthetic") await writeSynthetic(dir);
      else await cp(join(repoRoot, "test", "fixtures", "patterns", name), dir, { recursive: true });
      const adapter = await createPytestAdapter({ projectRoot: dir, python: venvPython });
      const t0 = performance.now();
      const result = await adapter.runTests();
      pytestRun.push((performance.now() - t0) / 1000);
      const t1 = performance.now();
      const helper = await PythonHelper.start({ python: venvPython, projectRoot: dir });
      helperStart.push(performance.now() - t1);
      try {
        const contexts = result.failures.map((failure) =>
          createPatternContext({
            failure,
            analysis: analyzeFailure(failure, { projectRoot: dir }),
            projectRoot: dir,
            helper,
            allowTestEdits: name === "assertion",
            isTestFile: (r) => adapter.isTestFile(r),
          }),
        );
        for (let round = 0; round <= runs; round++) {
          for (const ctx of contexts) {
            const started = performance.now();
            const found = await findPatternFix(ctx);
            const elapsed = performance.now() - started;
            if (name === "synthetic") {
              if (found?.patternId !== "missing-import")
                throw new Error(`synthetic project: expected missing-import, got ${found?.patternId ?? "no fix"}`);
              (round === 0 ? syntheticCold : syntheticWarm).push(elapsed);
              continue;
            }
            const key = found?.patternId ?? "(declined)";
            const entry = (byPattern[key] ??= { failures: 0, cold: [], warm: [] });
            if (round === 0) {
              entry.failures++;
              entry.cold.push(elapsed);
              cold.push(elapsed);
            } else {
              entry.warm.push(elapsed);
              warm.push(elapsed);
            }
          }
        }
        log(`${name}: ${contexts.length} failures`);
      } finally {
        await helper.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
    const patterns = Object.fromEntries(
      Object.entries(byPattern)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [
          k,
          {
            failures: v.failures,
            coldMedianMs: ms(median(v.cold)),
            warmP50Ms: ms(percentile(v.warm, 0.5)),
            warmP95Ms: ms(percentile(v.warm, 0.95)),
          },
        ]),
    );
    const warmP95 = ms(percentile(warm, 0.95));
    return {
      failures: cold.length,
      rounds: runs,
      coldP50Ms: ms(percentile(cold, 0.5)),
      coldMaxMs: ms(Math.max(...cold)),
      warmP50Ms: ms(percentile(warm, 0.5)),
      warmP95Ms: warmP95,
      warmMaxMs: ms(Math.max(...warm)),
      goalP95Ms: GOAL_P95_MS,
      met: warmP95 !== null && warmP95 <= GOAL_P95_MS,
      helperStartMedianMs: ms(median(helperStart)),
      pytestRunMedianS: round3(median(pytestRun)),
      patterns,
      synthetic: {
        modules: SYNTHETIC_MODULES + 3,
        coldMs: ms(syntheticCold[0] ?? null),
        warmP50Ms: ms(percentile(syntheticWarm, 0.5)),
        warmP95Ms: ms(percentile(syntheticWarm, 0.95)),
      },
    };
  },
  table(r) {
    const rows = [
      "| pattern (or declined) | failures | cold median (ms) | warm p50 (ms) | warm p95 (ms) |",
      "| --- | --- | --- | --- | --- |",
      ...Object.entries(r.patterns).map(([k, v]) => `| ${k} | ${v.failures} | ${v.coldMedianMs} | ${v.warmP50Ms} | ${v.warmP95Ms} |`),
      `| **all** | ${r.failures} | ${r.coldP50Ms} (p50), ${r.coldMaxMs} (max) | ${r.warmP50Ms} | **${r.warmP95Ms}** (goal ≤ ` +
        `${r.goalP95Ms}) |`,
      `| missing-import in a generated ${r.synthetic.modules}-module project | 1 | ${r.synthetic.coldMs} | ` +
        `${r.synthetic.warmP50Ms} | ${r.synthetic.warmP95Ms} |`,
    ];
    return [
      ...rows,
      "",
      `Cold = first call on a freshly started helper (it parses the project); warm = ${r.rounds} more rounds over the same ` +
        `failures. For scale: starting the Python helper takes ${r.helperStartMedianMs} ms (median), one pytest run of these ` +
        `projects ${r.pytestRunMedianS} s.`,
    ].join("\n");
  },
};
