// The runner-args allow-list and how the args are placed on a run; the JS runners' own command lines keep their workers.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jestArgs } from "../../src/runners/jest/adapter.js";
import type { JsRunArgs } from "../../src/runners/js/js-adapter.js";
import { checkRunnerArgs, filtersTests, runnerArgsForRun, runnerArgsNote } from "../../src/runners/runner-args.js";
import { vitestArgs } from "../../src/runners/vitest/adapter.js";

const base = mkdtempSync(join(tmpdir(), "redgreen-runner-args-"));
const root = join(base, "project");
mkdirSync(join(root, "tests"), { recursive: true });
symlinkSync(tmpdir(), join(root, "tests", "escape"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("checkRunnerArgs", () => {
  it("passes what the allow-list names, spelt every way the runner reads it", () => {
    const pytest = [
      "-k",
      "smoke",
      "-msmoke",
      "-n",
      "auto",
      "-n4",
      "--numprocesses=2",
      "--dist=loadfile",
      "--deselect",
      "tests/t.py::a",
      "--ignore=tests/slow",
    ];
    const more = ["-W", "error", "--runxfail", "--strict-markers", "--import-mode=importlib", "tests/t.py::b"];
    expect(checkRunnerArgs("pytest", [...pytest, ...more], root)).toEqual([...pytest, ...more]);
    const vitest = ["-t", "cart", "--project=web", "--pool", "forks", "--maxWorkers=50%", "src/cart"];
    expect(checkRunnerArgs("vitest", vitest, root)).toEqual(vitest);
    const jest = ["-t", "cart", "--testPathPatterns", "cart", "--selectProjects", "web", "-w", "2", "-i", "cart"];
    expect(checkRunnerArgs("jest", jest, root)).toEqual(jest);
  });

  it.each([
    ["pytest", ["tests/escape/x.py"], /refusing to run "tests\/escape\/x\.py": .*outside|leaves/],
    ["pytest", ["--ignore-glob", "../**"], /leaves the project root/],
    ["pytest", ["-k"], /'-k' is refused: the option needs a value/],
    ["pytest", ["--runxfail=1"], /'--runxfail=1' is refused: the option takes no value/],
    ["pytest", ["--", "-k", "x"], /'--' is refused/],
    ["pytest", ["-vx"], /'-v' is refused: it is not among the pytest options/],
    ["pytest", ["-t", "x"], /'-t' is refused/],
    ["vitest", ["-k", "x"], /'-k' is refused/],
    ["jest", ["--testPathPattern"], /the option needs a value/],
    ["jest", ["-", "x"], /a test path cannot start with '-'/],
  ] as const)("%s %j is refused", (runner, args, message) => {
    expect(() => checkRunnerArgs(runner, args, root)).toThrow(message);
  });
});

describe("runnerArgsForRun", () => {
  const args = ["-k", "smoke", "tests/smoke", "-n", "2"];
  it("puts every arg on a whole-suite run, and leaves file filters off a run that names its own tests", () => {
    expect(runnerArgsForRun("pytest", args, { files: false, names: false }, root)).toEqual(args);
    expect(runnerArgsForRun("pytest", args, { files: true, names: false }, root)).toEqual(["-k", "smoke", "-n", "2"]);
    const js = ["-t", "cart", "--testPathPattern", "cart", "-w", "2", "src"];
    expect(runnerArgsForRun("jest", js, { files: true, names: true }, root)).toEqual(["-w", "2"]);
    expect(runnerArgsForRun("jest", js, { files: true, names: false }, root)).toEqual(["-t", "cart", "-w", "2"]);
    expect(runnerArgsForRun("vitest", undefined, { files: false, names: false }, root)).toEqual([]);
  });

  it("says when a green covers only the selected tests", () => {
    expect(filtersTests(["-n", "auto", "--maxWorkers=2", "-i", "-n4"])).toBe(false);
    expect(filtersTests(["-n", "auto", "-k", "smoke"])).toBe(true);
    expect(filtersTests(["tests/smoke"])).toBe(true);
    expect(runnerArgsNote(["-k", "smoke"])).toBe("tests selected with: -k smoke");
    expect(runnerArgsNote(["-n", "2"])).toBe("runner args: -n 2");
    expect(runnerArgsNote([])).toBeNull();
  });
});

describe("the JS runners keep their own worker pools", () => {
  const run: JsRunArgs = {
    files: [],
    folders: [],
    related: [],
    namePattern: null,
    reportFile: "/r.json",
    reporter: "/rep.mjs",
    testTimeoutMs: null,
    coverageDir: "/cov",
  };
  const SINGLE =
    /^(--runInBand|-i|--no-file-parallelism|--fileParallelism=false|--maxWorkers=1|-w=?1|--poolOptions\..*single.*|--pool=forks)$/;
  it.each([
    ["a whole run", run],
    ["a targeted run", { ...run, files: ["/p/tests/a.test.ts"], namePattern: "^cart totals$", coverageDir: null }],
    ["a folder run", { ...run, files: ["/p/tests"], folders: ["/p/tests"] }],
  ])("%s: no option that forces one worker", (_label, p) => {
    expect(vitestArgs("/p", p).filter((a) => SINGLE.test(a))).toEqual([]);
    expect(jestArgs(p).filter((a) => SINGLE.test(a))).toEqual([]);
  });
});
