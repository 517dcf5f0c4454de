// Generates the mutation list of one corpus project (bench/real-projects/<project>.json, key "mutations"): lists
// one-line candidates per kind (candidates.py / candidates-js.mjs), orders them by a seeded shuffle, and keeps the
// first --per-kind ones the bare runner catches (suite red). Repeatable: the seed and the selection are recorded.
// `node bench/real-projects/generate.mjs --corpus /work/corpus --project defu [--per-kind 8] [--seed 18] [--max-tries 24]`
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { applyMutation, bareRun, isTestFile, loadProjects, projectDir, restore, sh, venvPython } from "../lib/corpus.mjs";
import { seededRandom } from "../lib/seeded-random.mjs";
import { jsCandidates } from "./candidates-js.mjs";

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const corpus = arg("corpus", process.env.REDGREEN_CORPUS);
const name = arg("project");
const perKind = Number(arg("per-kind", 8));
const seed = Number(arg("seed", 18));
const maxTries = Number(arg("max-tries", perKind * 3));
if (!corpus || !name) throw new Error("usage: generate.mjs --corpus DIR --project NAME [--per-kind N] [--seed S] [--max-tries N]");

const shuffle = (xs, s) => {
  const r = seededRandom(s);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const project = loadProjects().find((p) => p.project === name);
if (!project) throw new Error(`no bench/real-projects/${name}.json`);
const dir = projectDir(corpus, project);
const sourceRe = project.language === "python" ? /\.py$/ : /\.[cm]?[jt]sx?$/;

function sourceFiles(rel) {
  const abs = join(dir, rel);
  if (statSync(abs).isFile()) return [rel];
  return readdirSync(abs).flatMap((e) =>
    e.startsWith(".") || e === "node_modules" || e === "__pycache__" ? [] : sourceFiles(join(rel, e)),
  );
}
const files = project.sources
  .flatMap(sourceFiles)
  .map((f) => relative(dir, join(dir, f)).split("\\").join("/"))
  .filter((f) => sourceRe.test(f) && !f.endsWith(".d.ts") && !isTestFile(f));
const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), "utf8")]));

let candidates;
if (project.language === "python") {
  const script = join(dirname(fileURLToPath(import.meta.url)), "candidates.py");
  const r = sh(venvPython(corpus, project), [script], { cwd: dir, env: {}, timeoutMs: 120_000, input: JSON.stringify({ files: texts }) });
  if (r.code !== 0) throw new Error(`candidates.py: ${r.stderr}`);
  candidates = JSON.parse(r.stdout).candidates;
} else {
  candidates = Object.entries(texts).flatMap(([f, t]) => jsCandidates(f, t));
}

restore(dir);
// The unmutated suite must be green; a mutant whose run takes 4 times as long (at least a minute) hangs and is left out.
const baseline = bareRun(corpus, project);
if (!baseline.green) throw new Error(`${name}: the unmutated suite is not green:\n${baseline.tail}`);
const timeoutMs = Math.max(60_000, 4 * baseline.ms);
const kinds = project.kinds;
const mutations = [];
const selection = { seed, perKind, maxTries, candidates: {}, tried: {}, kept: {}, survived: [], hung: [] };
for (const kind of kinds) {
  // Each way of making the kind (e.g. a None guard or a lost return value) is shuffled apart, then taken in turn.
  const ofKind = candidates.filter((c) => c.kind === kind);
  const groups = [...new Set(ofKind.map((c) => c.how))].sort().map((how) =>
    shuffle(
      ofKind.filter((c) => c.how === how),
      seed,
    ),
  );
  const pool = [];
  for (let i = 0; groups.some((g) => i < g.length); i++) for (const g of groups) if (i < g.length) pool.push(g[i]);
  selection.candidates[kind] = pool.length;
  let tried = 0;
  let kept = 0;
  for (const c of pool) {
    if (kept >= perKind || tried >= maxTries) break;
    tried++;
    const m = { id: `${kind}-${String(kept + 1).padStart(2, "0")}`, ...c };
    applyMutation(dir, m);
    const run = bareRun(corpus, project, { bail: true, timeoutMs });
    restore(dir);
    const label = `${c.file}:${c.line} ${c.original.trim()} -> ${c.mutated.trim()}`;
    if (run.timedOut) {
      selection.hung.push(`${kind} ${c.file}:${c.line} ${JSON.stringify(c.mutated.trim())}`);
      console.log(`hangs    ${kind} ${label}`);
      continue;
    }
    if (run.green) {
      selection.survived.push(`${kind} ${c.file}:${c.line} ${JSON.stringify(c.mutated.trim())}`);
      console.log(`survived ${kind} ${label}`);
      continue;
    }
    kept++;
    mutations.push(m);
    console.log(`kept     ${m.id} ${label} (${Math.round(run.ms / 1000)} s)`);
  }
  selection.tried[kind] = tried;
  selection.kept[kind] = kept;
}

const { listFile, ...rest } = project;
writeFileSync(listFile, `${JSON.stringify({ ...rest, selection, mutations }, null, 2)}\n`);
console.log(`wrote ${mutations.length} mutations to ${listFile}`);
