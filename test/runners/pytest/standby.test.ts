// The pytest adapter's standby on real pytest: a run after the first goes through the process the run before left, which
// looks to the tests exactly like a fresh `python -m pytest`, sees the code as it is now, and steps aside (the run then
// starts afresh) whenever something it loaded could load differently: a new importable name in the project, a changed
// plugin file, a different environment.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/test-run.js";
import { createPytestAdapter, type PytestAdapter, type PytestAdapterOptions } from "../../../src/runners/pytest/adapter.js";
import { startStandbyAhead } from "../../../src/runners/standby-ahead.js";
import { pidsWhere } from "../../helpers/processes.js";
import { copyProject } from "../../helpers/project-copy.js";
import { fixturePath, testPython } from "../../helpers/python-env.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Probe {
  argv0: string;
  orig_argv: string[];
  main_names: string[];
  main: string | null;
  path0: string;
  stdin: string;
  env: string[];
  probe: string | null;
  plugin: string | null;
  asyncio: boolean;
  faulthandler: boolean;
  site: string | null;
  /** True when the run's textwrap is the project's own textwrap.py. */
  textwrap: boolean;
}

/** A fresh copy of standby-probe and its adapter; the probe file its first test appends to lies beside the copy. */
async function project(
  options: Omit<PytestAdapterOptions, "projectRoot"> = {},
): Promise<{ root: string; adapter: PytestAdapter; probes: () => Probe[] }> {
  const copy = copyProject(fixturePath("runners", "standby-probe"));
  cleanups.push(copy.cleanup);
  const adapter = (await createPytestAdapter({ projectRoot: copy.root, python: testPython, standby: true, ...options })) as PytestAdapter;
  cleanups.push(() => adapter.close());
  const file = join(dirname(copy.root), "standby-probe.jsonl");
  const probes = (): Probe[] =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as Probe)
      : [];
  return { root: copy.root, adapter, probes };
}

/** The pids of standby Python processes (`python -m redgreen_standby`, not their supervisors) working in `root`, from /proc. */
const standbysIn = (root: string): number[] =>
  pidsWhere((argv, cwd) => argv[1] === "-m" && argv[2] === "redgreen_standby" && cwd() === root);

/** Waits until the standby in `root` has loaded and blocks reading its order (read(2) on fd 0, from /proc). */
async function standbyReady(root: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const ready = standbysIn(root).some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/syscall`, "utf8").startsWith("0 0x0 ");
      } catch {
        return false;
      }
    });
    if (ready) return;
    if (Date.now() > end) throw new Error(`no standby in ${root} got ready`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Two runs of a project with a folder outside it on PYTHONPATH, where `name` holds `content("v1")` for the first run and
 * `content("v2-longer")` (another size, so no check hangs on the file system's time resolution) once its standby waits.
 */
async function changedBetweenRuns(
  name: string,
  content: (version: string) => string,
  setUp: (dir: string) => void,
): Promise<{ adapter: PytestAdapter; probes: () => Probe[] }> {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-standby-site-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  setUp(dir);
  writeFileSync(join(dir, name), content("v1"));
  const { root, adapter, probes } = await project({ env: { PYTHONPATH: dir } });
  await adapter.runTests();
  await standbyReady(root);
  writeFileSync(join(dir, name), content("v2-longer"));
  await adapter.runTests();
  return { adapter, probes };
}

/** A module of the standard library, its real code run in the file that shadows it; `extra` runs before it. */
const shadowOf = (extra: string): string =>
  [
    "import importlib.util, os, sys",
    extra,
    "_spec = importlib.util.spec_from_file_location(__name__, os.path.join(os.path.dirname(os.__file__), __name__ + '.py'))",
    "_real = importlib.util.module_from_spec(_spec)",
    "_spec.loader.exec_module(_real)",
    "globals().update({k: v for k, v in vars(_real).items() if not k.startswith('__')})",
    "",
  ].join("\n");

/**
 * Two runs of a project with a folder outside it on PYTHONPATH (`setUp` fills it), `during` called while the second
 * run's standby loads pytest: its pytest imports textwrap, then argparse, where an argparse in that folder holds it.
 */
async function whileLoading(
  setUp: (dir: string) => void,
  during: (root: string, dir: string) => void,
): Promise<{ root: string; adapter: PytestAdapter; probes: () => Probe[] }> {
  const dir = mkdtempSync(join(tmpdir(), "redgreen-standby-slow-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, "loading");
  writeFileSync(
    join(dir, "argparse.py"),
    shadowOf(`open(${JSON.stringify(marker)}, "a").write(f"{os.getpid()}\\n"); import time; time.sleep(1.5)`),
  );
  setUp(dir);
  const { root, adapter, probes } = await project({ env: { PYTHONPATH: dir } });
  await adapter.runTests();
  const end = Date.now() + 30_000;
  const holding = (): boolean =>
    existsSync(marker) && standbysIn(root).some((pid) => readFileSync(marker, "utf8").split("\n").includes(String(pid)));
  while (!holding()) {
    if (Date.now() > end) throw new Error("the standby did not reach argparse");
    await new Promise((r) => setTimeout(r, 10));
  }
  during(root, dir);
  await adapter.runTests();
  return { root, adapter, probes };
}

/** "passed" or "failed" for the test whose node id ends with `name`. */
const status = (r: TestRunResult, name: string): string | undefined =>
  r.passedNodeIds.some((id) => id.endsWith(name)) ? "passed" : r.failures.some((f) => f.testName.endsWith(name)) ? "failed" : undefined;

describe("the pytest standby", () => {
  it("runs the next run, which looks like a fresh `python -m pytest` and sees the code as it is now", async () => {
    // Without capture the tests see the process's own stdin.
    const { root, adapter, probes } = await project({ pytestArgs: ["--capture=no"] });
    const first = await adapter.runTests({ testTimeoutSeconds: 30 });
    expect(status(first, "test_answer")).toBe("failed");
    // The fix, written as the workflow writes one.
    const core = join(root, "app", "core.py");
    writeFileSync(core, "def answer():\n    return 42\n");
    adapter.invalidateCaches([core]);
    // A per-run setting differs (the timeout): the standby takes it.
    const second = await adapter.runTests({ testTimeoutSeconds: 45 });
    expect(status(second, "test_answer")).toBe("passed");
    expect(second.status).toBe("passed");
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    const [fresh, standby] = probes();
    expect(fresh!.argv0).toMatch(/pytest[/\\]__main__\.py$/);
    expect(fresh!.main).toBe("pytest.__main__");
    expect(fresh!.stdin).toBe("/dev/null");
    expect(fresh!.orig_argv.slice(1, 5)).toEqual(["-m", "pytest", "-p", "redgreen_pytest_plugin"]);
    expect(fresh!.main_names).toContain("pytest");
    expect(standby).toEqual(fresh);
    // The second run, of the whole suite and green, left none (a workflow ends there)...
    await new Promise((r) => setTimeout(r, 500));
    expect(standbysIn(root)).toEqual([]);
    // ...a run of given tests leaves one (a full run follows it), and close() stops it.
    const third = await adapter.runTests({ files: ["tests/test_core.py"] });
    expect(third.status).toBe("passed");
    await standbyReady(root);
    adapter.close();
    const end = Date.now() + 10_000;
    while (standbysIn(root).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(standbysIn(root)).toEqual([]);
  });

  it("steps aside when a name that could shadow a loaded module appears in the project", async () => {
    const { root, adapter } = await project();
    await adapter.runTests();
    await standbyReady(root);
    writeFileSync(join(root, "helpers.py"), "VALUE = 1\n");
    const second = await adapter.runTests();
    expect(second.total).toBe(2);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toMatch(/importable names in .* changed/);
  });

  it("steps aside when the environment changed, and the run sees the new one", async () => {
    const { adapter, probes } = await project();
    const before = process.env.STANDBY_PROBE;
    cleanups.push(() => (before === undefined ? delete process.env.STANDBY_PROBE : (process.env.STANDBY_PROBE = before)));
    process.env.STANDBY_PROBE = "one";
    await adapter.runTests();
    process.env.STANDBY_PROBE = "two";
    await adapter.runTests();
    expect(probes().map((p) => p.probe)).toEqual(["one", "two"]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toBe("the environment differs in STANDBY_PROBE");
  });

  it("runs the next run with an installed plugin as it is now: pytest imports it after the order, not the standby", async () => {
    // An installed pytest11 plugin on PYTHONPATH, outside the project.
    const plugin = (version: string): string =>
      `import os\n\n\ndef pytest_configure(config):\n    os.environ["STANDBY_PLUGIN_SAW"] = "${version}"\n`;
    const { adapter, probes } = await changedBetweenRuns("fakeplug.py", plugin, (dir) => {
      mkdirSync(join(dir, "fakeplug-0.1.dist-info"));
      writeFileSync(join(dir, "fakeplug-0.1.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: fakeplug\nVersion: 0.1\n");
      writeFileSync(join(dir, "fakeplug-0.1.dist-info", "entry_points.txt"), "[pytest11]\nfakeplug = fakeplug\n");
    });
    expect(probes().map((p) => p.plugin)).toEqual(["v1", "v2-longer"]);
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
  });

  it("steps aside when a file it loaded changed (a sitecustomize on PYTHONPATH), and the run loads the new one", async () => {
    const site = (version: string): string => `import sys\n\nsys.standby_site = "${version}"\n`;
    const { adapter, probes } = await changedBetweenRuns("sitecustomize.py", site, () => undefined);
    expect(probes().map((p) => p.site)).toEqual(["v1", "v2-longer"]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toMatch(/sitecustomize\.py changed since it was loaded/);
  });

  it("steps aside when a name appears in the project while it loads pytest (a fix written right after a run)", async () => {
    const { root, adapter, probes } = await whileLoading(
      () => undefined,
      // textwrap is loaded: a fresh run would now import the project's.
      (root) => writeFileSync(join(root, "textwrap.py"), shadowOf("STANDBY_SHADOW = True")),
    );
    expect(probes().map((p) => p.textwrap)).toEqual([false, true]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toBe(`the importable names in ${root} changed`);
  });

  it("steps aside when a file it loaded is written while it loads pytest, after its import", async () => {
    const site = (version: string): string => `import sys\n\nsys.standby_site = "${version}"\n`;
    const { adapter, probes } = await whileLoading(
      (dir) => writeFileSync(join(dir, "sitecustomize.py"), site("v1")),
      (_root, dir) => writeFileSync(join(dir, "sitecustomize.py"), site("v2-longer")),
    );
    expect(probes().map((p) => p.site)).toEqual(["v1", "v2-longer"]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toMatch(/sitecustomize\.py changed while it loaded$/);
  });

  it("steps aside when a .pth file appears or changes in the site-packages of the project's own venv", async () => {
    // The project's .venv (the interpreter redgreen picks by default), its packages the test venv's through a .pth file.
    const copy = copyProject(fixturePath("runners", "standby-probe"));
    cleanups.push(copy.cleanup);
    const base = execFileSync(testPython, ["-c", "import sys; print(sys.base_prefix)"], { encoding: "utf8" }).trim();
    execFileSync(join(base, "bin", "python3"), ["-m", "venv", "--without-pip", join(copy.root, ".venv")]);
    const sitePackages = (python: string): string =>
      execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], { encoding: "utf8" }).trim();
    const python = join(copy.root, ".venv", "bin", "python");
    const site = sitePackages(python);
    writeFileSync(join(site, "testvenv.pth"), `${sitePackages(testPython)}\n`);
    const adapter = (await createPytestAdapter({ projectRoot: copy.root, python, standby: true })) as PytestAdapter;
    cleanups.push(() => adapter.close());
    await adapter.runTests();
    await standbyReady(copy.root);
    // Python runs a .pth file's import lines at start-up, whatever its name.
    writeFileSync(join(site, "zz-probe.pth"), 'import sys; sys.standby_site = "pth"\n');
    await adapter.runTests();
    await standbyReady(copy.root);
    writeFileSync(join(site, "zz-probe.pth"), 'import sys; sys.standby_site = "pth-2"\n');
    await adapter.runTests();
    const file = join(dirname(copy.root), "standby-probe.jsonl");
    const sites = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as Probe).site);
    expect(sites).toEqual([null, "pth", "pth-2"]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 2, fresh: 3 });
    expect(adapter.standbys.lastRefusal).toMatch(/zz-probe\.pth changed since it was loaded$/);
  });

  it("runs a run whose arguments block an installed plugin, which neither it nor a fresh run imports", async () => {
    const { adapter, probes } = await project({ pytestArgs: ["-p", "no:asyncio"] });
    await adapter.runTests();
    await adapter.runTests();
    expect(probes().map((p) => p.asyncio)).toEqual([false, false]);
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
  });

  it("steps aside when the run's arguments block a builtin plugin it loaded, which a fresh run never imports", async () => {
    const { adapter, probes } = await project({ pytestArgs: ["-p", "no:faulthandler"] });
    await adapter.runTests();
    await adapter.runTests();
    expect(probes().map((p) => p.faulthandler)).toEqual([false, false]);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 1, fresh: 2 });
    expect(adapter.standbys.lastRefusal).toBe("the arguments block a plugin it loaded");
  });

  it("runs the next run as a fresh one under `filterwarnings = error`: no plugin imported before pytest can rewrite it", async () => {
    // pytest marks the pytest11 plugins for assertion rewriting before it imports them, and warns (here: fails) for
    // one already imported: the standby must leave their import to pytest.
    const { root, adapter, probes } = await project();
    writeFileSync(join(root, "pytest.ini"), "[pytest]\ntestpaths = tests\nfilterwarnings =\n    error\n");
    const first = await adapter.runTests();
    const second = await adapter.runTests();
    expect(first.status).toBe("failed");
    expect(first.total).toBe(2);
    expect(second.status).toBe(first.status);
    expect(second.total).toBe(2);
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    const [fresh, standby] = probes();
    expect(standby).toEqual(fresh);
  });

  it("runs the next run under the C locale too, which Python coerces in its own environment (LC_CTYPE)", async () => {
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE };
    cleanups.push(() => {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    });
    for (const k of Object.keys(saved)) delete process.env[k];
    const { adapter, probes } = await project();
    await adapter.runTests();
    await adapter.runTests();
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 1 });
    const [fresh, standby] = probes();
    expect(fresh!.env).toContain("LC_CTYPE");
    expect(standby).toEqual(fresh);
  });

  // Fails until no standby starts in a project that holds a module of the standby's name.
  it("is not started in a project whose root holds a redgreen_standby module (it would run in the standby's place)", async () => {
    const copy = copyProject(fixturePath("runners", "standby-probe"));
    cleanups.push(copy.cleanup);
    const marker = join(dirname(copy.root), "impostor-ran");
    writeFileSync(join(copy.root, "redgreen_standby.py"), `open(${JSON.stringify(marker)}, "w").write("ran")\n`);
    await startStandbyAhead({ projectRoot: copy.root, python: testPython });
    const adapter = (await createPytestAdapter({ projectRoot: copy.root, python: testPython, standby: true })) as PytestAdapter;
    cleanups.push(() => adapter.close());
    await adapter.runTests();
    await adapter.runTests();
    await new Promise((r) => setTimeout(r, 1000));
    expect(existsSync(marker)).toBe(false);
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 0, fresh: 2 });
  });

  it("is started ahead by `redgreen run` for its project's first run, which takes it", async () => {
    const copy = copyProject(fixturePath("runners", "standby-probe"));
    cleanups.push(copy.cleanup);
    await startStandbyAhead({ projectRoot: copy.root, python: testPython });
    await standbyReady(copy.root);
    const adapter = (await createPytestAdapter({ projectRoot: copy.root, python: testPython, standby: true })) as PytestAdapter;
    cleanups.push(() => adapter.close());
    const first = await adapter.runTests();
    expect(first.total).toBe(2);
    expect(adapter.standbys.counts).toEqual({ standby: 1, refused: 0, fresh: 0 });
  });

  it("is not started ahead for a project whose runner is not pytest, or whose interpreter is not known yet", async () => {
    const copy = copyProject(fixturePath("runners", "standby-probe"));
    cleanups.push(copy.cleanup);
    await startStandbyAhead({ projectRoot: copy.root, python: testPython, runner: "vitest" });
    await startStandbyAhead({ projectRoot: copy.root, python: "python3" });
    expect(standbysIn(copy.root)).toEqual([]);
  });

  it("is not started unless the adapter is told to (createRunnerAdapter does, but not for `redgreen test`'s one run)", async () => {
    const copy = copyProject(fixturePath("runners", "standby-probe"));
    cleanups.push(copy.cleanup);
    const adapter = (await createPytestAdapter({ projectRoot: copy.root, python: testPython })) as PytestAdapter;
    await adapter.runTests();
    expect(standbysIn(copy.root)).toEqual([]);
    await adapter.runTests();
    expect(adapter.standbys.counts).toEqual({ standby: 0, refused: 0, fresh: 2 });
  });
});
