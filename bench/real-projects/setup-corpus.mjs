// Builds the real-project corpus outside the repository: clones each project of bench/real-projects/*.json at its
// recorded commit (with its test-data submodules), runs its setup commands ({venv} = DIR/.venvs/<project>), and
// commits what the install changed (lock files) locally so the benchmark restores mutants to that state.
// `node bench/real-projects/setup-corpus.mjs --corpus DIR [--project X] [--mirror DIR]` (--mirror: local clones named
// <owner>+<name>/repo, instead of https://github.com/<owner>/<name>). A project already in DIR is left as it is.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadProjects, sh } from "../lib/corpus.mjs";

const arg = (name) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const corpus = arg("corpus") ?? process.env.REDGREEN_CORPUS;
const only = arg("project");
const mirror = arg("mirror");
if (!corpus) throw new Error("usage: setup-corpus.mjs --corpus DIR [--project X] [--mirror DIR]");

const source = (repo) => {
  const local = mirror ? join(mirror, repo.replace("/", "+"), "repo") : null;
  return local && existsSync(local) ? local : `https://github.com/${repo}.git`;
};
const must = (r, what) => {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${`${r.stdout}\n${r.stderr}`.trim().slice(-800)}`);
  return r;
};
const gitId = ["-c", "user.name=redgreen-bench", "-c", "user.email=bench@localhost", "-c", "protocol.file.allow=always"];

mkdirSync(join(corpus, ".venvs"), { recursive: true });
for (const p of loadProjects().filter((x) => !only || x.project === only)) {
  const dir = join(corpus, p.project);
  if (existsSync(dir)) {
    console.log(`${p.project}: already in ${corpus}, left as it is`);
    continue;
  }
  console.log(`${p.project}: cloning ${p.origin.repo} at ${p.origin.commit}`);
  must(sh("git", ["clone", "-q", source(p.origin.repo), dir], { timeoutMs: 900_000 }), "git clone");
  must(sh("git", ["checkout", "-q", p.origin.commit], { cwd: dir }), "git checkout");
  for (const s of p.submodules ?? []) {
    must(sh("git", ["config", `submodule.${s.name}.url`, source(s.repo)], { cwd: dir }), "git config");
    must(sh("git", [...gitId, "submodule", "update", "--init", "-q", s.path], { cwd: dir, timeoutMs: 900_000 }), `submodule ${s.path}`);
  }
  for (const command of p.setup) {
    const line = command.replaceAll("{venv}", join(corpus, ".venvs", p.project));
    console.log(`${p.project}: ${line}`);
    must(sh("sh", ["-c", line], { cwd: dir, timeoutMs: 900_000 }), line);
  }
  must(sh("git", [...gitId, "add", "-A"], { cwd: dir }), "git add");
  must(sh("git", [...gitId, "commit", "-qm", "redgreen corpus: after setup", "--allow-empty"], { cwd: dir }), "git commit");
  console.log(`${p.project}: ready`);
}
