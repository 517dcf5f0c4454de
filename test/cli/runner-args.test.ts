// `redgreen run/test/resume -- RUNNER_ARGS` through the built CLI: the args reach every run, resume keeps them, and
// anything that could fake a green or blind redgreen is refused with one line and exit 2.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { copyExampleShop, copyJsProject, exampleTsShop } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { binPath, copyFixture, expectNoStackTrace, runCli } from "./run-cli.js";

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.splice(0)) c();
});

const pyShop = (): string => {
  const copy = copyExampleShop({ withoutShipping: true });
  cleanups.push(copy.cleanup);
  return copy.root;
};

const noModel = { REDGREEN_MODEL: undefined, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

interface StoredRun {
  command: string[];
  ids: string[];
}

/** Every stored test run of a project: its command and the node ids it reported (passed or failing). */
function storedRuns(db: string): StoredRun[] {
  const conn = new Database(db, { readonly: true });
  try {
    const rows = conn.prepare("SELECT command, result_json FROM test_runs ORDER BY id").all() as { command: string; result_json: string }[];
    return rows.map((r) => {
      const result = JSON.parse(r.result_json) as { passedNodeIds: string[]; failures: { nodeId: string }[] };
      return { command: JSON.parse(r.command) as string[], ids: [...result.passedNodeIds, ...result.failures.map((f) => f.nodeId)] };
    });
  } finally {
    conn.close();
  }
}

const SELECTED = /^tests\/test_(cart|pricing)\.py::/;

describe("runner args on pytest", () => {
  it("run -- -k: every run selects only those tests, the summary names them, report says so", async () => {
    const root = pyShop();
    const r = await runCli(
      ["run", root, "--python", testPython, "--no-llm", "--no-coverage", "--json", "-q", "--", "-k", "cart or pricing"],
      { env: noModel },
    );
    expectNoStackTrace(r.stderr);
    expect(r.exitCode).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      status: string;
      workflowId: string;
      runnerArgs: string[];
      initial: { total: number };
      final: { total: number };
    };
    expect(summary.status).toBe("passed");
    expect(summary.runnerArgs).toEqual(["-k", "cart or pricing"]);
    // test_cart.py has 2 tests, test_pricing.py 3; test_orders.py and test_notify.py (with a bug of their own) never ran.
    expect([summary.initial.total, summary.final.total]).toEqual([5, 5]);
    const runs = storedRuns(join(root, ".redgreen", "redgreen.db"));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      expect(run.command.slice(-2)).toEqual(["-k", "cart or pricing"]);
      expect(run.ids.length).toBeGreaterThan(0);
      for (const id of run.ids) expect(id).toMatch(SELECTED);
    }
    const report = await runCli(["report", summary.workflowId, root]);
    expect(report.stdout).toMatch(/^GREEN: all tests pass \(tests selected with: -k cart or pricing\) after 1 iteration\(s\)$/m);
  }, 180_000);

  it("resume keeps the runner args of an interrupted run, and takes no new ones", async () => {
    const root = pyShop();
    const args = ["run", root, "--python", testPython, "--no-llm", "--no-coverage", "--json", "--", "-k", "cart or pricing"];
    const workflowId = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [binPath, ...args], {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, REDGREEN_MODEL: "" },
      });
      let stderr = "";
      let killed = false;
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!killed && stderr.includes("validate: applying")) {
          killed = true;
          process.kill(-child.pid!, "SIGKILL");
        }
      });
      child.on("exit", (_code, signal) => {
        const id = /workflow ([0-9a-f-]{36})/.exec(stderr)?.[1];
        if (signal !== "SIGKILL" || id === undefined) reject(new Error(`expected a kill mid-run:\n${stderr}`));
        else resolve(id);
      });
    });
    const before = storedRuns(join(root, ".redgreen", "redgreen.db")).length;
    const refused = await runCli(["resume", workflowId, root, "--json", "--", "-k", "orders"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /^redgreen: resume runs with the runner args the workflow started with; start a new run to change them\n$/,
    );
    const r = await runCli(["resume", workflowId, root, "--json", "-q"], { env: noModel });
    expectNoStackTrace(r.stderr);
    const summary = JSON.parse(r.stdout) as { status: string; runnerArgs: string[]; final: { total: number } };
    expect(summary).toMatchObject({ status: "passed", runnerArgs: ["-k", "cart or pricing"], final: { total: 5 } });
    const runs = storedRuns(join(root, ".redgreen", "redgreen.db"));
    expect(runs.length).toBeGreaterThan(before);
    for (const run of runs) {
      expect(run.command.slice(-2)).toEqual(["-k", "cart or pricing"]);
      for (const id of run.ids) expect(id).toMatch(SELECTED);
    }
  }, 240_000);

  it("test -- a node id and -k: the run holds only what they select, and the text says so", async () => {
    const root = copyFixture("red");
    cleanups.push(() => rmSync(join(root, ".."), { recursive: true, force: true }));
    const json = await runCli([
      "test",
      root,
      "--python",
      testPython,
      "--no-coverage",
      "--json",
      "-q",
      "--",
      "tests/test_total.py",
      "-k",
      "two",
    ]);
    const result = JSON.parse(json.stdout) as { total: number; failures: { nodeId: string }[]; runnerArgs: string[] };
    expect(result.runnerArgs).toEqual(["tests/test_total.py", "-k", "two"]);
    expect(result.total).toBe(1);
    expect(result.failures.map((f) => f.nodeId)).toEqual(["tests/test_total.py::test_total_two"]);
    const text = await runCli(["test", root, "--python", testPython, "--no-coverage", "-q", "--", "-k", "two"]);
    expect(text.stdout).toMatch(/^tests selected with: -k two$/m);
  }, 120_000);
});

describe("refused runner args: one line naming the option and why, exit 2, nothing run", () => {
  const red = copyFixture("red");
  const db = join(mkdtempSync(join(tmpdir(), "redgreen-args-")), "r.db");
  cleanups.push(() => rmSync(join(red, ".."), { recursive: true, force: true }));
  const pytestCases: [string[], RegExp][] = [
    [["-p", "evil"], /'-p' is refused: it loads or blocks plugins/],
    [["-pno:redgreen_pytest_plugin"], /'-p' is refused: it loads or blocks plugins/],
    [["-o", "addopts="], /'-o' is refused: it overrides the project's settings/],
    [["--override-ini=python_files=*.py"], /'--override-ini' is refused/],
    [["-c", "other.ini"], /'-c' is refused: it swaps the config file/],
    [["--junitxml=/tmp/x.xml"], /'--junitxml' is refused: it changes the reports redgreen reads/],
    [["--lf"], /'--lf' is refused: it picks tests from an earlier run's cache/],
    [["--sw"], /'--sw' is refused/],
    [["--co"], /'--co' is refused: it collects tests without running them/],
    [["-x"], /'-x' is refused: it stops at the first failures/],
    [["--maxfail=1"], /'--maxfail' is refused: it stops at the first failures/],
    [["--rootdir=/"], /'--rootdir' is refused: it moves the runner's root/],
    [["--cov=shop"], /'--cov' is refused: redgreen sets coverage itself/],
    [["../outside"], /refusing to run "\.\.\/outside": the path leaves the project root/],
    [["/etc/passwd"], /refusing to run "\/etc\/passwd": the path leaves the project root/],
    [["--deselect", "../x.py::t"], /refusing to run "\.\.\/x\.py": the path leaves the project root/],
    [["-k", "--junitxml=x"], /'-k' is refused: the option needs a value/],
    [["-n", "auto;rm"], /'-n' is refused: 'auto;rm' is not a value/],
    [["--tb=no"], /'--tb' is refused: it is not among the pytest options redgreen passes on \(-k, -m, -n/],
  ];
  it.each(pytestCases)("pytest: redgreen run -- %j", async (args, message) => {
    const r = await runCli(["run", red, "--python", testPython, "--db", db, "--no-llm", "--", ...args]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(new RegExp(`^redgreen: (runner argument )?${message.source}`));
    expectNoStackTrace(r.stderr);
  });

  const jsCases: [string, string[], RegExp][] = [
    ["vitest", ["--passWithNoTests"], /'--passWithNoTests' is refused: a run that finds no tests must not pass/],
    ["vitest", ["-u"], /'-u' is refused: it rewrites snapshots/],
    ["vitest", ["--reporter=dot"], /'--reporter' is refused: it changes the reports/],
    ["vitest", ["--outputFile.json=/tmp/x"], /'--outputFile\.json' is refused: it changes the reports/],
    ["vitest", ["--bail=1"], /'--bail' is refused: it stops at the first failures/],
    ["vitest", ["--root", "/"], /'--root' is refused: it moves the runner's root/],
    ["vitest", ["--coverage.enabled=false"], /'--coverage\.enabled' is refused/],
    ["vitest", ["../outside"], /the path leaves the project root/],
    ["jest", ["--updateSnapshot"], /'--updateSnapshot' is refused: it rewrites snapshots/],
    ["jest", ["--json"], /'--json' is refused: it changes the reports/],
    ["jest", ["-o"], /'-o' is refused: it runs only part of the suite/],
    ["jest", ["--config", "x.js"], /'--config' is refused: it swaps the config file/],
    ["jest", ["-w", "100%;x"], /'-w' is refused: '100%;x' is not a value/],
  ];
  it.each(jsCases)("%s: redgreen test -- %j", async (runner, args, message) => {
    const r = await runCli(["test", fixturePath(runner, "passing"), "--db", db, "--", ...args]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
  });
});

describe("runner args on vitest", () => {
  it("run -- -t cart: the workflow runs and fixes only the cart tests, with vitest's own workers", async () => {
    const copy = copyJsProject(exampleTsShop);
    cleanups.push(copy.cleanup);
    const r = await runCli(["run", copy.root, "--no-coverage", "--json", "-q", "--", "-t", "cart"], { env: noModel });
    expectNoStackTrace(r.stderr);
    const summary = JSON.parse(r.stdout) as {
      status: string;
      runnerArgs: string[];
      initial: { total: number; failed: number };
      final: { passed: number };
    };
    expect(summary).toMatchObject({ status: "passed", runnerArgs: ["-t", "cart"], final: { passed: 2 } });
    const runs = storedRuns(join(copy.root, ".redgreen", "redgreen.db"));
    for (const run of runs) {
      expect(run.command.slice(-2)).toEqual(["-t", "cart"]);
      expect(run.command.filter((a) => /^(--runInBand|-i|--no-file-parallelism|--maxWorkers=1|--pool=forks)$/.test(a))).toEqual([]);
      // vitest counts the other files' tests as skipped; only the cart tests ran.
      for (const id of run.ids) expect(id).toMatch(/^tests\/cart\.test\.ts::cart > /);
    }
  }, 240_000);
});
