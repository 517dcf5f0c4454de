// Benchmark: `redgreen test --json --no-coverage` against bare `vitest run` on a generated 1,000-test TypeScript suite.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliBin, repoRoot } from "../lib/env.mjs";
import { alternate, median, round3, timeCommand } from "../lib/measure.mjs";

const FILES = 20;
const TESTS_PER_FILE = 50;
const FAILING_FILES = 10;
export const TESTS = FILES * TESTS_PER_FILE;
const GOAL_RATIO = 1.15;

/** Writes a vitest project of FILES modules with one test file each; FAILING_FILES of them have one failing test. */
export function generateVitestSuite(dir) {
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "tests"), { recursive: true });
  // The suite runs with the repository's vitest, as a project with its own node_modules would.
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      { name: "bench-suite", private: true, type: "module", scripts: { test: "vitest run" }, devDependencies: { vitest: "^4.1.0" } },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, "vitest.config.ts"),
    'import { defineConfig } from "vitest/config";\n\nexport default defineConfig({ test: { include: ["tests/**/*.test.ts"] } });\n',
  );
  for (let k = 0; k < FILES; k++) {
    writeFileSync(
      join(dir, "src", `mod${k}.ts`),
      "export const square = (n: number): number => n * n;\n\nexport function scale(xs: number[], f: number): number[] {\n  " +
        "return xs.map((x) => x * f);\n}\n\nexport class Counter {\n  n = 0;\n  bump(by = 1): number {\n    this.n += by;\n    " +
        "return this.n;\n  }\n}\n",
    );
    const cases = Array.from({ length: TESTS_PER_FILE }, (_, i) => {
      const broken = k < FAILING_FILES && i === 0;
      return i % 3 === 0
        ? `  it("scales ${i}", () => {\n    expect(scale([1, 2, ${i}], 2)).toEqual([2, 4, ${broken ? i * 2 + 1 : i * 2}]);\n  });\n`
        : i % 3 === 1
          ? `  it("counts ${i}", () => {\n    expect(new Counter().bump(${i})).toBe(${i});\n  });\n`
          : `  it("squares ${i}", () => {\n    expect(square(${i})).toBe(${i * i});\n  });\n`;
    });
    writeFileSync(
      join(dir, "tests", `mod${k}.test.ts`),
      `import { describe, expect, it } from "vitest";\nimport { Counter, scale, square } from "../src/mod${k}";\n\ndescribe("mod` +
        `${k}", () => {\n${cases.join("\n")}});\n`,
    );
  }
}

const mapValues = (obj, f) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v.map(f)]));

export default {
  name: "cli-vs-vitest",
  description: `redgreen test --json --no-coverage vs bare vitest run, ${TESTS} tests in ${FILES} files (${FAILING_FILES} failing)`,
  goal: `ratio <= ${GOAL_RATIO}`,
  async run({ tmp, runs, log }) {
    const project = join(tmp, "suite");
    generateVitestSuite(project);
    const db = join(tmp, "bench.db");
    const vitest = join(repoRoot, "node_modules", ".bin", "vitest");
    const env = { ...process.env, CI: "1", NO_COLOR: "1" };
    const variants = {
      vitest: () => timeCommand(vitest, ["run"], { cwd: project, env }),
      // What the adapter asks vitest for (its JSON reporter into a file), without redgreen around it.
      vitestJson: () => timeCommand(vitest, ["run", "--reporter=json", `--outputFile=${join(tmp, "report.json")}`], { cwd: project, env }),
      redgreen: () =>
        timeCommand(process.execPath, [cliBin, "test", project, "--json", "--no-coverage", "--db", db], { cwd: repoRoot, env }),
    };
    const check = (name, r) => {
      if (r.exitCode !== 1)
        throw new Error(`${name} exited ${r.exitCode} (expected 1: ${FAILING_FILES} tests fail): ${r.stderr.slice(-500)}`);
      if (name === "vitest" && !/Tests\s+10 failed \| 990 passed/.test(r.stdout))
        throw new Error(`vitest summary unexpected: ${r.stdout.slice(-300)}`);
      if (name === "redgreen") {
        const result = JSON.parse(r.stdout);
        if (result.total !== TESTS || result.failed !== FAILING_FILES || result.failures.length !== FAILING_FILES) {
          throw new Error(`redgreen result unexpected: total ${result.total}, failed ${result.failed}`);
        }
      }
    };
    log("warm-up (vite's transform cache)");
    await alternate(variants, 1, check);
    log(`${runs} alternating runs of each`);
    const { wall, cpu } = await alternate(variants, runs, check);
    const m = (xs) => round3(median(xs));
    const ratio = median(wall.redgreen) / median(wall.vitest);
    return {
      tests: TESTS,
      runs,
      vitestMedianS: m(wall.vitest),
      vitestJsonMedianS: m(wall.vitestJson),
      redgreenMedianS: m(wall.redgreen),
      ratio: round3(ratio),
      goal: GOAL_RATIO,
      met: ratio <= GOAL_RATIO,
      vitestCpuMedianS: m(cpu.vitest),
      vitestJsonCpuMedianS: m(cpu.vitestJson),
      redgreenCpuMedianS: m(cpu.redgreen),
      cpuRatio: round3(median(cpu.redgreen) / median(cpu.vitest)),
      samples: { wall: mapValues(wall, round3), cpu: mapValues(cpu, round3) },
    };
  },
  /** The BENCHMARKS.md table rows for a result. */
  table(r) {
    return [
      "| measure | wall median (s) | CPU median (s) |",
      "| --- | --- | --- |",
      `| \`vitest run\` | ${r.vitestMedianS} | ${r.vitestCpuMedianS} |`,
      `| \`vitest run --reporter=json --outputFile=…\` (the report redgreen reads) ` +
        `| ${r.vitestJsonMedianS} | ${r.vitestJsonCpuMedianS} |`,
      `| \`redgreen test --json --no-coverage\` | ${r.redgreenMedianS} | ${r.redgreenCpuMedianS} |`,
      `| **ratio redgreen / vitest** (goal ≤ ${r.goal}) | **${r.ratio}**${r.met ? "" : " (goal not met)"} | ${r.cpuRatio} |`,
    ].join("\n");
  },
};
