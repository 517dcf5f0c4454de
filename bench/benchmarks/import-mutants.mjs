// Benchmark: deletes each import statement of test/fixtures/import-mutants in turn, runs the real tests, lets the
// missing-import pattern fix what breaks (up to MAX_ROUNDS rounds), and counts how often the suite passes again with an
// import that binds the same objects. `npm run bench -- import-mutants`, or standalone after `npm run build`:
// `node bench/benchmarks/import-mutants.mjs [--limit N] [--verbose]` (MUTANTS_ONLY=file[:line] narrows it).
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { analyzeFailure } from "../../dist/src/analysis/index.js";
import { applyEdits } from "../../dist/src/fixers/apply.js";
import { createPatternContext, findPatternFix } from "../../dist/src/fixers/patterns/index.js";
import { runProcess } from "../../dist/src/process/run.js";
import { PythonHelper } from "../../dist/src/python/client.js";
import { createPytestAdapter } from "../../dist/src/runners/pytest/adapter.js";
import { repoRoot, venvPython } from "../lib/env.mjs";

const fixture = join(repoRoot, "test", "fixtures", "import-mutants");
const GOAL_PERCENT = 95;
/** Test runs with fixes per mutant: a module-level NameError hides the next one until it is fixed. */
const MAX_ROUNDS = 6;

// Binds the deleted statement and the fixed file's imports in the file's own package and compares the objects.
const EQUIVALENCE_PY = String.raw`
import ast, json, os, sys, textwrap
root, rel, deleted, fixed = json.loads(sys.stdin.read())
os.chdir(root)
# The module name pytest would give the file: the first folder upward without __init__.py is on sys.path.
base = os.path.dirname(os.path.join(root, rel))
while os.path.isfile(os.path.join(base, "__init__.py")) and base != root:
    base = os.path.dirname(base)
sys.path[:0] = [base, root, os.path.join(root, "src")]
mod = os.path.relpath(os.path.join(root, rel), base)[:-3].replace(os.sep, ".")
is_pkg = mod.endswith("__init__")
mod = mod[: -len(".__init__")] if is_pkg else mod
pkg = mod if is_pkg else mod.rpartition(".")[0]
def bind(nodes):
    ns = {"__name__": mod + "._redgreen_check", "__package__": pkg}
    for node in nodes:
        exec(compile(ast.Module(body=[node], type_ignores=[]), rel, "exec"), ns)
    return ns
old = ast.parse(textwrap.dedent(deleted)).body
names = []
for node in old:
    for a in node.names:
        names.append(a.asname or (a.name.split(".")[0] if isinstance(node, ast.Import) else a.name))
new = [n for n in ast.walk(ast.parse(fixed)) if isinstance(n, (ast.Import, ast.ImportFrom))]
before, after = bind(old), bind(new)
print(json.dumps({"names": names, "missing": [n for n in names if n not in after or after[n] is not before[n]]}))
`;

async function pythonFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "__pycache__") continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await pythonFiles(full)));
    else if (entry.name.endsWith(".py")) out.push(full);
  }
  return out;
}

/** A failing test and how it fails: a baseline failure that now fails with a NameError counts as changed. */
const failureKey = (f) => {
  const type = f.errorType.split(".").pop();
  // For import problems the message says which name is missing (another NameError in a buggy baseline is different).
  const detail = /^(?:NameError|ImportError)$/.test(type) ? ` ${f.errorMessage.split("\n")[0]}` : "";
  return `${f.nodeId} ${type}${detail}`;
};
const failingSet = (result) => new Set(result.failures.map(failureKey));
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * Mutates every import statement of one project. The project's own failures (if any) are the baseline: a mutant
 * breaks the suite when the set of (failing test, exception type) pairs changes, and is fixed when it is back.
 */
export async function runMutants({ project, python = venvPython, limit = Infinity, log = () => {}, tmp }) {
  const dir = await mkdtemp(join(tmp ?? tmpdir(), "import-mutants-"));
  await cp(project, dir, { recursive: true });
  const adapter = await createPytestAdapter({ projectRoot: dir, python });
  const helper = await PythonHelper.start({ python, projectRoot: dir });
  try {
    const baseline = await adapter.runTests();
    if (baseline.status === "error" || baseline.status === "timeout" || baseline.status === "no_tests") {
      return { skipped: `baseline run: ${baseline.status}`, records: [], python: helper.info.python };
    }
    const baseFailing = failingSet(baseline);
    const isBaseline = (result) => result.status === baseline.status && sameSet(failingSet(result), baseFailing);
    const pristine = new Map();
    for (const abs of await pythonFiles(dir)) pristine.set(relative(dir, abs).split("\\").join("/"), await readFile(abs, "utf8"));
    const restore = async () => {
      for (const [rel, text] of pristine) if ((await readFile(join(dir, rel), "utf8")) !== text) await writeFile(join(dir, rel), text);
    };

    const mutants = [];
    for (const [rel, source] of pristine) {
      const listed = await helper.call("list_imports", { source, filename: rel });
      const seen = new Set();
      for (const imp of listed.imports ?? []) {
        if (seen.has(imp.line)) continue; // `import a, b` is one statement listed per name
        seen.add(imp.line);
        // A statement sharing its line with another one (`import a; b()`) cannot be deleted as a whole line.
        if (source.split("\n")[imp.line - 1]?.includes(";")) continue;
        mutants.push({ file: rel, line: imp.line, endLine: imp.endLine });
      }
    }

    const records = [];
    const only = process.env.MUTANTS_ONLY; // e.g. "ledgerly/models.py" or "ledgerly/models.py:6" while debugging
    for (const m of mutants.filter((x) => !only || `${x.file}:${x.line}`.startsWith(only)).slice(0, limit)) {
      const original = pristine.get(m.file);
      const lines = original.split("\n");
      const deleted = lines.slice(m.line - 1, m.endLine).join("\n");
      // An indented import (inside a function or try) is replaced by `pass` so the block stays valid.
      const indent = /^\s*/.exec(lines[m.line - 1])[0];
      const replacement = indent ? [`${indent}pass`] : [];
      await writeFile(join(dir, m.file), [...lines.slice(0, m.line - 1), ...replacement, ...lines.slice(m.endLine)].join("\n"));
      const record = {
        file: m.file,
        line: m.line,
        statement: deleted.trim(),
        broke: false,
        fixed: false,
        equivalent: false,
        rounds: 0,
        patterns: [],
        proposeMs: [],
      };
      let result = await adapter.runTests();
      record.broke = !isBaseline(result);
      // One round = one test run: every new failure gets its pattern fix (proposed on the files as they are by
      // then, so a second name merges into the import the first one added), then the suite runs again.
      while (!isBaseline(result) && record.rounds < MAX_ROUNDS) {
        let applied = 0;
        for (const failure of result.failures.filter((f) => !baseFailing.has(failureKey(f)))) {
          const analysis = analyzeFailure(failure, { projectRoot: dir });
          const ctx = createPatternContext({ failure, analysis, projectRoot: dir, helper, isTestFile: (r) => adapter.isTestFile(r) });
          const started = performance.now();
          // Only the missing-import pattern: the held-out projects are buggy on purpose, and their other bugs are not ours to fix here.
          const found = await findPatternFix(ctx, { only: ["missing-import"] });
          record.proposeMs.push(performance.now() - started);
          if (!found) continue;
          try {
            await applyEdits(dir, found.proposal.edits);
          } catch {
            continue; // planned against a line an earlier fix of this round already changed
          }
          record.patterns.push(found.patternId);
          applied++;
        }
        if (applied === 0) break;
        record.rounds++;
        result = await adapter.runTests();
      }
      if (record.broke && isBaseline(result)) {
        record.fixed = true;
        const fixedText = await readFile(join(dir, m.file), "utf8");
        const check = await runProcess(python, ["-c", EQUIVALENCE_PY], {
          cwd: dir,
          input: JSON.stringify([dir, m.file, deleted, fixedText]),
          timeoutMs: 60_000,
        });
        const verdict =
          check.exitCode === 0
            ? JSON.parse(check.stdout.trim().split("\n").pop())
            : { missing: ["<check failed>"], error: check.stderr.slice(-400) };
        record.equivalent = verdict.missing.length === 0;
        if (!record.equivalent) record.notEquivalent = verdict;
      } else if (record.broke) {
        const fresh = result.failures.filter((f) => !baseFailing.has(failureKey(f)));
        record.remaining = [
          `status ${result.status}${result.message ? `: ${result.message}` : ""}`,
          ...fresh.slice(0, 2).map((f) => `${f.nodeId}: ${f.errorType}: ${f.errorMessage.split("\n")[0]}`),
        ];
      }
      log(
        `${record.broke ? (record.equivalent ? "fixed " : record.fixed ? "FIXED≠" : "MISSED") : "survived"}  ${m.file}:${m.line}  ` +
          `${record.statement}`,
      );
      records.push(record);
      await restore();
      if (record.broke && !record.fixed) {
        // A miss leaves no trace behind: the restored project must be back to its baseline before the next mutant.
        const check = await adapter.runTests();
        if (!isBaseline(check)) throw new Error(`restoring after ${m.file}:${m.line} did not bring back the baseline (${check.status})`);
      }
    }
    return { records, python: helper.info.python };
  } finally {
    await helper.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rate and latency over a set of mutant records. */
export function summarize(records) {
  const broke = records.filter((r) => r.broke);
  const equivalent = broke.filter((r) => r.equivalent).length;
  const propose = records.flatMap((r) => r.proposeMs).sort((a, b) => a - b);
  const pct = (q) => (propose.length ? Math.round(propose[Math.min(propose.length - 1, Math.floor(q * propose.length))] * 10) / 10 : null);
  return {
    statements: records.length,
    broke: broke.length,
    survived: records.length - broke.length,
    fixed: broke.filter((r) => r.fixed).length,
    equivalent,
    rate: broke.length ? Math.round((equivalent / broke.length) * 1000) / 10 : null,
    proposeMsP50: pct(0.5),
    proposeMsP95: pct(0.95),
  };
}

/** The primary fixture run: summary plus the records. */
export async function runImportMutants({ python = venvPython, limit = Infinity, log = () => {}, tmp } = {}) {
  const { records, python: version } = await runMutants({ project: fixture, python, limit, log, tmp });
  return {
    summary: { benchmark: "import-mutants", ...summarize(records), goalPercent: GOAL_PERCENT, maxRounds: MAX_ROUNDS, python: version },
    records,
  };
}

// Projects written by other parts of the repository (not tuned for this benchmark), when present.
const HELD_OUT = [
  "examples/shop",
  "test/fixtures/validation/project",
  "test/fixtures/analyzer/projects/asyncapp",
  "test/fixtures/analyzer/projects/dbapp",
  "test/fixtures/analyzer/projects/ledger",
  "test/fixtures/analyzer/projects/plain",
  "test/fixtures/analyzer/projects/shop",
  "test/fixtures/analyzer/projects/webapp",
];

const mutantLabel = (r) => `\`${r.file}:${r.line}\` \`${r.statement}\``;

export default {
  name: "import-mutants",
  description:
    "Each import statement of test/fixtures/import-mutants (a package using the stdlib, its own modules, SQLAlchemy and pytest) " +
    "deleted in turn; the real suite is run and the missing-import pattern fixes what breaks; then the same over held-out " +
    "projects from elsewhere in the repository",
  goal: `at least ${GOAL_PERCENT} % of the mutants that break the suite pass again with an equivalent import`,
  async run({ tmp, log }) {
    const { summary, records } = await runImportMutants({ tmp, log });
    const misses = records
      .filter((r) => r.broke && !r.equivalent)
      .map((r) => ({ mutant: mutantLabel(r), fixed: r.fixed, detail: r.notEquivalent ?? r.remaining ?? null }));
    const roundsHistogram = {};
    for (const r of records.filter((x) => x.equivalent)) roundsHistogram[r.rounds] = (roundsHistogram[r.rounds] ?? 0) + 1;
    const heldOut = { projects: {}, records: [] };
    for (const rel of HELD_OUT) {
      if (!existsSync(join(repoRoot, rel))) continue;
      log(`held-out project ${rel}`);
      const run = await runMutants({ project: join(repoRoot, rel), tmp, log: (line) => log(`  ${line}`) });
      heldOut.projects[rel] = run.skipped ? { skipped: run.skipped } : summarize(run.records);
      for (const r of run.records) heldOut.records.push({ ...r, file: `${rel}/${r.file}` });
    }
    const heldOutMisses = heldOut.records
      .filter((r) => r.broke && !r.equivalent)
      .map((r) => ({ mutant: mutantLabel(r), fixed: r.fixed, detail: r.notEquivalent ?? r.remaining ?? null }));
    return {
      ...summary,
      met: summary.rate !== null && summary.rate >= GOAL_PERCENT,
      roundsHistogram,
      misses,
      survivors: records.filter((r) => !r.broke).map(mutantLabel),
      heldOut: { ...summarize(heldOut.records), projects: heldOut.projects, misses: heldOutMisses },
    };
  },
  table(r) {
    const rows = [
      "| measure | value |",
      "| --- | --- |",
      `| import statements deleted (one mutant each) | ${r.statements} |`,
      `| mutants that break the suite | ${r.broke} |`,
      `| of those, suite green again after the pattern fixes | ${r.fixed} |`,
      `| of those, with an import binding the same objects (equivalent) | ${r.equivalent} |`,
      `| **equivalent-fix rate** (goal ≥ ${r.goalPercent} %) | **${r.rate} %** |`,
      `| fix rounds (test runs) needed, rounds: mutants | ${Object.entries(r.roundsHistogram)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")} |`,
      `| findPatternFix latency per failure, p50 / p95 (ms) | ${r.proposeMsP50} / ${r.proposeMsP95} |`,
    ];
    const h = r.heldOut;
    rows.push(
      `| held-out projects (${Object.keys(h.projects).length}, written elsewhere in the repo): statements / breaking / equivalent ` +
        `| ${h.statements} / ${h.broke} / ${h.equivalent} |`,
      `| **held-out equivalent-fix rate** | **${h.rate} %** |`,
    );
    const notes = [];
    if (r.survivors.length > 0) notes.push(`Mutants the suite did not notice (not counted): ${r.survivors.join(", ")}.`);
    for (const m of [...r.misses, ...h.misses])
      notes.push(
        `Missed: ${m.mutant}${m.fixed ? " (suite back to baseline, but a different import)" : ""} ` + `— ${JSON.stringify(m.detail)}.`,
      );
    const perProject = Object.entries(h.projects).map(
      ([k, v]) => `${k}: ${v.skipped ? `skipped (${v.skipped})` : `${v.equivalent}/${v.broke}`}`,
    );
    if (perProject.length) notes.push(`Held-out per project (equivalent/breaking): ${perProject.join("; ")}.`);
    return [...rows, ...(notes.length ? ["", ...notes.map((n) => `- ${n}`)] : [])].join("\n");
  },
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--limit");
  const limit = at > 0 ? Number(process.argv[at + 1]) : Infinity;
  const verbose = process.argv.includes("--verbose");
  const { summary, records } = await runImportMutants({ limit, log: (line) => console.log(line) });
  if (verbose) for (const r of records.filter((x) => x.broke && !x.equivalent)) console.log(JSON.stringify(r));
  console.log(`BENCH ${JSON.stringify(summary)}`);
}
