// Benchmark: real open-source projects (a corpus outside the repository) with one injected bug each, from the
// committed mutation lists bench/real-projects/<project>.json; `redgreen run --no-llm` must bring the suite back to
// green as the project's bare runner sees it, without touching a test file. Also checks that `redgreen test` counts
// what the bare runner counts on the unmutated project. `REDGREEN_CORPUS=/work/corpus npm run bench -- real-projects`,
// or standalone after `npm run build`:
// `node bench/benchmarks/real-projects.mjs --corpus DIR [--project X] [--kind K] [--limit N] [--jobs J]` (N mutants per kind and
// project, J projects side by side; REDGREEN_REAL_LIMIT and REDGREEN_REAL_JOBS under npm run bench).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  applyMutation,
  bareRun,
  changedFiles,
  isTestFile,
  loadProjects,
  projectDir,
  restore,
  sh,
  venvPython,
  verdictOf,
} from "../lib/corpus.mjs";
import { cliBin } from "../lib/env.mjs";
import { median } from "../lib/measure.mjs";

const VERDICTS = ["fixed", "equivalent", "wrong", "not-green"];
const COUNT_KEYS = ["passed", "failed", "skipped", "errors"];
const REDGREEN_TIMEOUT_MS = 20 * 60_000;
const SETUP_HINT =
  "build the corpus with `node bench/real-projects/setup-corpus.mjs --corpus DIR` (clones each project of " +
  "bench/real-projects/*.json at its " +
  "recorded commit and runs its setup), then `REDGREEN_CORPUS=DIR npm run bench -- real-projects`";

const pythonArgs = (corpus, p) => (p.language === "python" ? ["--python", venvPython(corpus, p)] : []);

/** Whether the project's runner can start: its venv or its node_modules. */
const ready = (corpus, p) =>
  p.language === "python" ? existsSync(venvPython(corpus, p)) : existsSync(join(projectDir(corpus, p), "node_modules", ".bin", p.runner));

const pick = (c) => (c ? { passed: c.passed, failed: c.failed, skipped: c.skipped, errors: c.errors } : null);

/** `redgreen test --json` on the unmutated project against the bare runner's own report. */
function fidelity(corpus, p, tmp) {
  const bare = bareRun(corpus, p);
  const r = sh(
    "node",
    [cliBin, "test", projectDir(corpus, p), "--json", "--no-coverage", "-q", "--db", join(tmp, "fidelity.db"), ...pythonArgs(corpus, p)],
    {
      timeoutMs: REDGREEN_TIMEOUT_MS,
    },
  );
  let rg = null;
  try {
    rg = JSON.parse(r.stdout);
  } catch {
    rg = null;
  }
  restore(projectDir(corpus, p));
  const redgreen = rg ? pick(rg) : null;
  const same = redgreen !== null && bare.counts !== null && COUNT_KEYS.every((k) => redgreen[k] === bare.counts[k]);
  const failures = (rg?.failures ?? [])
    .slice(0, 5)
    .map((f) => `${f.nodeId}: ${f.errorType}: ${String(f.errorMessage).split("\n")[0].slice(0, 160)}`);
  const redgreenStatus = rg?.status ?? `exit ${r.code}: ${r.stderr.trim().slice(-300)}`;
  return {
    bare: pick(bare.counts),
    bareGreen: bare.green,
    bareSeconds: Math.round(bare.ms / 100) / 10,
    redgreen,
    redgreenStatus,
    redgreenFailures: failures,
    same,
  };
}

/** Why a mutant was not fixed: redgreen's reason and first remaining failures, or its error; the bare runner's tail. */
const detail = (summary, bare, r) => ({
  reason:
    summary?.reason ??
    r.stderr
      .replace(/\0/g, "\\0")
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("redgreen:"))
      .pop()
      ?.slice(0, 300) ??
    null,
  remaining: (summary?.remainingFailures ?? [])
    .slice(0, 2)
    .map((f) => `${f.nodeId}: ${f.errorType}: ${String(f.message).split("\n")[0].slice(0, 160)}`),
  bare: bare.green ? "green" : bare.tail.split("\n").slice(-2).join(" | "),
});

/** One mutant: apply, `redgreen run`, classify against the bare runner, restore byte for byte. */
function runMutant(corpus, p, m, tmp, bareTimeoutMs) {
  const dir = projectDir(corpus, p);
  applyMutation(dir, m);
  try {
    const args = [cliBin, "run", dir, "--no-llm", "--json", "-q", "--db", join(tmp, `${p.project}-${m.id}.db`), ...pythonArgs(corpus, p)];
    const r = sh("node", args, { timeoutMs: REDGREEN_TIMEOUT_MS });
    let summary = null;
    try {
      summary = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
    } catch {
      summary = null;
    }
    const changed = changedFiles(dir);
    const testFilesTouched = changed.filter(isTestFile);
    // A mutant left unfixed may hang the suite: the bare run gets 5 times the unmutated run's time (at least 2 min).
    const status = summary?.status ?? (r.timedOut ? "timeout" : `exit ${r.code}`);
    let bare = bareRun(corpus, p, { timeoutMs: bareTimeoutMs });
    // A suite redgreen called green but the bare runner did not is run once more before the verdict: a suite red only
    // from load (parse5's own 5 s per-test timeouts on a busy machine) is flaky, and says so, not a wrong fix.
    let bareFlaky = false;
    if (status === "passed" && !bare.green) {
      const again = bareRun(corpus, p, { timeoutMs: bareTimeoutMs });
      bareFlaky = again.green;
      if (again.green) bare = again;
    }
    const verdict = verdictOf({ status, bareGreen: bare.green, changed, testFilesTouched });
    const fixes = (summary?.fixes ?? []).filter((f) => f.status === "kept").map((f) => `${f.source}:${f.strategy}`);
    return {
      project: p.project,
      id: m.id,
      kind: m.kind,
      verdict,
      status,
      seconds: Math.round(r.ms / 100) / 10,
      changed,
      testFilesTouched,
      fixes,
      ...(bareFlaky ? { bareFlaky } : {}),
      ...(verdict === "fixed" ? {} : detail(summary, bare, r)),
    };
  } finally {
    restore(dir);
  }
}

/** Counts, rate and median time over a set of mutant records. */
function tally(records) {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, records.filter((r) => r.verdict === v).length]));
  const good = counts.fixed + counts.equivalent;
  return {
    mutants: records.length,
    ...counts,
    rate: records.length ? Math.round((good / records.length) * 1000) / 10 : null,
    medianSeconds: records.length ? Math.round(median(records.map((r) => r.seconds)) * 10) / 10 : null,
    testFilesTouched: records.reduce((n, r) => n + r.testFilesTouched.length, 0),
  };
}

/** One project: the fidelity check, then its chosen mutants one by one. Returns { project, records }. */
function measureProject(corpus, p, { kind, limit, log }) {
  if (!p.mutations?.length) {
    log(`${p.project}: no mutation list yet, skipped`);
    return { project: { skipped: `no mutation list yet${p.note ? ` (${p.note})` : ""}` }, records: [] };
  }
  if (!existsSync(projectDir(corpus, p)) || !ready(corpus, p)) {
    log(`${p.project}: not in the corpus (or not set up), skipped`);
    return { project: { skipped: "not in the corpus" }, records: [] };
  }
  const tmp = mkdtempSync(join(tmpdir(), "redgreen-real-projects-"));
  try {
    restore(projectDir(corpus, p));
    log(`${p.project}: fidelity check (redgreen test vs ${p.runner})`);
    const fid = fidelity(corpus, p, tmp);
    log(
      `${p.project}: ${fid.same ? "same counts" : "DIFFERENT counts"} bare ${JSON.stringify(fid.bare)} redgreen ` +
        `${JSON.stringify(fid.redgreen)}`,
    );
    const chosen = p.kinds.flatMap((k) => p.mutations.filter((m) => m.kind === k && (!kind || k === kind)).slice(0, limit));
    const records = [];
    for (const m of chosen) {
      const rec = runMutant(corpus, p, m, tmp, Math.max(120_000, 5 * fid.bareSeconds * 1000));
      const why = rec.reason ? ` — ${rec.reason.slice(0, 160)}` : "";
      log(
        `${p.project} ${rec.id}: ${rec.verdict} (${rec.status}, ${rec.seconds} s` +
          `${rec.fixes.length ? `, ${rec.fixes.join(" ")}` : ""})${why}`,
      );
      records.push(rec);
    }
    const byKind = Object.fromEntries(p.kinds.map((k) => [k, tally(records.filter((r) => r.kind === k))]));
    return { project: { origin: p.origin, runner: p.runner, fidelity: fid, ...tally(records), byKind }, records };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One project measured in a child process (this file with --worker), so `jobs` projects run side by side. */
function measureInWorker(corpus, p, { kind, limit, log }) {
  const out = join(mkdtempSync(join(tmpdir(), "redgreen-real-worker-")), "result.json");
  const args = [fileURLToPath(import.meta.url), "--worker", out, "--corpus", corpus, "--project", p.project];
  if (kind) args.push("--kind", kind);
  if (Number.isFinite(limit)) args.push("--limit", String(limit));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    createInterface({ input: child.stderr }).on("line", log);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || !existsSync(out)) reject(new Error(`worker for ${p.project} exited with ${code}`));
      else resolve(JSON.parse(readFileSync(out, "utf8")));
      rmSync(dirname(out), { recursive: true, force: true });
    });
  });
}

/** Measures every project of the lists found in the corpus, `jobs` projects at a time. */
export async function measure({ corpus, only = null, kind = null, limit = Infinity, jobs = 1, log = () => {} }) {
  if (!corpus || !existsSync(corpus))
    return { skipped: `no corpus (${corpus ? `${corpus} does not exist` : "REDGREEN_CORPUS is not set"}): ${SETUP_HINT}` };
  const started = Date.now();
  const lists = loadProjects().filter((x) => !only || x.project === only);
  const results = new Array(lists.length);
  let next = 0;
  const lane = async () => {
    while (next < lists.length) {
      const i = next++;
      const opts = { kind, limit, log };
      results[i] = jobs > 1 ? await measureInWorker(corpus, lists[i], opts) : measureProject(corpus, lists[i], opts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, lane));
  const projects = Object.fromEntries(lists.map((p, i) => [p.project, results[i].project]));
  const records = results.flatMap((r) => r.records);
  const kinds = [...new Set(records.map((r) => r.kind))];
  return {
    corpus,
    limitPerKind: Number.isFinite(limit) ? limit : null,
    jobs,
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    ...tally(records),
    byKind: Object.fromEntries(kinds.map((k) => [k, tally(records.filter((r) => r.kind === k))])),
    projects,
    misses: records.filter((r) => r.verdict !== "fixed" && r.verdict !== "equivalent"),
    bareFlaky: records.filter((r) => r.bareFlaky).map((r) => `${r.project} ${r.id}`),
  };
}

const row = (label, t) =>
  `| ${label} | ${t.mutants} | ${t.fixed} | ${t.equivalent} | ${t.wrong} | ${t["not-green"]} | ${t.rate ?? "–"} % | ` +
  `${t.medianSeconds ?? "–"} | ${t.testFilesTouched} |`;

const benchmark = {
  name: "real-projects",
  description:
    "Real open-source projects (corpus outside the repository, lists in bench/real-projects/) each with one injected bug from a " +
    "committed " +
    "mutation list (deleted import, misspelt name, missing await, None/undefined access); `redgreen run --no-llm` per mutant, then the " +
    "project's bare runner decides: fixed (file restored byte for byte), equivalent (other text, bare runner green), wrong " +
    "(redgreen said " +
    "passed but the bare runner is red, or a test file was touched), not green",
  goal:
    "no wrong verdict, no test file touched, redgreen test's counts equal to the bare runner's; the fix rate is measured, not a " +
    "goal yet",
  async run({ log }) {
    const limit = process.env.REDGREEN_REAL_LIMIT ? Number(process.env.REDGREEN_REAL_LIMIT) : Infinity;
    return measure({ corpus: process.env.REDGREEN_CORPUS, limit, jobs: Number(process.env.REDGREEN_REAL_JOBS ?? 1), log });
  },
  table(r) {
    if (r.skipped) return `Not measured: ${r.skipped}.`;
    const head = [
      "| project / kind | mutants | fixed | equivalent | wrong | not green | rate | median s per run | test files touched |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    const rows = [];
    for (const [name, p] of Object.entries(r.projects)) {
      if (p.skipped) {
        rows.push(`| ${name} | skipped: ${p.skipped} | | | | | | | |`);
        continue;
      }
      rows.push(row(`**${name}** (${p.runner}, ${p.origin.repo}@${p.origin.commit.slice(0, 8)})`, p));
      for (const [k, t] of Object.entries(p.byKind)) if (t.mutants > 0) rows.push(row(`  ${name} · ${k}`, t));
    }
    for (const [k, t] of Object.entries(r.byKind)) rows.push(row(`all · ${k}`, t));
    rows.push(row("**all**", r));
    const notes = [
      `Limit: ${r.limitPerKind ?? "none"} mutants per kind and project (the first ones of each list); ${r.jobs} project(s) at a ` +
        `time; ${r.minutes} min in all.`,
      `Corpus: ${SETUP_HINT}, with REDGREEN_REAL_LIMIT=${r.limitPerKind ?? ""} REDGREEN_REAL_JOBS=${r.jobs}.`,
    ];
    for (const [name, p] of Object.entries(r.projects)) {
      if (p.skipped) continue;
      const f = p.fidelity;
      const why = f.redgreenFailures?.length ? `; redgreen's failures: ${f.redgreenFailures.join("; ")}` : "";
      notes.push(
        `Fidelity ${name}: ${f.same ? "same counts" : "**different counts**"} — bare ${JSON.stringify(f.bare)}, redgreen test ` +
          `${JSON.stringify(f.redgreen)} (${f.redgreenStatus}${why}).`,
      );
    }
    if (r.bareFlaky?.length)
      notes.push(`Bare runner red once, green when run again (the verdict uses the second run): ${r.bareFlaky.join(", ")}.`);
    for (const m of r.misses) {
      const kept = m.fixes.length ? `; kept ${m.fixes.join(", ")}` : "";
      const touched = m.testFilesTouched.length ? `; touched ${m.testFilesTouched.join(", ")}` : "";
      const why = [m.reason, ...(m.remaining ?? [])]
        .filter(Boolean)
        .join("; ")
        .replace(/\s*\n\s*/g, " ")
        .replaceAll("|", "\\|")
        .slice(0, 400);
      notes.push(`${m.verdict}: ${m.project} ${m.id} (${m.status}${kept}${touched})${why ? ` — ${why}` : ""}.`);
    }
    return [...head, ...rows, "", ...notes.map((n) => `- ${n}`)].join("\n");
  },
};
export default benchmark;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const corpus = arg("corpus") ?? process.env.REDGREEN_CORPUS;
  const limit = arg("limit") ? Number(arg("limit")) : Infinity;
  const kind = arg("kind") ?? null;
  const log = (l) => console.error(l);
  if (arg("worker")) {
    const p = loadProjects().find((x) => x.project === arg("project"));
    writeFileSync(arg("worker"), JSON.stringify(measureProject(corpus, p, { kind, limit, log })));
  } else {
    const result = await measure({ corpus, only: arg("project") ?? null, kind, limit, jobs: Number(arg("jobs") ?? 1), log });
    console.log(benchmark.table(result));
    console.log(`BENCH ${JSON.stringify({ name: benchmark.name, ...result })}`);
  }
}
