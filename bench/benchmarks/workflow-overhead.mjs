// Benchmark: a full `redgreen run` on an already green suite against bare `python -m pytest -q`, through the CLI and in-process.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runWorkflow } from "../../dist/graph/run.js";
import { createWorkflowRuntime } from "../../dist/graph/runtime.js";
import { cpuSecondsNow } from "../lib/cpu.mjs";
import { cliBin, repoRoot, venvPython } from "../lib/env.mjs";
import { alternate, median, round3, timeCommand } from "../lib/measure.mjs";

/** Suite sizes: test files × tests per file. */
const SIZES = [
  { files: 10, perFile: 20 },
  { files: 40, perFile: 50 },
];
const GOAL_RATIO = 1.3;
/** No model, whatever the environment says: a green run never needs one, and both paths must do the same work. */
const ENV = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

const mapValues = (o, f) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** Writes a green project: one small module and one test file per module, `perFile` trivial tests each. */
export function generateGreenSuite(dir, { files, perFile }) {
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "conftest.py"), "# puts the project root on sys.path\n");
  for (let k = 0; k < files; k++) {
    writeFileSync(
      join(dir, `mod_${k}.py`),
      `def double(n):\n    return 2 * n\n\n\ndef label(n):\n    return "even" if n % 2 == 0 else "odd"\n`,
    );
    const params = Math.floor(perFile / 2);
    const plain = Array.from({ length: perFile - params }, (_, i) =>
      i % 2 === 0
        ? `def test_double_${i}():\n    assert double(${i}) == ${2 * i}\n`
        : `def test_label_${i}():\n    assert label(${i}) == "odd"\n`,
    );
    writeFileSync(
      join(dir, "tests", `test_mod_${k}.py`),
      `import pytest\n\nfrom mod_${k} import double, label\n\n\n@pytest.mark.parametrize("n", range(${params}))\ndef ` +
        `test_double_param(n):\n    assert double(n) == n + n\n\n\n${plain.join("\n\n")}`,
    );
  }
}

/**
 * createWorkflowRuntime + runWorkflow + close in this process: what the CLI does minus Node start-up and module
 * loading. Node visit times come from the agent log the graph writes, so the rest of runWorkflow is LangGraph's
 * own work (channels, checkpoints) plus the store's workflow row and the summary.
 */
async function runInProcess(project, db) {
  const cpuStarted = cpuSecondsNow();
  const started = performance.now();
  const rt = await createWorkflowRuntime({
    projectRoot: project,
    python: venvPython,
    db,
    env: ENV,
    options: { noLlm: true, coverage: false },
  });
  const ready = performance.now();
  let summary;
  let nodeMs;
  try {
    summary = await runWorkflow(rt.deps, { projectRoot: project }, { checkpointer: rt.checkpointer });
    const finished = performance.now();
    const logs = rt.deps.store.listAgentLogs({ workflowId: summary.workflowId });
    nodeMs = Object.fromEntries(logs.map((l) => [l.phase, l.durationMs ?? 0]));
    nodeMs.workflow = finished - ready;
  } finally {
    await rt.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuStarted === null ? null : cpuSecondsNow() - cpuStarted;
  return { seconds, cpuSeconds, setupMs: ready - started, nodeMs, summary };
}

/** Measures one suite size: the five variants alternated `runs` times. */
async function measureSize({ tmp, runs, log, size, warmAll }) {
  const tests = size.files * size.perFile;
  const project = join(tmp, `green-${tests}`);
  generateGreenSuite(project, size);
  const db = join(tmp, `bench-${tests}.db`);
  const cli = (coverage) => () =>
    timeCommand(
      process.execPath,
      [cliBin, "run", project, "--json", "--quiet", "--no-llm", ...(coverage ? [] : ["--no-coverage"]), "--python", venvPython, "--db", db],
      {
        cwd: repoRoot,
        env: ENV,
      },
    );
  const variants = {
    pytest: () => timeCommand(venvPython, ["-m", "pytest", "-q"], { cwd: project }),
    cli: cli(false),
    inProcess: () => runInProcess(project, db),
    cliCoverage: cli(true),
    // Node start-up plus loading the run command's modules (LangGraph, LangChain), with no project touched.
    startup: () => timeCommand(process.execPath, [cliBin, "run", "--help"], { cwd: repoRoot, env: ENV }),
  };
  const check = (name, r) => {
    if (name === "startup") {
      if (r.exitCode !== 0) throw new Error(`redgreen run --help exited ${r.exitCode}: ${r.stderr}`);
      return;
    }
    if (name === "pytest") {
      if (r.exitCode !== 0 || !r.stdout.includes(`${tests} passed`)) throw new Error(`pytest: exit ${r.exitCode}, ${r.stdout.slice(-300)}`);
      return;
    }
    const summary = name === "inProcess" ? r.summary : JSON.parse(r.stdout);
    if (name !== "inProcess" && r.exitCode !== 0) throw new Error(`${name}: exit ${r.exitCode}, ${r.stderr.slice(-500)}`);
    if (summary.status !== "passed" || summary.final?.total !== tests || summary.fixes.length !== 0) {
      throw new Error(
        `${name}: expected a green run of ${tests} tests and no fixes, got ${summary.status} with ${summary.final?.total} tests`,
      );
    }
    if (name === "cliCoverage" && typeof summary.final.coverage !== "number") throw new Error("cliCoverage: no coverage measured");
    if (name !== "cliCoverage" && summary.final.coverage !== null) throw new Error(`${name}: coverage was measured despite --no-coverage`);
  };
  log(`${tests} tests: warm-up (${warmAll ? "every variant" : "pytest, for the byte-code cache"})`);
  if (warmAll) await alternate(variants, 1, check);
  else check("pytest", await variants.pytest());
  log(`${tests} tests: ${runs} alternating runs of each`);
  const inProcessRuns = [];
  const { wall, cpu } = await alternate(variants, runs, (name, r) => {
    check(name, r);
    if (name === "inProcess") inProcessRuns.push(r);
  });
  const m = Object.fromEntries(Object.entries(wall).map(([k, xs]) => [k, median(xs)]));
  const hasCpu = cpu.inProcess.every((x) => x !== null);
  const c = Object.fromEntries(
    Object.entries(cpu)
      .filter(([k]) => hasCpu || k !== "inProcess")
      .map(([k, xs]) => [k, median(xs)]),
  );
  const nodeMedianMs = (phase) => median(inProcessRuns.map((r) => r.nodeMs[phase] ?? 0));
  const workflowMs = nodeMedianMs("workflow");
  const runTestsMs = nodeMedianMs("run_tests");
  const reportMs = nodeMedianMs("report");
  return {
    tests,
    medianS: mapValues(m, round3),
    /** CPU seconds (user + sys, whole process tree): steadier than wall time on a loaded machine. */
    cpuMedianS: mapValues(c, round3),
    ratioCli: round3(m.cli / m.pytest),
    cpuRatioCli: round3(c.cli / c.pytest),
    ratioInProcess: round3(m.inProcess / m.pytest),
    cpuRatioInProcess: hasCpu ? round3(c.inProcess / c.pytest) : null,
    /** What coverage costs a redgreen run: with coverage over --no-coverage, both through the CLI. */
    ratioCoverage: round3(m.cliCoverage / m.cli),
    cpuRatioCoverage: round3(c.cliCoverage / c.cli),
    ratioCliCoverageVsPytest: round3(m.cliCoverage / m.pytest),
    /** CLI minus in-process: Node start-up, loading the CLI's modules, and running it all cold (no JIT warm-up). */
    cliExtraS: round3(m.cli - m.inProcess),
    cliExtraCpuS: hasCpu ? round3(c.cli - c.inProcess) : null,
    inProcessMs: {
      setup: Math.round(median(inProcessRuns.map((r) => r.setupMs))),
      runTestsNode: Math.round(runTestsMs),
      reportNode: Math.round(reportMs),
      graphRest: Math.round(workflowMs - runTestsMs - reportMs),
      workflow: Math.round(workflowMs),
    },
    samples: { wall: mapValues(wall, (xs) => xs.map(round3)), cpu: mapValues(cpu, (xs) => xs.map((x) => (x === null ? null : round3(x)))) },
  };
}

export default {
  name: "workflow-overhead",
  description:
    `redgreen run --no-coverage on an already green suite (${SIZES.map((s) => s.files * s.perFile).join(" and ")} trivial tests) vs ` +
    `bare python -m pytest -q, through the CLI and in-process via runWorkflow; coverage measured separately`,
  goal: `CLI ratio <= ${GOAL_RATIO} on the larger suite`,
  async run({ tmp, runs, log }) {
    const sizes = [];
    for (const [i, size] of SIZES.entries()) sizes.push(await measureSize({ tmp, runs, log, size, warmAll: i === 0 }));
    const largest = sizes.at(-1);
    return { runs, goal: GOAL_RATIO, met: largest.ratioCli <= GOAL_RATIO, sizes };
  },
  /** The BENCHMARKS.md table rows for a result. */
  table(r) {
    const cols = r.sizes.map((s) => `${s.tests} tests`);
    const row = (label, f) => `| ${label} | ${r.sizes.map(f).join(" | ")} |`;
    return [
      `| measure (medians of ${r.runs} alternating runs) | ${cols.join(" | ")} |`,
      `| --- | ${cols.map(() => "---").join(" | ")} |`,
      row("`python -m pytest -q`: wall / CPU (s)", (s) => `${s.medianS.pytest} / ${s.cpuMedianS.pytest}`),
      row("`redgreen run --json --no-coverage`: wall / CPU (s)", (s) => `${s.medianS.cli} / ${s.cpuMedianS.cli}`),
      row(
        "in-process createWorkflowRuntime + runWorkflow + close: wall / CPU (s)",
        (s) => `${s.medianS.inProcess} / ${s.cpuMedianS.inProcess ?? "n/a"}`,
      ),
      row("`redgreen run --json` with coverage: wall / CPU (s)", (s) => `${s.medianS.cliCoverage} / ${s.cpuMedianS.cliCoverage}`),
      row("**ratio CLI / pytest** (wall; CPU)", (s) => `**${s.ratioCli}**; ${s.cpuRatioCli}`),
      row("ratio in-process / pytest (wall; CPU)", (s) => `${s.ratioInProcess}; ${s.cpuRatioInProcess ?? "n/a"}`),
      row("**coverage cost: ratio run with / without coverage** (wall; CPU)", (s) => `**${s.ratioCoverage}**; ${s.cpuRatioCoverage}`),
      row("ratio run with coverage / pytest", (s) => s.ratioCliCoverageVsPytest),
      row(
        "`redgreen run --help` (Node start-up + loading the run command): wall / CPU (s)",
        (s) => `${s.medianS.startup} / ${s.cpuMedianS.startup}`,
      ),
      row("CLI − in-process: wall / CPU (s)", (s) => `${s.cliExtraS} / ${s.cliExtraCpuS ?? "n/a"}`),
      row("in-process: setup (store, Python helper, adapter) (ms)", (s) => s.inProcessMs.setup),
      row("in-process: run_tests node (adapter + one pytest run + store) (ms)", (s) => s.inProcessMs.runTestsNode),
      row("in-process: report node (ms)", (s) => s.inProcessMs.reportNode),
      row("in-process: rest of runWorkflow (LangGraph, SQLite checkpoints, workflow row, summary) (ms)", (s) => s.inProcessMs.graphRest),
      "",
      `Goal: CLI ratio ≤ ${r.goal} on the larger suite — ${r.met ? "met" : "not met"} on wall time. Wall times swing with the ` +
        `shared machine's load ` +
        `(bare pytest on ${r.sizes.at(-1).tests} tests took ${Math.min(...r.sizes.at(-1).samples.wall.pytest)}–` +
        `${Math.max(...r.sizes.at(-1).samples.wall.pytest)} s), ` +
        "so the CPU ratios, which vary by a few per cent between runs, are the steadier figures. The run_tests node's time over " +
        "bare pytest is the adapter's share " +
        "(plugin JSONL, parsing, the store; see cli-vs-pytest); the graph's own share is the last row. CLI − in-process is what a " +
        "fresh process pays: " +
        "Node start-up and module loading (the `run --help` row) plus running everything once without a warm JIT.",
    ].join("\n");
  },
};
