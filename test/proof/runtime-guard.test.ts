// The guard on what runs load from outside the project: a test run that patches an installed package (pytest's import
// path, a JS dependency) or drops a .pth file beside one makes redgreen stop; an honest run does not.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import { packageRoot } from "../../src/paths.js";
import { guardAdapter } from "../../src/proof/guard.js";
import { CLOCK_SLACK_MS, listRuntime, runtimeChanges } from "../../src/proof/runtime-files.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { createVitestAdapter } from "../../src/runners/vitest/adapter.js";
import { testPython } from "../helpers/python-env.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A temp folder with `files` written in it. */
function folder(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "redgreen-runtime-")));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** The fault a guarded run raised, or null when it returned. */
async function faultOf(run: Promise<unknown>): Promise<RedgreenError | null> {
  try {
    await run;
    return null;
  } catch (e) {
    if (e instanceof RedgreenError) return e;
    throw e;
  }
}

describe("runtime changes", () => {
  it("are the files written, made or removed and the folder entries made since a run started, not new bytecode", async () => {
    const dir = folder({ "pkg/mod.py": "X = 1\n", "pkg/other.py": "Y = 2\n", "pkg/gone.py": "Z = 3\n" });
    rmSync(join(dir, "pkg/gone.py"));
    const listing = listRuntime(["pkg", "pkg/mod.py", "pkg/other.py", "pkg/gone.py", "pkg/never.pyc"].map((rel) => join(dir, rel)));
    expect([...listing.values()].map((ctime) => ctime !== null)).toEqual([true, true, true, false, false]);
    await new Promise((r) => setTimeout(r, 200)); // file times lag the clock by up to a tick: the run starts after
    const started = Date.now() - CLOCK_SLACK_MS; // as the guard asks after a check: the clock lags a tick
    mkdirSync(join(dir, "pkg", "__pycache__"));
    expect(runtimeChanges(listing, started)).toEqual([]);
    writeFileSync(join(dir, "pkg/mod.py"), "X = 1\n"); // the same bytes, written again: its ctime moved
    writeFileSync(join(dir, "pkg/new.pth"), "import os\n");
    writeFileSync(join(dir, "pkg/never.pyc"), "bytecode where there was none");
    rmSync(join(dir, "pkg/other.py"));
    expect(runtimeChanges(listing, started)).toEqual([
      { path: join(dir, "pkg/mod.py"), change: "modified" },
      { path: join(dir, "pkg/never.pyc"), change: "created" },
      { path: join(dir, "pkg/new.pth"), change: "created" },
      { path: join(dir, "pkg/other.py"), change: "deleted" },
    ]);
  });

  it("leave out, for a first run, what the listing saw (made just before the run, stamped at its start)", async () => {
    const dir = folder({});
    const started = Date.now();
    writeFileSync(join(dir, "installed.js"), "1\n"); // the coarse clock may stamp it at `started`
    const listing = listRuntime([dir, join(dir, "installed.js")]);
    expect(runtimeChanges(listing, started, { sinceListed: true })).toEqual([]);
    await new Promise((r) => setTimeout(r, 30)); // a clock tick later, the run writes
    writeFileSync(join(dir, "installed.js"), "2\n");
    writeFileSync(join(dir, "later.js"), "3\n");
    expect(runtimeChanges(listing, started, { sinceListed: true })).toEqual([
      { path: join(dir, "installed.js"), change: "modified" },
      { path: join(dir, "later.js"), change: "created" },
    ]);
  });

  it("see a link led elsewhere", async () => {
    const dir = folder({ "a.js": "1\n", "b.js": "2\n" });
    symlinkSync(join(dir, "a.js"), join(dir, "bin"));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now() - CLOCK_SLACK_MS; // as the guard asks after a check: the clock lags a tick
    const listing = listRuntime([join(dir, "bin")]);
    expect(runtimeChanges(listing, started)).toEqual([]);
    rmSync(join(dir, "bin"));
    symlinkSync(join(dir, "b.js"), join(dir, "bin"));
    expect(runtimeChanges(listing, started)).toEqual([{ path: join(dir, "bin"), change: "modified" }]);
  });
});

describe("a run that changes what later runs load", () => {
  /** A pytest project whose test, once `arm.txt` says how, changes helperlib (on PYTHONPATH, outside the project). */
  async function pytestProject(): Promise<{ root: string; site: string; arm: (how: string) => void; run: () => Promise<unknown> }> {
    const site = folder({ "helperlib.py": "def double(x):\n    return x * 2\n" });
    const root = folder({
      "pytest.ini": "[pytest]\n",
      "app/__init__.py": "",
      "app/core.py": "FACTOR = 2\n",
      "tests/test_lib.py":
        "import pathlib\n\nimport helperlib\n\nfrom app.core import FACTOR\n\n\ndef test_double():\n" +
        "    assert FACTOR == 2\n" +
        '    arm = pathlib.Path(__file__).parent.parent / "arm.txt"\n' +
        "    target = pathlib.Path(helperlib.__file__)\n" +
        '    how = arm.read_text() if arm.exists() else ""\n' +
        '    if how == "patch":\n        target.write_text("def double(x):\\n    return 4\\n")\n' +
        '    if how == "pth":\n        (target.parent / "zz_evil.pth").write_text("import os\\n")\n' +
        '    if how == "pyc":\n        from _pytest.assertion import rewrite\n\n' +
        "        me = pathlib.Path(__file__)\n" +
        "        pyc = rewrite.get_cache_dir(me) / (me.name[:-3] + rewrite.PYC_TAIL)\n" +
        "        pyc.write_bytes(pyc.read_bytes())\n" +
        "    assert helperlib.double(2) == 4\n",
    });
    const adapter = guardAdapter(
      // Bytecode written, whatever this machine's environment says: it is one of the things a run could change.
      await createPytestAdapter({
        projectRoot: root,
        python: testPython,
        env: { PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "" },
        standby: false,
      }),
    );
    return { root, site, arm: (how) => writeFileSync(join(root, "arm.txt"), how), run: () => adapter.runTests() };
  }

  it("stops when a pytest run patches a module the runs import from outside the project", async () => {
    const p = await pytestProject();
    expect(await faultOf(p.run())).toBeNull();
    // An honest run changes nothing there, though a project module it imports changed before it (a fix: its bytecode,
    // in redgreen's own folder, is dropped and compiled again).
    writeFileSync(join(p.root, "app", "core.py"), "FACTOR = 2  # fixed\n");
    expect(await faultOf(p.run())).toBeNull();
    p.arm("patch");
    const fault = await faultOf(p.run());
    expect(fault?.code).toBe("runner_failed");
    expect(fault?.message).toContain(`${join(p.site, "helperlib.py")} modified`);
    expect(fault?.message).toMatch(
      /^the test run \(or a process it left running\) changed .* redgreen stops, no later run could be trusted/,
    );
  });

  it("stops when a pytest run drops a .pth file into an import path folder (it would run at every start-up)", async () => {
    const p = await pytestProject();
    expect(await faultOf(p.run())).toBeNull();
    p.arm("pth");
    const fault = await faultOf(p.run());
    expect(fault?.code).toBe("runner_failed");
    expect(fault?.message).toContain(`${join(p.site, "zz_evil.pth")} created`);
  });

  it("stops when a pytest run rewrites the cached bytecode of a test module (pytest loads its assertions from it)", async () => {
    const p = await pytestProject();
    expect(await faultOf(p.run())).toBeNull();
    p.arm("pyc");
    const fault = await faultOf(p.run());
    expect(fault?.code).toBe("runner_failed");
    expect(fault?.message).toMatch(/test_lib\.cpython-\d+-pytest-[\d.]+\.pyc modified/);
  });

  it("does not count modules a test writes and imports in pytest's temporary folders (which later runs delete)", async () => {
    const root = folder({
      "pytest.ini": "[pytest]\n",
      "tests/test_gen.py":
        "import importlib\nimport sys\n\n\ndef test_generated(tmp_path):\n" +
        '    (tmp_path / "generated_mod.py").write_text("VALUE = 7\\n")\n' +
        "    sys.path.insert(0, str(tmp_path))\n" +
        '    sys.modules.pop("generated_mod", None)\n' +
        '    assert importlib.import_module("generated_mod").VALUE == 7\n',
    });
    const adapter = guardAdapter(await createPytestAdapter({ projectRoot: root, python: testPython, standby: false }));
    // pytest keeps the last three runs' folders: the fourth run deletes the first's.
    for (let run = 1; run <= 4; run++) expect(await faultOf(adapter.runTests())).toBeNull();
    expect(adapter.runtimeFiles?.().some((p) => p.includes("generated_mod"))).toBe(false);
    expect(adapter.runtimeFiles?.().some((p) => /[/\\]_pytest[/\\]runner\.py$/.test(p))).toBe(true);
  });

  /** A pytest project whose one test runs `body` (HOW holds arm.txt's text) with helperlib on PYTHONPATH. */
  async function hostile(body: string, site: Record<string, string> = {}, env: Record<string, string> = {}) {
    const lib = folder({ "helperlib.py": "def double(x):\n    return x * 2\n", ...site });
    const root = folder({
      "pytest.ini": "[pytest]\n",
      "tests/test_lib.py":
        'import pathlib\nimport subprocess\nimport sys\n\nimport helperlib\n\nARM = pathlib.Path(__file__).parent.parent / "arm.txt"\n' +
        'HOW = ARM.read_text() if ARM.exists() else ""\n\n\ndef test_double():\n' +
        body +
        "    assert helperlib.double(2) == 4\n",
    });
    const adapter = guardAdapter(
      await createPytestAdapter({ projectRoot: root, python: testPython, env: { PYTHONPATH: lib, ...env }, standby: false }),
    );
    await new Promise((r) => setTimeout(r, 200));
    return { lib, adapter, arm: (how: string) => writeFileSync(join(root, "arm.txt"), how) };
  }

  it("stops at the next run when a process a run left behind (own session, no environment) patches a module later", async () => {
    const daemon = "import time\ntime.sleep(2)\nopen(%r, 'w').write('def double(x):\\n    return 5\\n')\n";
    const p = await hostile(
      "    if HOW == 'daemon':\n" +
        `        code = ${JSON.stringify(daemon)} % helperlib.__file__\n` +
        "        subprocess.Popen([sys.executable, '-c', code], env={}, start_new_session=True,\n" +
        "                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n",
    );
    expect(await faultOf(p.adapter.runTests())).toBeNull();
    p.arm("daemon");
    expect(await faultOf(p.adapter.runTests())).toBeNull(); // nothing changed yet when this run ended
    await new Promise((r) => setTimeout(r, 3000));
    const fault = await faultOf(p.adapter.runTests());
    expect(fault?.message).toContain(`changed since the last run ended (${join(p.lib, "helperlib.py")} modified), by a process a run`);
  }, 60_000);

  it("stops when a pytest run makes an installed distribution name a pytest11 plugin", async () => {
    const p = await hostile(
      "    if HOW == 'plug':\n        site = pathlib.Path(helperlib.__file__).parent\n" +
        "        (site / 'fakepkg-1.0.dist-info' / 'entry_points.txt').write_text('[pytest11]\\nfake = quietpkg.plug\\n')\n",
      { "fakepkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.0\n", "quietpkg/__init__.py": "" },
    );
    expect(await faultOf(p.adapter.runTests())).toBeNull();
    p.arm("plug");
    const fault = await faultOf(p.adapter.runTests());
    expect(fault?.message).toContain(`${join(p.lib, "fakepkg-1.0.dist-info", "entry_points.txt")} created`);
  });

  it("stops when a pytest run writes bytecode for a module that had none (bytecode writing off)", async () => {
    const writer =
      "import importlib.util, marshal, os, sys, helperlib\nsrc = helperlib.__file__\n" +
      "code = compile('def double(x):\\n    return 5\\n', src, 'exec')\n" +
      "cached = os.path.join(os.path.dirname(src), '__pycache__', 'helperlib.' + sys.implementation.cache_tag + '.pyc')\n" +
      "os.makedirs(os.path.dirname(cached), exist_ok=True)\nst = os.stat(src)\n" +
      "data = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, 'little') + (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, 'little')" +
      " + (st.st_size & 0xFFFFFFFF).to_bytes(4, 'little') + marshal.dumps(code)\nopen(cached, 'wb').write(data)\n";
    const p = await hostile(`    if HOW == 'pyc':\n        exec(${JSON.stringify(writer)}, {})\n`, {}, { PYTHONDONTWRITEBYTECODE: "1" });
    expect(await faultOf(p.adapter.runTests())).toBeNull();
    p.arm("pyc");
    const fault = await faultOf(p.adapter.runTests());
    expect(fault?.message).toMatch(/helperlib\.cpython-\d+\.pyc created/);
  });

  it("stops when a vitest run makes a package in the project's node_modules that shadows a hoisted one", async () => {
    const outer = folder({
      "node_modules/leftish/package.json": JSON.stringify({ name: "leftish", version: "1.0.0", type: "module", main: "index.js" }),
      "node_modules/leftish/index.js": "export const double = (x) => x * 2;\n",
      "app/package.json": JSON.stringify({
        name: "app",
        private: true,
        type: "module",
        devDependencies: { vitest: "*", leftish: "1.0.0" },
      }),
      "app/tests/lib.test.js":
        'import { existsSync, mkdirSync, writeFileSync } from "node:fs";\nimport { join } from "node:path";\n' +
        'import { expect, test } from "vitest";\nimport { double } from "leftish";\n\n' +
        'test("double", () => {\n  if (existsSync(join(process.cwd(), "arm.txt"))) {\n' +
        '    const d = join(process.cwd(), "node_modules/leftish");\n    mkdirSync(d, { recursive: true });\n' +
        '    writeFileSync(join(d, "package.json"), JSON.stringify({ name: "leftish", type: "module", main: "index.js" }));\n' +
        '    writeFileSync(join(d, "index.js"), "export const double = () => 4;\\n");\n  }\n' +
        "  expect(double(2)).toBe(4);\n});\n",
    });
    const root = join(outer, "app");
    mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(packageRoot, "node_modules", "vitest"), join(root, "node_modules", "vitest"), "dir");
    symlinkSync("../vitest/vitest.mjs", join(root, "node_modules", ".bin", "vitest"));
    const adapter = guardAdapter(await createVitestAdapter({ projectRoot: root }));
    await new Promise((r) => setTimeout(r, 200));
    expect(await faultOf(adapter.runTests())).toBeNull();
    writeFileSync(join(root, "arm.txt"), "x");
    const fault = await faultOf(adapter.runTests());
    expect(fault?.message).toContain(`${join("node_modules", "leftish")} created`);
  }, 60_000);

  it("stops when a vitest run patches an installed package the tests import", async () => {
    const root = folder({
      "package.json": JSON.stringify({ name: "app", private: true, type: "module", devDependencies: { vitest: "*", leftish: "1.0.0" } }),
      "node_modules/leftish/package.json": JSON.stringify({ name: "leftish", version: "1.0.0", type: "module", main: "index.js" }),
      "node_modules/leftish/index.js": "export const double = (x) => x * 2;\n",
      "tests/lib.test.js":
        'import { existsSync, writeFileSync } from "node:fs";\nimport { join } from "node:path";\n' +
        'import { expect, test } from "vitest";\nimport { double } from "leftish";\n\n' +
        'test("double", () => {\n  if (existsSync(join(process.cwd(), "arm.txt")))\n' +
        '    writeFileSync(join(process.cwd(), "node_modules/leftish/index.js"), "export const double = () => 4;\\n");\n' +
        "  expect(double(2)).toBe(4);\n});\n",
    });
    // vitest itself is redgreen's own install (read, never written): linked in, as npm would place it.
    symlinkSync(join(packageRoot, "node_modules", "vitest"), join(root, "node_modules", "vitest"), "dir");
    mkdirSync(join(root, "node_modules", ".bin"));
    symlinkSync("../vitest/vitest.mjs", join(root, "node_modules", ".bin", "vitest"));
    const adapter = guardAdapter(await createVitestAdapter({ projectRoot: root }));
    await new Promise((r) => setTimeout(r, 200)); // installed well before the run (file times lag the clock by a tick)
    expect(adapter.runtimeFiles?.()).toContain(join(root, "node_modules", "leftish", "index.js"));
    expect(await faultOf(adapter.runTests())).toBeNull();
    writeFileSync(join(root, "arm.txt"), "patch");
    const fault = await faultOf(adapter.runTests());
    expect(fault?.code).toBe("runner_failed");
    expect(fault?.message).toContain(`${join("node_modules", "leftish", "index.js")} modified`);
  });
});
