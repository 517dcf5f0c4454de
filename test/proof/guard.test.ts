// The guarded runner with real pytest: changes made while tests run are reported and undone; bytecode is never stale.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { guardAdapter } from "../../src/proof/guard.js";
import { createRunnerAdapter } from "../../src/runners/create-adapter.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { withRunnerArgs } from "../../src/runners/runner-args.js";
import { wrapAdapter } from "../../src/runners/wrap-adapter.js";
import { copyProject } from "../helpers/project-copy.js";
import { testPython } from "../helpers/python-env.js";

const fixture = fileURLToPath(new URL("../fixtures/trust/pricing", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function copy(): string {
  const c = copyProject(fixture);
  cleanups.push(c.cleanup);
  return c.root;
}

describe("guarded test runs", () => {
  it("a file restored within the same second, at the same size, never runs from stale bytecode", async () => {
    const root = copy();
    // Bytecode writes on, whatever this machine's environment says (PYTHONDONTWRITEBYTECODE would hide the problem).
    const adapter = guardAdapter(
      await createPytestAdapter({ projectRoot: root, python: testPython, env: { PYTHONDONTWRITEBYTECODE: "" } }),
    );
    const file = join(root, "pricing", "discount.py");
    const buggy = readFileSync(file);
    const fixed = Buffer.from(buggy.toString("utf8").replace('RATE = Decimal("0.8")', 'RATE = Decimal("0.9")'));
    expect(fixed.length).toBe(buggy.length);

    expect((await adapter.runTests()).failed).toBe(3);
    writeFileSync(file, fixed);
    const stamp = statSync(file).mtime;
    expect((await adapter.runTests()).status).toBe("passed");
    // The buggy bytes come back with the fixed version's mtime: Python's own check (mtime + size) cannot tell.
    writeFileSync(file, buggy);
    utimesSync(file, stamp, stamp);
    const again = await adapter.runTests();
    expect(again.failed).toBe(3);
    expect(again.status).toBe("failed");
    // Bytecode never lands in the project.
    expect(existsSync(join(root, "pricing", "__pycache__"))).toBe(false);
  }, 60_000);

  it("the project's own bytecode seeds redgreen's folder only when it predates redgreen's process", async () => {
    // A same-size variant compiled into the project's __pycache__, then the original bytes back with the variant's
    // mtime: the bytecode matches the source by Python's check (mtime + size) but holds the variant (RATE 0.9: passes).
    const staleProject = (pycSeconds: number, mode = "TIMESTAMP"): string => {
      const root = copy();
      const file = join(root, "pricing", "discount.py");
      const original = readFileSync(file);
      writeFileSync(file, original.toString("utf8").replace('RATE = Decimal("0.8")', 'RATE = Decimal("0.9")'));
      const past = new Date(Date.now() - 3600_000);
      utimesSync(file, past, past);
      const compile = "import py_compile as p, sys; print(p.compile(sys.argv[1], invalidation_mode=p.PycInvalidationMode[sys.argv[2]]))";
      const pyc = execFileSync(testPython, ["-c", compile, file, mode], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: "" },
      })
        .toString()
        .trim();
      utimesSync(pyc, pycSeconds, pycSeconds);
      writeFileSync(file, original);
      utimesSync(file, past, past);
      return root;
    };
    const env = { PYTHONDONTWRITEBYTECODE: "" };
    // Written while redgreen ran (a test's subprocess importing the project, say): never used.
    const fresh = await createPytestAdapter({ projectRoot: staleProject(Date.now() / 1000), python: testPython, env });
    expect((await fresh.runTests()).failed).toBe(3);
    // From before redgreen started: used, as Python itself (and so the bare runner) would use it.
    const old = await createPytestAdapter({ projectRoot: staleProject(Date.now() / 1000 - 3600), python: testPython, env });
    expect((await old.runTests()).status).toBe("passed");
    // Bytecode Python never checks against its source (unchecked hash) is never seeded, however old.
    const unchecked = staleProject(Date.now() / 1000 - 3600, "UNCHECKED_HASH");
    const hashed = await createPytestAdapter({ projectRoot: unchecked, python: testPython, env });
    expect((await hashed.runTests()).failed).toBe(3);
  }, 60_000);

  it("a project copied with its __pycache__ reports its own files in failures, not the ones the bytecode was compiled from", async () => {
    const first = copy();
    // The bare runner fails three tests and leaves its bytecode (pytest's rewritten test modules too) in the project.
    const writing = { ...process.env, PYTHONDONTWRITEBYTECODE: "" };
    const bare = spawnSync(testPython, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], { cwd: first, env: writing });
    expect(bare.status).toBe(1);
    const past = new Date(Date.now() - 3600_000);
    for (const dir of ["pricing", "tests", "checks"]) {
      const cache = join(first, dir, "__pycache__");
      for (const name of readdirSync(cache)) utimesSync(join(cache, name), past, past);
    }
    const second = join(copy(), "..", "second");
    cpSync(first, second, { recursive: true, preserveTimestamps: true });
    const adapter = await createPytestAdapter({ projectRoot: second, python: testPython, env: { PYTHONDONTWRITEBYTECODE: "" } });
    const result = await adapter.runTests();
    expect(result.failed).toBe(3);
    for (const failure of result.failures) {
      expect(failure.frames?.find((f) => f.kind === "test")?.file).toBe(failure.testFile);
      expect(failure.stackTrace).not.toContain(first);
    }
  }, 60_000);

  it("only the project's own modules compile into redgreen's folder: the standard library and installed packages keep theirs", async () => {
    const root = copy();
    const site = join(root, ".venv", "lib", "site-packages");
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, "vendored.py"), "VALUE = 1\n");
    writeFileSync(
      join(root, "tests", "test_where.py"),
      [
        "import colorsys",
        "import os",
        "import sys",
        "",
        `sys.path.insert(0, ${JSON.stringify(site)})`,
        "import vendored",
        "from pricing import discount",
        "",
        "",
        "def beside(module):",
        '    return os.path.join(os.path.dirname(module.__file__), "__pycache__")',
        "",
        "",
        "def test_where():",
        "    prefix = sys.pycache_prefix",
        "    assert prefix and discount.__cached__.startswith(prefix)",
        "    assert os.path.dirname(colorsys.__cached__) == beside(colorsys)",
        "    assert os.path.dirname(vendored.__cached__) == beside(vendored)",
        "",
      ].join("\n"),
    );
    const adapter = await createPytestAdapter({ projectRoot: root, python: testPython, env: { PYTHONDONTWRITEBYTECODE: "" } });
    const result = await adapter.runTests({ files: ["tests/test_where.py"] });
    expect(result.failures.map((f) => f.errorMessage)).toEqual([]);
    expect(result.passed).toBe(1);
    expect(existsSync(join(root, "pricing", "__pycache__"))).toBe(false);
    expect(existsSync(join(root, "tests", "__pycache__"))).toBe(false);
  }, 60_000);

  it("reports what a run changed and puts it back: a rewritten test file byte for byte, a created module removed", async () => {
    const root = copy();
    const testFile = join(root, "tests", "test_discount.py");
    const original = readFileSync(testFile);
    mkdirSync(join(root, "tests"), { recursive: true });
    writeFileSync(
      join(root, "tests", "test_meddle.py"),
      [
        "import pathlib",
        "",
        "",
        "def test_meddle():",
        "    here = pathlib.Path(__file__).parent",
        '    target = here / "test_discount.py"',
        '    target.write_text(target.read_text() + "\\n# weakened\\n")',
        '    (here.parent / "pricing" / "sitecustomize.py").write_text("x = 1\\n")',
        "",
      ].join("\n"),
    );
    const adapter = await createRunnerAdapter({ projectRoot: root, runner: "pytest", python: testPython });
    const result = await adapter.runTests({ files: ["tests/test_meddle.py"] });
    expect(result.status).toBe("passed");
    expect(result.tampered).toEqual([
      { file: "pricing/sitecustomize.py", change: "created" },
      { file: "tests/test_discount.py", change: "modified" },
    ]);
    expect(readFileSync(testFile)).toEqual(original);
    expect(existsSync(join(root, "pricing", "sitecustomize.py"))).toBe(false);
    // The runner's own test identity: the collected module and the conftest and config that define the run.
    expect(result.testFiles).toEqual(["pytest.ini", "tests/conftest.py", "tests/test_meddle.py"]);
  }, 60_000);

  it("knows a test file by what pytest collected, whatever its name", async () => {
    const root = copy();
    const adapter = await createRunnerAdapter({ projectRoot: root, runner: "pytest", python: testPython });
    expect(adapter.isTestFile("checks/check_hundred.py")).toBe(false);
    const result = await adapter.runTests();
    expect(result.testFiles).toContain("checks/check_hundred.py");
    expect(adapter.isTestFile("checks/check_hundred.py")).toBe(true);
    // A new file matching the project's python_files is a test file too, before any run collects it.
    expect(adapter.isTestFile("checks/check_new.py")).toBe(true);
    expect(adapter.isTestFile("pricing/labels.py")).toBe(false);
  }, 60_000);

  it("wrappers over a guarded adapter stay guarded (one guard, no second scan), and pass the inner members through", async () => {
    const root = copy();
    const inner = await createPytestAdapter({ projectRoot: root, python: testPython });
    const guarded = guardAdapter(inner);
    const withArgs = withRunnerArgs(guarded, ["-W", "ignore::DeprecationWarning"]);
    const counted = wrapAdapter(withArgs, {});
    for (const wrapper of [withArgs, counted]) expect(guardAdapter(wrapper)).toBe(wrapper);
    // Over an unguarded adapter a wrapper is no guard: guardAdapter wraps it.
    const bare = wrapAdapter(inner, {});
    expect(guardAdapter(bare)).not.toBe(bare);
    expect(counted.name).toBe("pytest");
    expect(counted.projectRoot).toBe(root);
    expect(counted.isTestFile("tests/test_discount.py")).toBe(inner.isTestFile("tests/test_discount.py"));
    expect(counted.testCoverage === undefined).toBe(inner.testCoverage === undefined);
    // A run still goes through the guard: what it changes is reported and put back.
    const source = join(root, "pricing", "discount.py");
    const before = readFileSync(source);
    writeFileSync(
      join(root, "tests", "test_touch.py"),
      `import pathlib\n\ndef test_touch():\n    pathlib.Path(${JSON.stringify(source)}).write_text("x = 1\\n")\n`,
    );
    const r = await counted.runSpecificTest("tests/test_touch.py", "test_touch");
    expect(r.tampered?.map((t) => t.file)).toEqual(["pricing/discount.py"]);
    expect(readFileSync(source).equals(before)).toBe(true);
  }, 60_000);
});
