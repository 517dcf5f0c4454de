// Runner arguments the user passes through (`redgreen run -- -k smoke`): checked against an allow-list per runner, then
// placed on every run the workflow makes, less the ones that would widen a run that names its own tests.
import { RedgreenError } from "../domain/errors.js";
import { splitNodeId } from "../domain/node-id.js";
import { resolveInProject } from "../project-path.js";
import type { RunnerName, RunTestsOptions, TestRunnerAdapter } from "./adapter.js";
import { wrapAdapter } from "./wrap-adapter.js";

/**
 * What an allowed option does to a run's selection: "files" picks test files (dropped when the run names its own files,
 * since runners OR file filters), "names" picks tests by name (JS runners: dropped when the run sets its own name pattern,
 * which it would replace), "narrows" leaves tests out and is kept on every run, "other" selects nothing.
 */
type Role = "files" | "names" | "narrows" | "other";

interface AllowedOption {
  names: readonly string[];
  /** Whether the option takes a value (`-k EXPR`, `-kEXPR`, `--name=value`), and the values allowed. */
  value: RegExp | null;
  role: Role;
  /** The value is a project path or node id, checked to stay inside the project. */
  path?: boolean;
}

const ANY = /^[\s\S]*$/;
const COUNT = /^(auto|logical|\d+)$/;
const WORKERS = /^\d+%?$/;

const ALLOWED: Record<RunnerName, readonly AllowedOption[]> = {
  pytest: [
    { names: ["-k"], value: ANY, role: "narrows" },
    { names: ["-m"], value: ANY, role: "narrows" },
    { names: ["-n", "--numprocesses"], value: COUNT, role: "other" },
    { names: ["--maxprocesses"], value: /^\d+$/, role: "other" },
    { names: ["--dist"], value: /^(load|loadscope|loadfile|loadgroup|worksteal|each|no)$/, role: "other" },
    { names: ["--deselect"], value: ANY, role: "narrows", path: true },
    { names: ["--ignore"], value: ANY, role: "narrows", path: true },
    { names: ["--ignore-glob"], value: ANY, role: "narrows", path: true },
    { names: ["-W", "--pythonwarnings"], value: ANY, role: "other" },
    { names: ["--runxfail"], value: null, role: "other" },
    { names: ["--strict-markers"], value: null, role: "other" },
    { names: ["--import-mode"], value: /^(prepend|append|importlib)$/, role: "other" },
  ],
  vitest: [
    { names: ["-t", "--testNamePattern"], value: ANY, role: "names" },
    { names: ["--project"], value: ANY, role: "narrows" },
    { names: ["--pool"], value: /^(threads|forks|vmThreads|vmForks)$/, role: "other" },
    { names: ["--maxWorkers", "--minWorkers"], value: WORKERS, role: "other" },
    { names: ["--no-file-parallelism"], value: null, role: "other" },
  ],
  jest: [
    { names: ["-t", "--testNamePattern"], value: ANY, role: "names" },
    { names: ["--testPathPattern", "--testPathPatterns"], value: ANY, role: "files" },
    { names: ["--selectProjects"], value: ANY, role: "narrows" },
    { names: ["-w", "--maxWorkers"], value: WORKERS, role: "other" },
    { names: ["-i", "--runInBand"], value: null, role: "other" },
  ],
};

/** Why options that could fake a green or blind redgreen are refused (any other unlisted option is refused too). */
const REFUSED: readonly [RegExp, string][] = [
  [/^(-p|--plugins?)$/, "it loads or blocks plugins, which could rewrite results or switch off redgreen's own"],
  [/^(--override-ini)$/, "it overrides the project's settings behind redgreen's back"],
  [/^(-c|--config|--config-file|--inifile)$/, "it swaps the config file the tests are defined by"],
  [/^(--rootdir|--rootDir|-r|--root|--roots|--dir)$/, "it moves the runner's root away from the project"],
  [
    /^(--junit-?xml|--json|--json-report.*|--report-log|--result-?log|--reporters?|--outputFile.*)$/,
    "it changes the reports redgreen reads",
  ],
  [
    /^(--lf|--last-failed|--ff|--failed-first|--sw|--stepwise.*|--nf|--new-first|--cache-clear)$/,
    "it picks tests from an earlier run's cache",
  ],
  [/^(--co|--collect-only|--listTests|--collectOnly)$/, "it collects tests without running them"],
  [/^(-x|--exitfirst|--maxfail|--bail)$/, "it stops at the first failures and hides the rest"],
  [/^(--cov.*|--no-cov.*|--coverage.*)$/, "redgreen sets coverage itself"],
  [/^(--passWithNoTests)$/, "a run that finds no tests must not pass"],
  [/^(-u|--update|--updateSnapshot|--snapshot-update)$/, "it rewrites snapshots, so a broken test passes"],
  [/^(--onlyChanged|--changed|--changedSince|--lastCommit|--findRelatedTests|--related|--shard)$/, "it runs only part of the suite"],
];

/** The allowed options of one runner, for the refusal message. */
const allowedList = (runner: RunnerName): string => ALLOWED[runner].flatMap((o) => o.names).join(", ");

/** The refusal reason for an unlisted option: pytest -o overrides ini settings, jest -o runs only changed files. */
function refusalReason(runner: RunnerName, name: string): string {
  if (name === "-o") {
    return runner === "pytest" ? "it overrides the project's settings behind redgreen's back" : "it runs only part of the suite";
  }
  return REFUSED.find(([re]) => re.test(name))?.[1] ?? `it is not among the ${runner} options redgreen passes on (${allowedList(runner)})`;
}

/** One argument as the runner reads it: an option (with its value) or a positional. */
interface ParsedArg {
  tokens: string[];
  role: Role;
}

const refuse = (arg: string, why: string): RedgreenError => new RedgreenError("usage", `runner argument '${arg}' is refused: ${why}`);

/** The allow-list entry an option token names, with its inline value when it carries one (`-kEXPR`, `--dist=load`). */
function lookup(runner: RunnerName, token: string): { spec: AllowedOption; inline: string | null } | null {
  const eq = token.startsWith("--") ? token.indexOf("=") : -1;
  const name = eq > 0 ? token.slice(0, eq) : token;
  for (const spec of ALLOWED[runner]) {
    if (spec.names.includes(name)) return { spec, inline: eq > 0 ? token.slice(eq + 1) : null };
    // Short options take their value attached: -ksmoke, -n4.
    const short = spec.names.find((n) => /^-[A-Za-z]$/.test(n) && token.startsWith(n) && token.length > 2);
    if (short !== undefined && spec.value !== null) return { spec, inline: token.slice(2) };
  }
  return null;
}

function checkPath(projectRoot: string, value: string): void {
  const file = splitNodeId(value).testFile;
  if (file.startsWith("-")) throw refuse(value, "a test path cannot start with '-'");
  resolveInProject(projectRoot, file, { action: "run" });
}

/** Parses and checks runner args; throws RedgreenError("usage") naming the first refused argument and why. */
function parseRunnerArgs(runner: RunnerName, args: readonly string[], projectRoot: string): ParsedArg[] {
  const parsed: ParsedArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token.includes("\0")) throw refuse(token, "it holds a NUL character");
    if (!token.startsWith("-") || token === "-") {
      // pytest: paths and node ids; vitest: file-name filters; jest: path patterns. Each must stay inside the project.
      checkPath(projectRoot, token);
      parsed.push({ tokens: [token], role: "files" });
      continue;
    }
    if (token === "--") throw refuse(token, "give the runner's arguments after a single '--'");
    const hit = lookup(runner, token);
    if (hit === null) {
      const name = token.startsWith("--") ? token.split("=")[0]! : token.slice(0, 2);
      throw refuse(name, refusalReason(runner, name));
    }
    const { spec, inline } = hit;
    if (spec.value === null) {
      if (inline !== null) throw refuse(token, "the option takes no value");
      parsed.push({ tokens: [token], role: spec.role });
      continue;
    }
    const value = inline ?? args[++i];
    // A separate value that looks like an option would be read as one by the runner.
    if (value === undefined || (inline === null && value.startsWith("-"))) throw refuse(token, "the option needs a value");
    if (!spec.value.test(value)) throw refuse(token, `'${value}' is not a value redgreen passes on for it`);
    if (spec.path === true) checkPath(projectRoot, value);
    parsed.push({ tokens: inline !== null ? [token] : [token, value], role: spec.role });
  }
  return parsed;
}

/** The runner args checked against the runner's allow-list (returned unchanged); throws RedgreenError("usage") otherwise. */
export function checkRunnerArgs(runner: RunnerName, args: readonly string[], projectRoot: string): string[] {
  parseRunnerArgs(runner, args, projectRoot);
  return [...args];
}

/** What a run selects on its own: named test files / node ids, or a test-name pattern (JS runners). */
export interface OwnSelection {
  files: boolean;
  names: boolean;
}

/**
 * The runner args for one run (already checked): file filters are left out when the run names its own files (runners
 * OR them, which would widen it), name filters when it sets its own name pattern (which they would replace).
 */
export function runnerArgsForRun(
  runner: RunnerName,
  args: readonly string[] | undefined,
  own: OwnSelection,
  projectRoot: string,
): string[] {
  if (args === undefined || args.length === 0) return [];
  return parseRunnerArgs(runner, args, projectRoot)
    .filter((a) => !(a.role === "files" && own.files) && !(a.role === "names" && own.names))
    .flatMap((a) => a.tokens);
}

/** Whether the runner args choose pytest-xdist's worker count themselves (-n, --numprocesses). */
export const setsWorkers = (args: readonly string[] | undefined): boolean =>
  (args ?? []).some((a) => /^(-n|--numprocesses)(=|$)|^-n\S/.test(a));

/** The options (of any runner) that select no tests: workers, pools, warnings, import mode. */
const NON_SELECTING = ALLOWED.pytest.concat(ALLOWED.vitest, ALLOWED.jest).filter((o) => o.role === "other");

/** Whether checked runner args leave tests out of a run (-k, -m, a path, a name pattern, a project). */
export function filtersTests(args: readonly string[] | undefined): boolean {
  const list = args ?? [];
  for (let i = 0; i < list.length; i++) {
    const token = list[i]!;
    const name = token.startsWith("--") ? token.split("=")[0]! : token;
    const attached = !token.startsWith("--") && token.length > 2;
    const spec = NON_SELECTING.find((o) => o.names.includes(attached ? token.slice(0, 2) : name));
    if (spec === undefined) return true;
    if (spec.value !== null && !attached && name === token) i++;
  }
  return false;
}

/** How a report names the runner args a workflow ran with ("tests selected with: -k smoke"), or null without any. */
export function runnerArgsNote(args: readonly string[] | undefined): string | null {
  if (args === undefined || args.length === 0) return null;
  return `${filtersTests(args) ? "tests selected with" : "runner args"}: ${args.join(" ")}`;
}

/**
 * The adapter with these runner args on every run it makes (checked here, so a refused one fails before any run);
 * the adapter itself when there are none.
 */
export function withRunnerArgs(adapter: TestRunnerAdapter, args: readonly string[] | undefined): TestRunnerAdapter {
  if (args === undefined || args.length === 0) return adapter;
  const runnerArgs = checkRunnerArgs(adapter.name, args, adapter.projectRoot);
  const add = <T extends RunTestsOptions | undefined>(options: T): RunTestsOptions => ({ ...options, runnerArgs });
  return wrapAdapter(adapter, {
    runTests: (options) => adapter.runTests(add(options)),
    runSpecificTest: (file, testName, options) => adapter.runSpecificTest(file, testName, add(options)),
  });
}
