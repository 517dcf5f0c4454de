// Runs the benchmarks in bench/benchmarks/*.mjs (all, or those named on the command line), prints one
// `BENCH {json}` line per result and records it in BENCHMARKS.md. A benchmark file default-exports
// { name, description, goal, options?, run({ tmp, runs, log, options }) => result object, table(result) => markdown };
// `--key value` pairs on the command line go to the benchmarks that declare the key in `options` (name → help).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkPrerequisites, machine, repoRoot } from "./lib/env.mjs";

const benchDir = join(repoRoot, "bench", "benchmarks");
const reportFile = join(repoRoot, "BENCHMARKS.md");
const runs = Number(process.env.BENCH_RUNS ?? 5);

const HEADER = `# Benchmarks

Each section is written by \`npm run bench\` (which builds first and runs \`node bench/run.mjs\`); run one
benchmark with \`npm run bench -- <name>\`. Timings are medians of alternating runs on the machine named in
the section; the machine is shared, so compare ratios rather than absolute seconds. The benchmarks use
test/.venv (created by \`npm test\`) as the Python interpreter.
`;

/** Replaces (or appends) the section between a benchmark's markers. */
function recordSection(name, section) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const current = existsSync(reportFile) ? readFileSync(reportFile, "utf8") : HEADER;
  const block = `${start}\n${section}\n${end}`;
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  const next = i >= 0 && j > i ? current.slice(0, i) + block + current.slice(j + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(reportFile, next);
}

/** Benchmark names and `--key value` options from the command line. */
function parseArgs(argv) {
  const wanted = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      wanted.push(a);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`option ${a} needs a value`);
    options[a.slice(2)] = value;
    i++;
  }
  return { wanted, options };
}

/** A benchmark's options for an error message. */
const optionHelp = (bench) =>
  Object.entries(bench.options ?? {})
    .map(([k, help]) => `--${k} (${help})`)
    .join(", ") || "none";

async function main() {
  if (!Number.isInteger(runs) || runs < 3) throw new Error(`BENCH_RUNS must be an integer of at least 3, got ${process.env.BENCH_RUNS}`);
  checkPrerequisites();
  const { wanted, options } = parseArgs(process.argv.slice(2));
  const all = await Promise.all(
    readdirSync(benchDir)
      .filter((f) => f.endsWith(".mjs"))
      .sort()
      .map(async (f) => (await import(pathToFileURL(join(benchDir, f)).href)).default),
  );
  const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${all.map((b) => b.name).join(", ")}`);
  const selected = all.filter((b) => wanted.length === 0 || wanted.includes(b.name));
  for (const bench of selected) {
    const foreign = Object.keys(options).filter((k) => !Object.hasOwn(bench.options ?? {}, k));
    if (foreign.length === 0) continue;
    throw new Error(`${bench.name} takes no option ${foreign.map((k) => `--${k}`).join(", ")}; it takes: ${optionHelp(bench)}`);
  }
  for (const bench of selected) {
    const tmp = mkdtempSync(join(tmpdir(), `redgreen-bench-${bench.name}-`));
    try {
      const log = (msg) => process.stderr.write(`[${bench.name}] ${msg}\n`);
      log(bench.description);
      const result = await bench.run({ tmp, runs, log, options });
      const line = { name: bench.name, ...result, machine: machine(), date: new Date().toISOString() };
      process.stdout.write(`BENCH ${JSON.stringify(line)}\n`);
      const command = ["npm run bench --", bench.name, ...Object.entries(options).map(([k, v]) => `--${k} ${v}`)].join(" ");
      recordSection(
        bench.name,
        [
          `## ${bench.name}`,
          "",
          `${bench.description}. Goal: ${bench.goal}.`,
          "",
          bench.table(result),
          "",
          `Measured ${line.date.slice(0, 10)} on ${line.machine.cpus} × ${line.machine.cpuModel}, Node ${line.machine.node}, load ` +
            `average ${line.machine.loadavg1m} at the end. Reproduce: \`${command}\`.`,
          "",
          "```",
          `BENCH ${JSON.stringify(line)}`,
          "```",
        ].join("\n"),
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
