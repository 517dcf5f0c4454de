// The real-project corpus: project lists (bench/real-projects/*.json), one-line mutations applied in place and
// restored byte for byte through the project's git checkout, and the project's bare runner (pytest, vitest, jest).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./env.mjs";

export const listsDir = join(repoRoot, "bench", "real-projects");

/** The mutation lists, one per project: `bench/real-projects/<project>.json`. */
export function loadProjects() {
  return readdirSync(listsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ ...JSON.parse(readFileSync(join(listsDir, f), "utf8")), listFile: join(listsDir, f) }));
}

/** Runs a command to completion (no shell); never throws. */
export function sh(file, args, { cwd, timeoutMs = 600_000, env, input } = {}) {
  const started = Date.now();
  const r = spawnSync(file, args, {
    cwd,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", CI: "1", ...env },
    encoding: "utf8",
    input,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    code: r.status ?? -1,
    timedOut: r.error?.code === "ETIMEDOUT",
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    ms: Date.now() - started,
  };
}

export const projectDir = (corpus, project) => join(corpus, project.project);
export const venvPython = (corpus, project) => join(corpus, ".venvs", project.project, "bin", "python");

/** A test file by the conventions of pytest, vitest and jest. */
export const isTestFile = (rel) =>
  /(^|\/)(tests?|__tests__|testing)\//.test(rel) ||
  /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(rel) ||
  /\.(test|spec)\.[cm]?[jt]sx?$/.test(rel) ||
  /(^|\/)conftest\.py$/.test(rel);

const git = (dir, args) => sh("git", ["-c", "core.fsmonitor=false", ...args], { cwd: dir, timeoutMs: 60_000 });

/** Files changed or added since the checkout's commit (git-ignored ones and redgreen's own .redgreen folder aside). */
export function changedFiles(dir) {
  const r = git(dir, ["status", "--porcelain", "--untracked-files=all"]);
  if (r.code !== 0) throw new Error(`git status in ${dir}: ${r.stderr.trim()}`);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3).replace(/^.* -> /, ""))
    .filter((rel) => !rel.startsWith(".redgreen/"));
}

/** Puts every tracked file back byte for byte and removes untracked, not-ignored files (such as .redgreen/). */
export function restore(dir) {
  const a = git(dir, ["checkout", "-f", "HEAD", "--", "."]);
  const b = git(dir, ["clean", "-fdq"]);
  if (a.code !== 0 || b.code !== 0) throw new Error(`restoring ${dir}: ${a.stderr}${b.stderr}`);
  const left = changedFiles(dir);
  if (left.length > 0) throw new Error(`restoring ${dir} left ${left.join(", ")}`);
}

/**
 * Applies a one-line mutation in place. The line must read `original`; a deleted import whose `mutated` is empty
 * removes the line (so a fix that adds the import back restores the file byte for byte).
 */
export function applyMutation(dir, m) {
  const path = join(dir, m.file);
  const lines = readFileSync(path, "utf8").split("\n");
  if (lines[m.line - 1] !== m.original) throw new Error(`${m.id}: ${m.file}:${m.line} does not read ${JSON.stringify(m.original)}`);
  if (m.kind === "deleted-import" && m.mutated === "") lines.splice(m.line - 1, 1);
  else lines[m.line - 1] = m.mutated;
  writeFileSync(path, lines.join("\n"));
}

const pytestCounts = (out) => {
  const summary =
    out
      .trim()
      .split("\n")
      .reverse()
      .find((l) => /\d+ (passed|failed|error|skipped|no tests ran)|no tests ran/.test(l)) ?? "";
  const n = (re) => Number(re.exec(summary)?.[1] ?? 0);
  return { passed: n(/(\d+) passed/), failed: n(/(\d+) failed/), skipped: n(/(\d+) skipped/), errors: n(/(\d+) errors?\b/) };
};

const jsonCounts = (file) => {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    errors: r.numRuntimeErrorTestSuites ?? 0,
  };
};

/**
 * The project's own runner on its whole suite, as a developer would run it: green when it exits 0. `bail` stops at
 * the first failure (enough to tell red from green while generating). Returns { green, code, counts, ms, tail }.
 */
export function bareRun(corpus, project, { bail = false, timeoutMs = 900_000 } = {}) {
  const dir = projectDir(corpus, project);
  const tmp = mkdtempSync(join(tmpdir(), "redgreen-bare-"));
  try {
    let r;
    let counts;
    if (project.runner === "pytest") {
      const args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", ...(bail ? ["-x"] : []), ...(project.bareArgs ?? [])];
      r = sh(venvPython(corpus, project), args, { cwd: dir, timeoutMs });
      counts = pytestCounts(r.stdout);
    } else {
      const out = join(tmp, "report.json");
      const args =
        project.runner === "vitest"
          ? ["run", "--reporter=json", `--outputFile=${out}`, ...(bail ? ["--bail=1"] : [])]
          : ["--json", `--outputFile=${out}`, "--ci", ...(bail ? ["--bail"] : [])];
      args.push(...(project.bareArgs ?? []));
      r = sh(join(dir, "node_modules", ".bin", project.runner), args, { cwd: dir, timeoutMs });
      counts = jsonCounts(out);
    }
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-6).join("\n");
    return { green: r.code === 0, code: r.code, timedOut: r.timedOut, counts, ms: r.ms, tail };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The verdict on one mutant. Only a run redgreen itself called passed counts as fixed (the mutated files restored byte for
 * byte) or equivalent (other text): a run cut off by the harness's timeout may have left a fix on disk, but it did not
 * say green. Wrong: a test file touched, or passed while the bare runner is red.
 */
export function verdictOf({ status, bareGreen, changed, testFilesTouched }) {
  if (testFilesTouched.length > 0 || (status === "passed" && !bareGreen)) return "wrong";
  if (status === "passed" && bareGreen) return changed.length === 0 ? "fixed" : "equivalent";
  return "not-green";
}
