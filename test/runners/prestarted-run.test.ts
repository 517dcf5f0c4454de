// prestartRun on real pytest: the run starts before anyone asks, the first full run asked for is that run, and
// `redgreen run` starts it while the graph loads, but only after the store opened (a bad --db runs nothing).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunProgress, RunTestsOptions, TestRunnerAdapter } from "../../src/runners/adapter.js";
import { prestartRun } from "../../src/runners/prestart.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { expectOneErrorLine, runCli } from "../cli/run-cli.js";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * A fresh copy of prestart-marker: its one test writes prestart-ran.txt beside the project when it runs (outside it:
 * the run guard removes what a run creates inside), in the copy's own temp folder.
 */
function project(): { root: string; marker: string } {
  const copy = copyProject(fixturePath("runners", "prestart-marker"));
  cleanups.push(copy.cleanup);
  return { root: copy.root, marker: join(dirname(copy.root), "prestart-ran.txt") };
}

/** The real pytest adapter with the options of every run it was asked for logged. */
async function loggedAdapter(root: string): Promise<{ inner: TestRunnerAdapter; calls: RunTestsOptions[] }> {
  const real = await createPytestAdapter({ projectRoot: root, python: testPython });
  const calls: RunTestsOptions[] = [];
  const inner = Object.create(real) as TestRunnerAdapter;
  inner.runTests = (o = {}) => {
    calls.push(o);
    return real.runTests(o);
  };
  return { inner, calls };
}

/**
 * Writes at `path` an interpreter (the test Python) whose check (`-c import sys; print(sys.executable)`) answers only
 * once `marker` exists (or after 10 s), and returns a log with one line per check: "saw" when the run's test had run by
 * then, "missed" when the check gave up. A first run that waits for a check leaves a "missed".
 */
function slowCheckInterpreter(path: string, marker: string): () => string[] {
  // Beside the marker, outside the project (the run guard removes what a run creates inside it).
  const log = join(dirname(marker), "interpreter-checks.log");
  const check = `if [ "$1" = "-c" ] && [ "$2" = "import sys; print(sys.executable)" ]; then
  i=0; while [ ! -e '${marker}' ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  if [ -e '${marker}' ]; then echo saw >> '${log}'; else echo missed >> '${log}'; fi
fi
exec '${testPython}' "$@"
`;
  writeFileSync(path, `#!/bin/sh\n${check}`);
  chmodSync(path, 0o755);
  return () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
}

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("prestartRun", () => {
  it("runs no test when the caller's signal was aborted before the run could start (a Ctrl-C while redgreen opened)", async () => {
    const { root, marker } = project();
    const { inner } = await loggedAdapter(root);
    const stop = new AbortController();
    stop.abort();
    const prestarted = prestartRun(inner, { coverage: false, perTestCoverage: false }, stop.signal);
    const result = await prestarted.adapter.runTests({ coverage: false, perTestCoverage: false });
    expect(result.status).toBe("error");
    expect(result.passed).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("runs before anyone asks, and the first full run asked for with the same coverage is that run", async () => {
    const { root, marker } = project();
    const { inner, calls } = await loggedAdapter(root);
    const prestarted = prestartRun(inner, { coverage: false, perTestCoverage: false });
    // The test wrote its file with no runTests call on the returned adapter yet.
    await until(() => existsSync(marker));
    const heard: RunProgress[] = [];
    const result = await prestarted.adapter.runTests({ coverage: false, perTestCoverage: false, onProgress: (p) => heard.push(p) });
    expect(result).toMatchObject({ status: "passed", passed: 1, total: 1 });
    expect(calls).toHaveLength(1);
    expect(prestarted.taken()).toBe(true);
    // The run's progress so far reached the caller that took it (at least its latest event).
    expect(heard.at(-1)).toMatchObject({ done: 1, failed: 0 });
    // Runs after it are the adapter's own.
    await prestarted.adapter.runTests({ coverage: false });
    expect(calls).toHaveLength(2);
    await prestarted.cancel();
  }, 60_000);

  it("a first run asking for something else stops the prestarted run and runs on its own after it", async () => {
    const { root } = project();
    const { inner, calls } = await loggedAdapter(root);
    const prestarted = prestartRun(inner, { coverage: false });
    const result = await prestarted.adapter.runTests({ files: ["tests/test_core.py::test_answer"], coverage: false });
    expect(result).toMatchObject({ status: "passed", passed: 1 });
    expect(prestarted.taken()).toBe(false);
    expect(calls.map((c) => c.files ?? "full")).toEqual(["full", ["tests/test_core.py::test_answer"]]);
    expect(calls[0]!.signal!.aborted).toBe(true);
  }, 60_000);
});

describe("redgreen run", () => {
  it("a bad --db is one error line, and no test ran", async () => {
    const { root, marker } = project();
    const dir = join(root, "db-dir");
    mkdirSync(dir);
    const r = await runCli(["run", root, "--no-llm", "--python", testPython, "--db", dir]);
    expect(r.exitCode).toBe(2);
    expectOneErrorLine(r.stderr, /is a directory, not a database file$/);
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it("starts the first run before the workflow graph's modules finished loading", async () => {
    const { root, marker } = project();
    const args = ["run", root, "--no-llm", "--json", "--quiet", "--python", testPython, "--db", join(root, "rg.db")];
    const r = await runCli(args, { env: { REDGREEN_TIMINGS: "1" } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "passed", testRuns: { full: 1, affected: 0, targeted: 0 } });
    expect(existsSync(marker)).toBe(true);
    const phase = (label: string) => {
      const m = new RegExp(`^redgreen timings: (\\d+\\.\\d+) s \\+(\\d+\\.\\d+) s \\d+ MB ${label}$`, "m").exec(r.stderr);
      expect(m, `${label} in\n${r.stderr}`).not.toBeNull();
      return { start: Number(m![1]), end: Number(m![1]) + Number(m![2]) };
    };
    const run = phase("test run: prestarted full, 1 tests");
    const graph = phase("load: the workflow graph's modules");
    expect(run.start).toBeLessThan(graph.start);
  }, 60_000);

  it("starts the first run while the interpreter check goes on, not after it", async () => {
    const { root, marker } = project();
    const python = join(dirname(root), "slow-check-python");
    const checks = slowCheckInterpreter(python, marker);
    const r = await runCli(["run", root, "--no-llm", "--json", "--quiet", "--python", python, "--db", join(root, "rg.db")]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "passed", testRuns: { full: 1, affected: 0, targeted: 0 } });
    // Every check saw the test run: none held the first run back.
    expect(checks()).toContain("saw");
    expect(checks()).not.toContain("missed");
  }, 60_000);

  it("starts the first run while the project's virtualenv interpreter is checked, not after it", async () => {
    const { root, marker } = project();
    mkdirSync(join(root, ".venv", "bin"), { recursive: true });
    const checks = slowCheckInterpreter(join(root, ".venv", "bin", "python"), marker);
    const r = await runCli(["run", root, "--no-llm", "--json", "--quiet", "--db", join(dirname(root), "rg.db")]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "passed", testRuns: { full: 1, affected: 0, targeted: 0 } });
    // Every check saw the test run: none held the first run back.
    expect(checks()).toContain("saw");
    expect(checks()).not.toContain("missed");
  }, 60_000);

  it("a --python file that does not run is still python_missing, its check going on beside the first run", async () => {
    const { root } = project();
    const python = join(dirname(root), "broken-python");
    writeFileSync(python, "#!/bin/sh\necho 'no interpreter here' >&2\nexit 3\n");
    chmodSync(python, 0o755);
    const r = await runCli(["run", root, "--no-llm", "--json", "--python", python, "--db", join(root, "rg.db")]);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: "python_missing" });
    expect(JSON.parse(r.stdout).error).toMatch(/broken-python does not run: it exited with code 3 \(no interpreter here\)/);
  }, 60_000);
});
