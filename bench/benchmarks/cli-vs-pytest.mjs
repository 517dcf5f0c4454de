// Benchmark: `redgreen test --json --no-coverage` against bare `python -m pytest -q` on a generated 2,000-test suite.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliBin, repoRoot, venvPython } from "../lib/env.mjs";
import { alternate, median, round3, timeCommand } from "../lib/measure.mjs";

const FILES = 40;
const PARAMS_PER_FILE = 20;
const PLAIN_PER_FILE = 30;
const FAILING_FILES = 20;
export const TESTS = FILES * (PARAMS_PER_FILE + PLAIN_PER_FILE);
const GOAL_RATIO = 1.15;

/** Writes a project of FILES modules with one test file each; FAILING_FILES of them have one failing test. */
export function generateSuite(dir) {
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "conftest.py"), "# puts the project root on sys.path\n");
  for (let k = 0; k < FILES; k++) {
    writeFileSync(
      join(dir, `mod_${k}.py`),
      `def square(n):\n    return n * n\n\n\ndef scale(xs, f):\n    return [x * f for x in xs]\n\n\nclass Counter:\n    def ` +
        `__init__(self):\n        self.n = 0\n\n    def bump(self, by=1):\n        self.n += by\n        return self.n\n`,
    );
    const plain = Array.from({ length: PLAIN_PER_FILE }, (_, i) => {
      const broken = k < FAILING_FILES && i === 0;
      return i % 3 === 0
        ? `def test_scale_${i}():\n    assert scale([1, 2, ${i}], 2) == [2, 4, ${broken ? i * 2 + 1 : i * 2}]\n`
        : i % 3 === 1
          ? `def test_counter_${i}(counter):\n    assert counter.bump(${i}) == ${i}\n`
          : `def test_square_${i}():\n    assert square(${i}) == ${i * i}\n`;
    });
    writeFileSync(
      join(dir, "tests", `test_mod_${k}.py`),
      `import pytest\n\nfrom mod_${k} import Counter, scale, square\n\n\n@pytest.fixture\ndef counter():\n    return ` +
        `Counter()\n\n\n@pytest.mark.parametrize("n", range(${PARAMS_PER_FILE}))\ndef test_square_param(n):\n    assert square(n) ` +
        `== n ** 2\n\n\n${plain.join("\n\n")}`,
    );
  }
}

const mapValues = (obj, f) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v.map(f)]));

export default {
  name: "cli-vs-pytest",
  description:
    `redgreen test --json --no-coverage vs bare python -m pytest -q, ${TESTS} tests (${FAILING_FILES} failing), ` + `same interpreter`,
  goal: `ratio <= ${GOAL_RATIO}`,
  async run({ tmp, runs, log }) {
    const project = join(tmp, "suite");
    generateSuite(project);
    const db = join(tmp, "bench.db");
    const jsonl = join(tmp, "events.jsonl");
    // The pytest command line and plugin environment the adapter uses (src/runners/pytest/adapter.ts).
    const pluginEnv = {
      ...process.env,
      PYTHONPATH: join(repoRoot, "src", "runners", "pytest"),
      REDGREEN_JSONL: jsonl,
      REDGREEN_TEST_TIMEOUT: "10",
      REDGREEN_HARD_GRACE: "5",
      PY_COLORS: "0",
    };
    const pluginArgs = [
      "-m",
      "pytest",
      "-p",
      "redgreen_pytest_plugin",
      "--color=no",
      `--rootdir=${project}`,
      "--continue-on-collection-errors",
      "-q",
    ];
    const variants = {
      pytest: () => timeCommand(venvPython, ["-m", "pytest", "-q"], { cwd: project }),
      redgreen: () =>
        timeCommand(process.execPath, [cliBin, "test", project, "--json", "--no-coverage", "--python", venvPython, "--db", db], {
          cwd: repoRoot,
        }),
      // Where redgreen's extra time goes: pytest with the bundled plugin writing its JSONL events, without Node …
      plugin: () => {
        rmSync(jsonl, { force: true });
        return timeCommand(venvPython, pluginArgs, { cwd: project, env: pluginEnv });
      },
      // … and Node start-up plus loading the CLI, with no tests run.
      startup: () => timeCommand(process.execPath, [cliBin, "test", "--help"], { cwd: repoRoot }),
    };
    const check = (name, r) => {
      if (name === "startup") {
        if (r.exitCode !== 0) throw new Error(`redgreen test --help exited ${r.exitCode}: ${r.stderr}`);
        return;
      }
      if (r.exitCode !== 1)
        throw new Error(`${name} exited ${r.exitCode} (expected 1: ${FAILING_FILES} tests fail): ${r.stderr.slice(-500)}`);
      if ((name === "pytest" || name === "plugin") && !r.stdout.includes(`${FAILING_FILES} failed, ${TESTS - FAILING_FILES} passed`)) {
        throw new Error(`pytest summary unexpected: ${r.stdout.slice(-300)}`);
      }
      if (name === "redgreen") {
        const result = JSON.parse(r.stdout);
        if (result.total !== TESTS || result.failed !== FAILING_FILES || result.failures.length !== FAILING_FILES) {
          throw new Error(`redgreen result unexpected: total ${result.total}, failed ${result.failed}`);
        }
      }
    };
    log("warm-up (byte-code caches)");
    await alternate(variants, 1, check);
    log(`${runs} alternating runs of each`);
    const { wall, cpu } = await alternate(variants, runs, check);
    const m = (xs) => round3(median(xs));
    const ratio = median(wall.redgreen) / median(wall.pytest);
    return {
      tests: TESTS,
      runs,
      pytestMedianS: m(wall.pytest),
      redgreenMedianS: m(wall.redgreen),
      ratio: round3(ratio),
      goal: GOAL_RATIO,
      met: ratio <= GOAL_RATIO,
      /** CPU seconds (user + sys, whole process tree): steadier than wall time on a loaded machine. */
      pytestCpuMedianS: m(cpu.pytest),
      redgreenCpuMedianS: m(cpu.redgreen),
      cpuRatio: round3(median(cpu.redgreen) / median(cpu.pytest)),
      pluginMedianS: m(wall.plugin),
      pluginCpuMedianS: m(cpu.plugin),
      cliStartupMedianS: m(wall.startup),
      cliStartupCpuMedianS: m(cpu.startup),
      samples: { wall: mapValues(wall, round3), cpu: mapValues(cpu, round3) },
    };
  },
  /** The BENCHMARKS.md table rows for a result. */
  table(r) {
    const extra = r.redgreenCpuMedianS - r.pytestCpuMedianS;
    const plugin = r.pluginCpuMedianS - r.pytestCpuMedianS;
    return [
      "| measure | wall median (s) | CPU median (s) |",
      "| --- | --- | --- |",
      `| \`python -m pytest -q\` | ${r.pytestMedianS} | ${r.pytestCpuMedianS} |`,
      `| \`redgreen test --json --no-coverage\` | ${r.redgreenMedianS} | ${r.redgreenCpuMedianS} |`,
      `| \`python -m pytest -p redgreen_pytest_plugin ...\` (what redgreen runs, without Node) | ${r.pluginMedianS} | ` +
        `${r.pluginCpuMedianS} |`,
      `| Node start-up + loading the CLI (\`redgreen test --help\`) | ${r.cliStartupMedianS} | ${r.cliStartupCpuMedianS} |`,
      `| **ratio redgreen / pytest** (goal ≤ ${r.goal}) | **${r.ratio}**${r.met ? "" : " (goal not met)"} | ${r.cpuRatio} |`,
      "",
      `Where the extra CPU time goes (${round3(extra)} s over bare pytest): the bundled pytest plugin ${round3(plugin)} s ` +
        `(its hooks, per-test timer and JSONL events), Node start-up and loading the CLI ${r.cliStartupCpuMedianS} s, ` +
        `and ${round3(extra - plugin - r.cliStartupCpuMedianS)} s for the rest (spawning pytest, reading and parsing the events, ` +
        "validating and storing the result). Bare pytest writes its terminal output into a pipe (to the benchmark); " +
        "redgreen's pytest writes it into a file that is read once at exit.",
    ].join("\n");
  },
};
