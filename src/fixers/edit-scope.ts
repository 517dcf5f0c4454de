// Edit scope: a fix may change only the project's own source files, never VCS, dependency, virtualenv, tool, build or git-ignored files.
import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Violation, ViolationRule } from "../domain/validation.js";
import { runProcess } from "../process/run.js";
import type { ProjectFile } from "./paths.js";

const SEGMENT_RULES: [ViolationRule, (segment: string, index: number) => boolean, string][] = [
  ["scope.vcs", (s) => s === ".git" || s === ".hg" || s === ".svn", "version control data"],
  [
    "scope.dependencies",
    (s) => s === "node_modules" || s === "bower_components" || s === ".yarn" || s === ".pnpm-store",
    "installed dependencies",
  ],
  ["scope.virtualenv", (s) => s === "site-packages" || s === "dist-packages" || s === ".tox" || s === ".nox", "installed Python packages"],
  [
    "scope.tool_state",
    (s) => s === ".redgreen" || s === ".pytest_cache" || s === ".mypy_cache" || s === ".ruff_cache" || s === ".vitest",
    "tool state",
  ],
  [
    "scope.build_output",
    (s, i) => ((s === "dist" || s === "build") && i === 0) || s === "__pycache__" || s.endsWith(".egg-info") || /\.py[co]$/.test(s),
    "build output",
  ],
];

const violation = (rule: ViolationRule, file: string, evidence: string): Violation => ({ rule, file, line: 0, evidence });

/** The rule a project-relative path breaks by its name alone, or null. */
export function pathScopeViolation(rel: string): Violation | null {
  const segments = rel.split("/").filter((s) => s !== "" && s !== ".");
  for (const [rule, matches, what] of SEGMENT_RULES) {
    const at = segments.findIndex((s, i) => matches(s, i));
    if (at >= 0) return violation(rule, rel, `${rel} is ${what} (${segments.slice(0, at + 1).join("/")}), not a project source file`);
  }
  return null;
}

/** The virtualenv (a folder holding pyvenv.cfg) between the file and the project root that holds the file, or null. */
function virtualenvOf(root: string, rel: string): string | null {
  const parts = rel.split("/");
  for (let i = parts.length - 1; i >= 1; i--) {
    const dir = parts.slice(0, i).join("/");
    if (existsSync(join(root, dir, "pyvenv.cfg"))) return dir;
  }
  return null;
}

/** Whether `dir` or a folder above it holds a .git entry (a work tree), so asking git is worth a process. */
function inGitWorkTree(dir: string): boolean {
  for (let cur = dir; ; cur = dirname(cur)) {
    if (existsSync(join(cur, ".git"))) return true;
    if (dirname(cur) === cur) return false;
  }
}

/** The files git ignores among `rels` (untracked files matching .gitignore rules); none outside a git work tree. */
export async function gitIgnored(root: string, rels: readonly string[]): Promise<Set<string>> {
  if (rels.length === 0 || !inGitWorkTree(root)) return new Set();
  // No fsmonitor or hooks: the project's git config must not run commands while redgreen asks a question.
  const args = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "check-ignore", "--stdin", "-z"];
  const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined };
  try {
    // The project root itself is asked too: a project inside a folder its enclosing repository ignores (a copy in
    // .demo/, a vendored checkout) is not that repository's source, and its own files are not "ignored".
    const self = `${root.replace(/\/+$/, "")}/`;
    const input = [self, ...rels].map((r) => `${r}\0`).join("");
    const r = await runProcess("git", args, { cwd: root, timeoutMs: 10_000, env, input });
    if (r.exitCode !== 0) return new Set();
    const hits = new Set(r.stdout.split("\0").filter(Boolean));
    return hits.has(self) ? new Set() : hits;
  } catch {
    // git is not installed: the name rules still apply.
    return new Set();
  }
}

/**
 * The first scope rule the files break: VCS data, node_modules and other installed dependencies, virtualenvs (any
 * folder with pyvenv.cfg) and site-packages, tool state (.redgreen, caches), build outputs (top-level dist/ and build/,
 * *.egg-info, __pycache__, bytecode), or files git ignores. Files are as resolveProjectFile resolved them.
 */
export async function editScopeViolation(projectRoot: string, files: readonly ProjectFile[]): Promise<Violation | null> {
  const root = await realpath(projectRoot);
  for (const f of files) {
    const byName = pathScopeViolation(f.rel);
    if (byName) return byName;
    const venv = virtualenvOf(root, f.rel);
    if (venv !== null)
      return violation(
        "scope.virtualenv",
        f.rel,
        `${f.rel} is inside the virtualenv ${venv}/ (it holds pyvenv.cfg), not a project source file`,
      );
  }
  const ignored = await gitIgnored(
    root,
    files.map((f) => f.rel),
  );
  const hit = files.find((f) => ignored.has(f.rel));
  return hit ? violation("scope.git_ignored", hit.rel, `${hit.rel} is ignored by git (git check-ignore), not a project source file`) : null;
}
