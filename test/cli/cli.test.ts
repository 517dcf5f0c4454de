import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TestRunResultSchema } from "../../src/domain/index.js";
import { runProcess } from "../../src/process/run.js";
import { openStore } from "../../src/store/index.js";
import { testPython } from "../helpers/python-env.js";
import { copyFixture, expectNoStackTrace, expectOneErrorLine, runCli } from "./run-cli.js";

const py = ["--python", testPython];

describe("redgreen test on real projects", () => {
  it("passes on a green project: report on stdout, progress on stderr, run stored in PATH/.redgreen", async () => {
    const project = copyFixture("green");
    const r = await runCli(["test", project, ...py]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^PASSED {2}2 passed in \d+\.\d\ds\n/);
    expect(r.stdout).toContain("Coverage  100.0% (");
    expect(r.stdout).toContain("All tests pass; nothing to fix.");
    const db = join(project, ".redgreen", "redgreen.db");
    expect(r.stdout).toContain(`Saved as run 1 in ${db}\n`);
    // stderr is not a terminal here: plain progress lines, ending with the final count.
    expect(r.stderr.trim().split("\n").at(-1)).toBe("progress: 2/2 tests done, 0 failed");
    expect(readFileSync(join(project, ".redgreen", ".gitignore"), "utf8")).toContain("*");
    const store = openStore(db);
    expect(store.listTestRuns().map((run) => [run.status, run.passed, run.coveragePercent])).toEqual([["passed", 2, 100]]);
    store.close();
  });

  it("fails on a red project with --json: one TestRunResult on stdout, exit 1, stored in REDGREEN_DB", async () => {
    const project = copyFixture("red");
    const db = join(dirname(project), "state", "env.db");
    const r = await runCli(["test", project, "--json", ...py], { env: { REDGREEN_DB: db } });
    expect(r.exitCode).toBe(1);
    const result = TestRunResultSchema.parse(JSON.parse(r.stdout));
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(result).toMatchObject({ status: "failed", passed: 2, failed: 2, total: 4 });
    expect(result.failures.map((f) => [f.nodeId, f.errorType])).toEqual([
      ["tests/test_discount.py::test_discount_name", "NameError"],
      ["tests/test_total.py::test_total_two", "AssertionError"],
    ]);
    expect(result.coverage?.files.map((f) => f.file)).toContain("shop.py");
    expect(r.stderr).not.toContain("{");
    expect(existsSync(join(project, ".redgreen"))).toBe(false);
    const store = openStore(db);
    expect(store.getTestRun(1)?.result).toEqual(result);
    store.close();
  });

  it("prints each failure with type, message and location, and runs only --files", async () => {
    const project = copyFixture("red");
    const r = await runCli(["test", "--files", "tests/test_total.py", "--no-coverage", "-q", ...py], { cwd: project });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^FAILED {2}1 passed, 1 failed in /);
    expect(r.stdout).toContain("  1) tests/test_total.py::test_total_two\n     AssertionError: assert 5 == 12\n");
    expect(r.stdout).toContain("     at tests/test_total.py:9\n");
    expect(r.stdout).toContain("Coverage  not measured\n");
    expect(r.stderr).toBe("");
    // --files takes every following argument up to the next option.
    const both = await runCli([
      "test",
      project,
      "--files",
      "tests/test_total.py",
      "tests/test_discount.py",
      "--json",
      "-q",
      "--no-coverage",
      ...py,
    ]);
    expect(TestRunResultSchema.parse(JSON.parse(both.stdout)).total).toBe(4);
  });

  it("reports a directory without tests as no_tests with exit 0", async () => {
    const project = copyFixture("no-tests");
    const r = await runCli(["test", project, "--json", "--no-coverage", ...py]);
    expect(r.exitCode).toBe(0);
    expect(TestRunResultSchema.parse(JSON.parse(r.stdout))).toMatchObject({ status: "no_tests", total: 0 });
    const text = await runCli(["test", project, "--no-coverage", ...py]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^NO TESTS {2}0 passed in /);
    expect(text.stdout).toContain("No tests were collected");
    expectNoStackTrace(text.stderr);
  });
});

describe("redgreen test: environment errors exit 2 with one line on stderr", () => {
  let noPytestPython: string;
  beforeAll(async () => {
    // A virtualenv without pip has no pytest, whatever the system Python has installed.
    const venv = join(mkdtempSync(join(tmpdir(), "redgreen-nopytest-")), "venv");
    const made = await runProcess("python3", ["-m", "venv", "--without-pip", venv], { cwd: tmpdir(), timeoutMs: 60_000 });
    expect(made.exitCode).toBe(0);
    noPytestPython = join(venv, "bin", "python");
  });

  it("a path that does not exist (and creates nothing there)", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "redgreen-cli-")), "nope");
    const r = await runCli(["test", missing, ...py]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`redgreen: no such directory: ${missing}\n`);
    expect(r.stdout).toBe("");
    expect(existsSync(missing)).toBe(false);
  });

  it("a file given as PATH", async () => {
    const project = copyFixture("green");
    const r = await runCli(["test", join(project, "calc.py"), ...py]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /^redgreen: .*calc\.py is a file, not a project directory$/);
  });

  it("a Python interpreter that does not exist", async () => {
    const r = await runCli(["test", copyFixture("green"), "--python", "/nonexistent/python3"]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /The Python interpreter \/nonexistent\/python3 does not run/);
    expect(r.stdout).toBe("");
  });

  it("an interpreter without pytest", async () => {
    const r = await runCli(["test", copyFixture("green"), "--python", noPytestPython, "--json"]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(
      r.stderr,
      new RegExp(
        `pytest is not installed for ${noPytestPython.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; install it with: .* -m pip install pytest`,
      ),
    );
    // With --json the same error is also one JSON object on stdout (the sub-agent contract).
    expect(r.stdout).toMatch(/^[^\n]+\n$/);
    expect(JSON.parse(r.stdout)).toEqual({
      error: expect.stringMatching(/^pytest is not installed for .* -m pip install pytest$/),
      code: "pytest_missing",
    });
  });

  it("a database under a regular file, under /proc, or in a corrupt file: before any test runs", async () => {
    const project = copyFixture("green");
    const file = join(project, "calc.py");
    const underFile = await runCli(["test", project, "--db", join(file, "x.db"), ...py]);
    expect(underFile.exitCode).toBe(2);
    expectOneErrorLine(
      underFile.stderr,
      /cannot create the directory for the database .*calc\.py\/x\.db: a parent of it is a file, not a directory/,
    );
    expect(underFile.stderr).not.toContain("progress:");

    const proc = await runCli(["test", project, ...py], { env: { REDGREEN_DB: "/proc/redgreen.db" } });
    expect(proc.exitCode).toBe(2);
    expectOneErrorLine(proc.stderr, /^redgreen: cannot open the database \/proc\/redgreen.db \(is its directory writable\?\)$/);

    const corrupt = join(dirname(project), "corrupt.db");
    writeFileSync(corrupt, "not a database ".repeat(100));
    const bad = await runCli(["test", project, "--db", corrupt, ...py]);
    expect(bad.exitCode).toBe(2);
    expectOneErrorLine(bad.stderr, /corrupt\.db is not a SQLite database \(the file is corrupt or of another kind\)$/);
  });

  it("a pytest that cannot run the suite (INTERNALERROR) gives the report, exit 2 and a one-line gist", async () => {
    const project = copyFixture("green");
    writeFileSync(join(project, "conftest.py"), 'def pytest_collection_modifyitems(items):\n    raise RuntimeError("plugin bug")\n');
    const r = await runCli(["test", project, "--no-coverage", "-q", ...py]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^ERROR {2}0 passed in /);
    expect(r.stderr).toBe("redgreen: pytest could not run the tests: pytest exited with code 3: RuntimeError: plugin bug\n");
  });
});

describe("command line usage", () => {
  const usage: [string[], RegExp][] = [
    [["test", "--bogus"], /^redgreen: unknown option '--bogus' \(see redgreen test --help\)$/],
    [["test", "--db"], /^redgreen: option '--db <value>' argument missing \(see redgreen test --help\)$/],
    [["test", "--test-timeout", "soon"], /^redgreen: --test-timeout needs a number of seconds \(0 turns it off\), got 'soon'$/],
    [["test", "--run-timeout", "0"], /^redgreen: --run-timeout needs a number of seconds above 0, got '0'$/],
    [["test", "a", "b"], /^redgreen: expected one PATH, got 2: a b \(use --files for test files\)$/],
    [["tset"], /^redgreen: unknown command 'tset'; did you mean 'test'\? \(see redgreen --help\)$/],
    [["--verbose"], /^redgreen: unknown option '--verbose' \(see redgreen --help\)$/],
  ];
  it.each(usage)("redgreen %j exits 2 with one clear line", async (args, pattern) => {
    const r = await runCli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expectOneErrorLine(r.stderr, pattern);
  });

  it("--help, --version, test --help and no arguments", async () => {
    const help = await runCli(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^redgreen \d+\.\d+\.\d+: takes a red test suite to green/);
    expect(help.stdout).toMatch(/^ {2}test +run a project's tests/m);
    const version = await runCli(["--version"]);
    expect(version.stdout).toBe(
      `${(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version}\n`,
    );
    const testHelp = await runCli(["test", "--help"]);
    expect(testHelp.exitCode).toBe(0);
    expect(testHelp.stdout).toContain("Usage: redgreen test [PATH] [options]");
    expect(testHelp.stdout).toContain("--no-coverage");
    const bare = await runCli([]);
    expect(bare.exitCode).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toContain("Usage: redgreen <command> [options]");
  });

  it("shows the stack only with REDGREEN_DEBUG=1", async () => {
    const r = await runCli(["test", "/nonexistent-dir"], { env: { REDGREEN_DEBUG: "1" } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("redgreen: no such directory: /nonexistent-dir");
    expect(r.stderr).toMatch(/^\s+at .+/m);
  });
});
