// Benchmark: the analyze step (runAnalyzer over every failure of a run, then grouping) on generated suites whose every
// module lost its import of the shared helpers, so thousands of tests fail; as a ratio to one bare run of the suite.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { groupFailures, runAnalyzer } from "../../dist/src/analysis/index.js";
import { createRunnerAdapter } from "../../dist/src/runners/create-adapter.js";
import { venvPython } from "../lib/env.mjs";
import { median, round3 } from "../lib/measure.mjs";
import { bareCommand, generateScaleSuite } from "../lib/scale-suite.mjs";
import { watchCommand } from "../lib/watch-process.mjs";

const LANGS = ["python", "vitest"];
const DEFAULT_TESTS = 5_000;
/** The analysis of a run's failures should cost a small share of the run that found them. */
const GOAL_RATIO = 0.05;
const ENV = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CI: "1", NO_COLOR: "1" };

/** Deletes the shared helpers' import from every module: each test of `bounded` or `label` then fails on a missing name. */
function dropSharedImports(dir, lang) {
  const srcDir = join(dir, lang === "python" ? "app" : "src");
  const line = lang === "python" ? "from app.shared import clamp, tag\n" : 'import { clamp, tag } from "./shared";\n';
  let modules = 0;
  for (const name of readdirSync(srcDir).filter((n) => /^mod_?\d+\.(?:py|ts)$/.test(n))) {
    const file = join(srcDir, name);
    const text = readFileSync(file, "utf8");
    if (!text.includes(line)) throw new Error(`${file} does not import the shared helpers as expected`);
    writeFileSync(file, text.replace(line, ""));
    modules++;
  }
  return modules;
}

async function measureLang({ tmp, runs, log, lang, tests }) {
  const dir = join(tmp, `${lang}-${tests}`);
  const suite = generateScaleSuite(dir, { lang, tests });
  const modules = dropSharedImports(dir, lang);
  const bare = bareCommand(lang, dir, venvPython);
  log(`${lang} ${tests} tests, ${modules} modules without their shared import: bare run`);
  await watchCommand(bare.file, bare.args, { cwd: dir, env: ENV });
  const bareRun = await watchCommand(bare.file, bare.args, { cwd: dir, env: ENV });
  const adapter = await createRunnerAdapter({ projectRoot: dir, runner: lang === "python" ? "pytest" : "vitest", python: venvPython });
  const run = await adapter.runTests();
  const failing = run.failures.map((f) => f.nodeId);
  log(`${lang}: ${run.failures.length} failures; analysing ${runs} times`);
  const samples = [];
  let groups = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    // As the analyze node does it: one analyzer for the run, every failure through it, then the root-cause groups.
    const analyze = runAnalyzer(adapter, failing, null);
    const analyses = run.failures.map((failure) => ({ nodeId: failure.nodeId, ...analyze(failure) }));
    groups = groupFailures(analyses).length;
    samples.push((performance.now() - started) / 1000);
  }
  const analyzeS = median(samples);
  return {
    lang,
    tests,
    files: suite.files,
    failures: run.failures.length,
    groups,
    bareS: round3(bareRun.seconds),
    analyzeS: round3(analyzeS),
    msPerFailure: round3((analyzeS * 1000) / Math.max(1, run.failures.length)),
    ratio: round3(analyzeS / bareRun.seconds),
    samplesS: samples.map(round3),
  };
}

export default {
  name: "analyze-scale",
  description:
    "the analyze step (one runAnalyzer over every failure of a real run, then grouping) on generated pytest and vitest suites " +
    "whose every module lost its import of the shared helpers (thousands of failures), against one bare run of the suite",
  goal: `analysis time <= ${GOAL_RATIO} x one bare run`,
  options: { lang: "python or vitest (default both)", tests: `suite size (default ${DEFAULT_TESTS})` },
  async run({ tmp, runs, log, options }) {
    const langs = options.lang ? [options.lang] : LANGS;
    for (const l of langs) if (!LANGS.includes(l)) throw new Error(`--lang takes ${LANGS.join(", ")}, got '${l}'`);
    const tests = options.tests ? Number(options.tests) : DEFAULT_TESTS;
    if (!Number.isInteger(tests) || tests < 10) throw new Error(`--tests takes a whole number of at least 10, got '${options.tests}'`);
    const cells = [];
    for (const lang of langs) cells.push(await measureLang({ tmp, runs, log, lang, tests }));
    return { goalRatio: GOAL_RATIO, met: cells.every((c) => c.ratio <= GOAL_RATIO), cells };
  },
  table(r) {
    const rows = r.cells.map(
      (c) =>
        `| ${c.lang} | ${c.tests} | ${c.files} | ${c.failures} | ${c.groups} | ${c.bareS} | ${c.analyzeS} | ${c.msPerFailure} | **` +
        `${c.ratio}** |`,
    );
    return [
      "| runner | tests | modules | failures | groups | bare run (s) | analysis, median (s) | ms per failure | ratio |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n");
  },
};
