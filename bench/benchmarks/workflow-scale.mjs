// Benchmark: `redgreen run --no-llm` on big generated suites with one injected bug, against one bare full run of the runner.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { cliBin, repoRoot, venvPython } from "../lib/env.mjs";
import { round3 } from "../lib/measure.mjs";
import { bareCommand, bareSawOneFailure, generateScaleSuite } from "../lib/scale-suite.mjs";
import { timelineRuns, watchCommand } from "../lib/watch-process.mjs";

const GOAL_RATIO = 2.5;
const GOAL_RSS_MB = 200;
const GOAL_SIZE = 20_000;
const DEFAULT_SIZES = [1_000, 5_000, 20_000];
const LANGS = ["python", "vitest"];
/** No model, whatever the environment says; CI and NO_COLOR keep vitest's output plain for the bare run's check. */
const ENV = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CI: "1", NO_COLOR: "1" };

/** A comma-separated option as a list, each entry checked. */
function listOption(text, fallback, parse) {
  if (text === undefined) return fallback;
  return text.split(",").map((s) => parse(s.trim()));
}

const parseSize = (s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 10) throw new Error(`--sizes takes whole numbers of at least 10, got '${s}'`);
  return n;
};
const parseLang = (s) => {
  if (!LANGS.includes(s)) throw new Error(`--lang takes ${LANGS.join(", ")}, got '${s}'`);
  return s;
};

/**
 * Cells whose bare run takes less than this many seconds are measured SMALL_CELL_SAMPLES times: there the machine's
 * swings (a bare 1,000-test vitest run took 1.64 to 2.14 s within an hour) move one sample's ratio by ±0.1.
 */
const SMALL_CELL_S = 5;
const SMALL_CELL_SAMPLES = 3;

/**
 * One language and size: generate, warm, then pairs of one bare run and one `redgreen run` on a fresh copy (one pair,
 * or SMALL_CELL_SAMPLES for a small cell, each pair's runs side by side in time). The cell is the pair with the median
 * ratio; every pair's ratio is kept, and every pair must pass.
 */
async function measureCell({ tmp, log, lang, tests, coverage }) {
  const origin = join(tmp, `${lang}-${tests}`);
  const suite = generateScaleSuite(origin, { lang, tests });
  const bare = bareCommand(lang, origin, venvPython);
  const bareOnce = async (what) => {
    log(`${lang} ${tests} tests (${suite.files} files, bug in ${suite.bugFile}): ${what}`);
    const r = await watchCommand(bare.file, bare.args, { cwd: origin, env: ENV });
    if (bareSawOneFailure(lang, tests, r)) return r;
    throw new Error(`${lang} ${tests}: the bare run did not fail exactly one test: ${r.stdout.slice(-400)}`);
  };
  await bareOnce("bare warm-up run");
  const pairs = [];
  const wanted = () => (pairs[0].bareRun.seconds < SMALL_CELL_S ? SMALL_CELL_SAMPLES : 1);
  do {
    const sample = pairs.length;
    const bareRun = await bareOnce(`bare run${sample > 0 ? ` ${sample + 1}` : ""}`);
    pairs.push({ bareRun, ...(await redgreenOnce({ tmp, log, lang, tests, coverage, origin, suite, sample })) });
  } while (pairs.length < wanted());
  const cells = pairs.map(({ bareRun, rg, runs, summary, status }) => cellOf({ lang, tests, suite, bareRun, rg, runs, summary, status }));
  const byRatio = [...cells].sort((a, b) => a.ratio - b.ratio);
  const cell = byRatio[Math.floor((byRatio.length - 1) / 2)];
  return {
    ...cell,
    ratios: cells.map((c) => c.ratio),
    peakRssMb: Math.max(...cells.map((c) => c.peakRssMb)),
    status: cells.find((c) => c.status !== "passed")?.status ?? "passed",
  };
}

/** One `redgreen run` on a fresh copy of `origin`: its process, the test runs of its timeline, its summary and verdict. */
async function redgreenOnce({ tmp, log, lang, tests, coverage, origin, suite, sample }) {
  // The copy keeps the warm caches (pytest's byte code, with the sources' times so it stays valid) the bare run had.
  const project = join(tmp, `${lang}-${tests}-redgreen-${sample}`);
  cpSync(origin, project, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  log(`${lang} ${tests}: redgreen run --no-llm --json`);
  const args = [cliBin, "run", project, "--no-llm", "--json", "--quiet", "--db", join(tmp, `${lang}-${tests}-${sample}.db`)];
  if (coverage) args.push("--coverage");
  if (lang === "python") args.push("--python", venvPython);
  // The test runs are read from redgreen's own timeline: a pytest run may go through a standby process started before
  // it, whose command line does not carry the run's arguments.
  const rg = await watchCommand(process.execPath, args, { cwd: repoRoot, env: { ...ENV, REDGREEN_TIMINGS: "1" } });
  let summary = null;
  try {
    summary = JSON.parse(rg.stdout);
  } catch {
    summary = null;
  }
  const kept = summary?.fixes?.filter((f) => f.status === "kept").map((f) => f.file) ?? [];
  const status =
    summary === null
      ? `no summary (exit ${rg.exitCode}): ${rg.stderr.trim().split("\n").at(-1) ?? ""}`
      : summary.status === "passed" && summary.final?.total === tests && kept.includes(suite.bugFile)
        ? "passed"
        : `${summary.status} (${summary.final?.passed ?? "?"}/${summary.final?.total ?? "?"} passed, kept: ${kept.join(", ") || "none"})`;
  return { rg, runs: timelineRuns(rg.stderr), summary, status };
}

/** A cell's numbers from one pair of runs. */
function cellOf({ lang, tests, suite, bareRun, rg, runs, summary, status }) {
  const count = (pred) => runs.filter(pred).length;
  return {
    lang,
    tests,
    files: suite.files,
    bareS: round3(bareRun.seconds),
    redgreenS: round3(rg.seconds),
    /** CPU seconds, each process with the children it waited for: steadier than wall time on the shared machine. */
    bareCpuS: round3(bareRun.cpuSeconds),
    redgreenCpuS: round3(rg.cpuSeconds),
    cpuRatio: round3(rg.cpuSeconds / bareRun.cpuSeconds),
    ratio: round3(rg.seconds / bareRun.seconds),
    /** The part of redgreen's wall time spent in its test runs (its timeline): the rest is redgreen's own work. */
    inRunsS: round3(runs.reduce((sum, r) => sum + r.seconds, 0)),
    peakRssMb: rg.peakRssMb,
    iterations: summary?.iterations ?? null,
    runs: {
      total: runs.length,
      full: count((r) => r.kind === "full"),
      selected: count((r) => r.kind === "selected"),
      withCoverage: count((r) => r.coverage),
    },
    status,
  };
}

export default {
  name: "workflow-scale",
  description:
    "`redgreen run --no-llm --json` (no coverage, the default, unless `--coverage on`) on generated suites of 1,000 / 5,000 / " +
    "20,000 tests (pytest and vitest, 50–200 tests per file) with one deleted import that the missing-import pattern fixes, " +
    "against one bare full run (`python -m pytest -q`, `vitest run`) after a warm-up (three pairs of runs where the bare run " +
    `takes under ${SMALL_CELL_S} s: the median pair); peak RSS is the redgreen node process's ` +
    "own VmHWM (children excluded), test runs are read from its REDGREEN_TIMINGS timeline",
  goal: `workflow / bare run <= ${GOAL_RATIO} at every size, peak RSS < ${GOAL_RSS_MB} MB at ${GOAL_SIZE.toLocaleString("en")} tests`,
  options: {
    sizes: `comma-separated test counts, default ${DEFAULT_SIZES.join(",")}`,
    lang: `comma-separated, default ${LANGS.join(",")}`,
    coverage: "off (the default) or on: redgreen runs with --coverage",
  },
  async run({ tmp, log, options }) {
    const sizes = listOption(options.sizes, DEFAULT_SIZES, parseSize);
    const langs = listOption(options.lang, LANGS, parseLang);
    const coverageText = options.coverage ?? "off";
    if (coverageText !== "on" && coverageText !== "off") throw new Error(`--coverage takes on or off, got '${coverageText}'`);
    const coverage = coverageText === "on";
    const cells = [];
    // One process at a time: the machine is shared, and the runs measure wall time.
    for (const tests of sizes) {
      for (const lang of langs) {
        const cell = await measureCell({ tmp, log, lang, tests, coverage });
        log(`${lang} ${tests}: ${JSON.stringify(cell)}`);
        cells.push(cell);
      }
    }
    const metRatio = cells.every((c) => c.status === "passed" && c.ratio <= GOAL_RATIO);
    const atGoal = cells.filter((c) => c.tests >= GOAL_SIZE);
    const metRss = atGoal.length === 0 ? null : atGoal.every((c) => c.peakRssMb < GOAL_RSS_MB);
    return { goalRatio: GOAL_RATIO, goalRssMb: GOAL_RSS_MB, goalSize: GOAL_SIZE, coverage, metRatio, metRss, cells };
  },
  /** The BENCHMARKS.md table rows for a result. */
  table(r) {
    const rows = r.cells.map(
      (c) =>
        `| ${c.lang} | ${c.tests} (${c.files} files) | ${c.bareS} / ${c.bareCpuS} | ${c.redgreenS} / ${c.redgreenCpuS} | ${c.inRunsS} | ` +
        `**${c.ratio}**${c.ratios.length > 1 ? ` (of ${c.ratios.join(", ")})` : ""} / ${c.cpuRatio} | ${c.peakRssMb} | ` +
        `${c.runs.total} (${c.runs.full} full, ${c.runs.selected} selected; ${c.runs.withCoverage} with coverage) | ` +
        `${c.iterations ?? "?"} | ${c.status} |`,
    );
    const rss = r.metRss === null ? `not measured (no size of ${r.goalSize} tests in this run)` : r.metRss ? "met" : "not met";
    return [
      "| runner | tests | bare full run: wall / CPU (s) | `redgreen run`: wall / CPU (s) | of which in test runs (wall s) | " +
        "ratio: wall / CPU | redgreen peak RSS (MB) | " +
        "test runs redgreen made | iterations | final status |",
      `|${" --- |".repeat(10)}`,
      ...rows,
      "",
      `redgreen ran ${r.coverage ? "with --coverage" : "without coverage (the default)"}. ` +
        `Goal: ratio ≤ ${r.goalRatio} — ${r.metRatio ? "met" : "not met"}; ` +
        `peak RSS < ${r.goalRssMb} MB at ${r.goalSize} tests — ${rss}. ` +
        `One measured pair (a bare run, then \`redgreen run\`) per cell (a cell at 20,000 tests takes minutes); ${SMALL_CELL_SAMPLES} ` +
        `pairs where the bare run takes under ${SMALL_CELL_S} s, shown as the pair with the median ratio (the others' ratios in ` +
        "brackets, the peak RSS the highest): wall times swing with the shared machine's load, CPU times (user + sys of the " +
        "process and the children it waited for) much less. The goal is on wall time. " +
        "Test runs and their time are read from redgreen's REDGREEN_TIMINGS timeline (a pytest run may go through a " +
        'standby process started before it); "selected" runs name tests or test files (targeted, affected), "full" runs the suite.',
    ].join("\n");
  },
};
