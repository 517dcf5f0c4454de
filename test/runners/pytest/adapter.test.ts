// The pytest adapter on every fixture project, with real pytest in test/.venv.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RedgreenError, stableNodeId, type TestRunResult } from "../../../src/domain/index.js";
import { confirmFlaky } from "../../../src/proof/flaky.js";
import { runProcess } from "../../../src/process/run.js";
import type { RunProgress } from "../../../src/runners/adapter.js";
import { createPytestAdapter, type PytestAdapterOptions } from "../../../src/runners/pytest/adapter.js";
import { slowTests } from "../../../src/runners/slow-tests.js";
import { defaultTestTimeout, slowestDuration } from "../../../src/runners/default-test-timeout.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
const scratch = mkdtempSync(join(tmpdir(), "redgreen-adapter-"));
afterAll(() => {
  copies.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const adapterFor = (fixture: string, options: Partial<PytestAdapterOptions> = {}) =>
  createPytestAdapter({ projectRoot: copies.copy(fixture), python: testPython, hangGraceSeconds: 1, ...options });

const failure = (r: TestRunResult, name: string, phase?: string) => {
  const f = r.failures.find((x) => x.testName === name && (phase === undefined || x.phase === phase));
  if (!f) throw new Error(`no failure for ${name} (${phase ?? "any"}) in ${r.failures.map((x) => x.nodeId).join(", ")}`);
  return f;
};

describe("pytest adapter: failures in structured form", () => {
  let result: TestRunResult;
  it("runs the failing project", async () => {
    const adapter = await adapterFor("failing");
    result = await adapter.runTests();
    expect(result.status).toBe("failed");
    expect(result.source).toBe("jsonl");
    expect({ passed: result.passed, failed: result.failed, errors: result.errors, total: result.total }).toEqual({
      passed: 2,
      failed: 8,
      errors: 2,
      total: 12,
    });
    expect(result.passedNodeIds).toEqual(["tests/test_shop.py::test_passes"]);
    expect(result.command).toContain("redgreen_pytest_plugin");
  });

  it("gives assertion details and the test's own line", () => {
    const f = failure(result, "test_total_is_right");
    expect(f.errorType).toBe("AssertionError");
    expect(f.errorMessage).toContain("assert 5 == 6");
    expect(f.lineNumber).toBe(8);
    expect(f.frames).toEqual([
      expect.objectContaining({ file: "tests/test_shop.py", line: 8, function: "test_total_is_right", kind: "test" }),
    ]);
    expect(f.stackTrace).toContain("def test_total_is_right");
    expect(f.phase).toBe("call");
  });

  it("adds Python's 'Did you mean' hints for attribute and import typos", () => {
    expect(failure(result, "test_attribute_typo").hint).toBe("Did you mean: 'total'?");
    const imp = failure(result, "test_import_typo");
    expect(imp.errorType).toBe("ImportError");
    expect(imp.hint).toBe("Did you mean: 'make_order'?");
  });

  it("keeps the test's line and points the fault at the project frame when the error is raised in project code", () => {
    const key = failure(result, "test_key_error");
    expect(key.errorType).toBe("KeyError");
    expect(key.errorMessage).toBe("'banana'");
    expect(key.frames.map((f) => `${f.file}:${f.line}:${f.kind}`)).toEqual(["tests/test_shop.py:25:test", "shop.py:19:project"]);
    expect(key).toMatchObject({ lineNumber: 25, faultFile: "shop.py", faultLine: 19 });
    expect(failure(result, "test_type_error").errorType).toBe("TypeError");
    const value = failure(result, "test_value_error");
    expect(value.errorType).toBe("ValueError");
    expect(value.capturedOutput).toContain("parsing the quantity three");
    expect(failure(result, "test_name_error").errorType).toBe("NameError");
  });

  it("keeps chained exceptions, first raised first", () => {
    const f = failure(result, "test_chained");
    expect(f.errorType).toBe("ValueError");
    expect(f.chain).toEqual([
      { errorType: "KeyError", errorMessage: "'settings'" },
      { errorType: "ValueError", errorMessage: "config has no settings" },
    ]);
  });

  it("reports fixture errors in setup and teardown as errors", () => {
    const setup = failure(result, "test_setup_error", "setup");
    expect(setup.errorType).toBe("ConnectionError");
    expect(setup.frames.at(-1)).toEqual(expect.objectContaining({ file: "conftest.py", function: "broken_db", kind: "test" }));
    const teardown = failure(result, "test_teardown_error", "teardown");
    expect(teardown.errorType).toBe("RuntimeError");
  });
});

describe("pytest adapter: collection, marks, parametrization", () => {
  it("reports syntax and import errors at collection and still runs the good module", async () => {
    const r = await (await adapterFor("collection_error")).runTests();
    expect(r.status).toBe("failed");
    expect({ passed: r.passed, errors: r.errors }).toEqual({ passed: 1, errors: 2 });
    const syntax = r.failures.find((f) => f.nodeId === "test_syntax.py")!;
    expect(syntax).toMatchObject({ phase: "collect", errorType: "SyntaxError", testFile: "test_syntax.py", testName: "", lineNumber: 2 });
    expect(syntax.frames).toEqual([expect.objectContaining({ file: "test_syntax.py", line: 2, code: "x = (1," })]);
    const imp = r.failures.find((f) => f.nodeId === "test_import_time.py")!;
    expect(imp).toMatchObject({ phase: "collect", errorType: "ModuleNotFoundError", lineNumber: 1 });
    expect(imp.errorMessage).toBe("No module named 'not_a_real_module'");
  });

  it("reports a broken conftest as a collection error", async () => {
    const r = await (await adapterFor("conftest_error")).runTests();
    expect(r.status).toBe("failed");
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ nodeId: "conftest.py", phase: "collect", errorType: "ModuleNotFoundError", lineNumber: 1 });
  });

  it("counts skips, xfail, xpass and strict xpass apart", async () => {
    const r = await (await adapterFor("marks")).runTests();
    expect({ passed: r.passed, failed: r.failed, skipped: r.skipped, xfailed: r.xfailed, xpassed: r.xpassed, total: r.total }).toEqual({
      passed: 1,
      failed: 1,
      skipped: 3,
      xfailed: 1,
      xpassed: 1,
      total: 7,
    });
    expect(r.failures[0]).toMatchObject({ testName: "test_xpass_strict", errorType: "XPASS(strict)", errorMessage: "must fail" });
    expect(r.passedNodeIds).toEqual(["test_marks.py::test_plain_pass"]);
    expect(r.skippedNodeIds).toEqual(["test_marks.py::test_skipped", "test_marks.py::test_skipif", "test_marks.py::test_skip_inside"]);
  });

  it("keeps parametrized node ids exact and reports live progress", async () => {
    const progress: RunProgress[] = [];
    const r = await (await adapterFor("parametrized")).runTests({ onProgress: (p) => progress.push({ ...p }) });
    expect(r.failures.map((f) => f.nodeId).sort()).toEqual(["test_params.py::TestGroup::test_even[1]", "test_params.py::test_add[2-3-6]"]);
    expect(r.passedNodeIds).toEqual(expect.arrayContaining(["test_params.py::test_words[a b]", "test_params.py::test_words[x::y]"]));
    expect(r.passed).toBe(6);
    expect(progress.at(-1)).toMatchObject({ collected: 8, done: 8, failed: 2 });
    expect(progress.length).toBeGreaterThanOrEqual(1);
  });

  it("runs a single parametrized case by name", async () => {
    const adapter = await adapterFor("parametrized");
    const r = await adapter.runSpecificTest("test_params.py", "TestGroup::test_even[1]");
    expect(r.total).toBe(1);
    expect(r.failures[0]!.nodeId).toBe("test_params.py::TestGroup::test_even[1]");
  });
});

describe("pytest adapter: node ids no command line can carry, and names that change every run", () => {
  const nul = "test_odd.names::nul \u0000 byte";
  const controls = "test_odd.names::bell \u0007 and escape \u001b[31m";
  const newline = "test_odd.names::tab\tand\nnewline";
  it("selects them through the plugin: exactly the tests asked for, by stable id for a seeded name", async () => {
    const adapter = await adapterFor("odd_names");
    const all = await adapter.runTests();
    const seeded = all.passedNodeIds.find((id) => id.startsWith("test_seeded.py::test_sorted_is_idempotent[seed="))!;
    expect([...all.passedNodeIds].sort()).toEqual([controls, newline, nul, seeded, "test_seeded.py::test_plain"].sort());
    expect(all.failures.map((f) => f.nodeId)).toEqual(["test_odd.names::plain"]);
    const one = await adapter.runTests({ files: [nul] });
    expect(one).toMatchObject({ status: "passed", total: 1, passedNodeIds: [nul] });
    // The seeded test has a new id in the next run; asked for by the old one, it is found by its stable id.
    const again = await adapter.runTests({ files: [seeded, controls, newline] });
    expect(again).toMatchObject({ status: "passed", total: 3 });
    expect(again.passedNodeIds.map(stableNodeId).sort()).toEqual([seeded, controls, newline].map(stableNodeId).sort());
    // A whole file next to a picked id: the whole file runs, nothing is picked out of it.
    const mixed = await adapter.runTests({ files: ["test_odd.names", seeded] });
    expect(mixed).toMatchObject({ passed: 4, failed: 1, total: 5 });
    expect(await confirmFlaky(adapter, [nul, "test_odd.names::plain"])).toEqual([nul]);
  });
});

describe("pytest adapter: coverage", () => {
  it("reads pytest-cov's JSON report", async () => {
    const r = await (await adapterFor("coverage")).runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.coverage).not.toBeNull();
    const mathy = r.coverage!.files.find((f) => f.file === "pkg/mathy.py")!;
    expect(mathy.missingLines).toEqual([8, 9, 10, 14, 15]);
    expect(mathy.coveredLines).toBeLessThan(mathy.totalLines);
    expect(r.coverage!.percent).toBeGreaterThan(0);
    expect(r.coverage!.percent).toBeLessThan(100);
    expect(r.coverageError).toBeUndefined();
  });

  it("honours the project's [tool.coverage] source, omit and branch settings instead of measuring the whole root", async () => {
    const r = await (await adapterFor("coverage_config")).runTests({ coverage: true });
    expect(r.status).toBe("passed");
    expect(r.coverage!.files.map((f) => f.file)).toEqual(["pkg/__init__.py", "pkg/shapes.py"]);
    const shapes = r.coverage!.files.find((f) => f.file === "pkg/shapes.py")!;
    expect(shapes.missingLines).toEqual([4]);
    // branch = true: 3 of 4 lines and 1 of 2 branches covered is 66.67 %, not the 75 % of lines alone.
    expect(shapes.percent).toBe(66.67);
  });

  it("honours setup.cfg's [coverage:run] include and omit", async () => {
    const r = await (await adapterFor("coverage_setupcfg")).runTests({ coverage: true });
    expect(r.coverage!.files.map((f) => f.file)).toEqual(["app/__init__.py", "app/core.py"]);
    expect(r.coverage!.percent).toBe(100);
  });

  it("honours .coveragerc's [run] source and omit", async () => {
    const r = await (await adapterFor("coverage_coveragerc")).runTests({ coverage: true });
    expect(r.coverage!.files.map((f) => f.file)).toEqual(["lib/__init__.py", "lib/units.py"]);
    const units = r.coverage!.files.find((f) => f.file === "lib/units.py")!;
    expect(units.missingLines).toEqual([7]);
  });

  it("leaves coverage null when not asked for", async () => {
    const r = await (await adapterFor("coverage")).runTests();
    expect(r.coverage).toBeNull();
    expect(r.coverageError).toBeUndefined();
  });
});

describe("pytest adapter: timeouts", () => {
  it("fails a Python infinite loop as Timeout with the loop's frame", async () => {
    const r = await (await adapterFor("hanging", { testTimeoutSeconds: 1 })).runTests({ files: ["test_hang.py"] });
    const f = failure(r, "test_loops_forever");
    expect(f.errorType).toBe("Timeout");
    expect(f.frames.map((fr) => `${fr.function}:${fr.line}`)).toEqual(["test_loops_forever:8", "spin:3"]);
    expect(r.passedNodeIds).toEqual(["test_hang.py::test_runs_after_the_hang"]);
  });

  it("dumps a test stuck in C code, fails it as Timeout and resumes the run without it", async () => {
    const started = Date.now();
    const r = await (await adapterFor("hanging", { testTimeoutSeconds: 1 })).runTests({ files: ["test_stuck_in_c.py"] });
    expect(Date.now() - started).toBeLessThan(15_000);
    const f = failure(r, "test_stuck_in_c");
    expect(f.errorType).toBe("Timeout");
    expect(f.frames).toEqual([expect.objectContaining({ file: "test_stuck_in_c.py", line: 3, function: "test_stuck_in_c", kind: "test" })]);
    expect(f.frames[0]!.code).toContain("sum(range(");
    expect(r.passedNodeIds).toEqual(["test_stuck_in_c.py::test_after_c_hang"]);
    expect(r.status).toBe("failed");
  });

  it("kills a run past its hard limit and keeps what was recorded", async () => {
    const adapter = await adapterFor("hanging", { testTimeoutSeconds: 0 });
    const r = await adapter.runTests({
      files: ["test_stuck_in_c.py::test_after_c_hang", "test_hang.py::test_loops_forever"],
      runTimeoutSeconds: 3,
    });
    expect(r.status).toBe("timeout");
    expect(r.message).toContain("3 s");
    expect(r.passedNodeIds).toEqual(["test_stuck_in_c.py::test_after_c_hang"]);
    expect(r.durationSeconds).toBeLessThan(10);
  });

  it("keeps a healthy test slower than 10 s green by default and reports it slow; an explicit timeout is exact", async () => {
    const adapter = await adapterFor("slow");
    const r = await adapter.runTests();
    expect(r.status).toBe("passed");
    expect([r.passed, r.failed, r.errors, r.total]).toEqual([2, 0, 0, 2]);
    expect(r.slowTests).toContainEqual(expect.objectContaining({ nodeId: "test_slow.py::test_takes_eleven_seconds", kind: "test" }));
    const strict = await adapter.runTests({ files: ["test_slow.py::test_takes_eleven_seconds"], testTimeoutSeconds: 1 });
    expect(failure(strict, "test_takes_eleven_seconds").errorType).toBe("Timeout");
    expect(failure(strict, "test_takes_eleven_seconds").errorMessage).toContain("per-test timeout of 1 s");
  }, 90_000);

  it("derives the default per-test timeout from the slowest test seen: max(60 s, 5x)", () => {
    expect(defaultTestTimeout(0)).toBe(60);
    expect(defaultTestTimeout(11.2)).toBe(60);
    expect(defaultTestTimeout(19)).toBe(95);
    expect(
      slowestDuration(
        new Map([
          ["a.py::t1", 19],
          ["a.py::hung", 60],
          ["a.py::t2", 2],
        ]),
        new Set(["a.py::hung"]),
      ),
    ).toBe(19);
  });

  it("reports slow tests and files without failing them", () => {
    const slow = slowTests(
      new Map([
        ["a.py::t1", 6],
        ["a.py::t2", 26],
        ["b.py::t", 1],
      ]),
    );
    expect(slow).toEqual([
      { nodeId: "a.py", durationSeconds: 32, kind: "file" },
      { nodeId: "a.py::t2", durationSeconds: 26, kind: "test" },
      { nodeId: "a.py::t1", durationSeconds: 6, kind: "test" },
    ]);
  });
});

describe("pytest adapter: hostile output", () => {
  it("survives a test printing 50 MB and caps the captured output", async () => {
    const started = Date.now();
    const r = await (await adapterFor("big_output")).runTests();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect({ passed: r.passed, failed: r.failed }).toEqual({ passed: 1, failed: 1 });
    const f = r.failures[0]!;
    expect(f.errorMessage).toContain("after a lot of output");
    expect(f.capturedOutput!.length).toBeLessThan(10_000);
    expect(f.stackTrace.length).toBeLessThan(25_000);
  });

  it("survives invalid UTF-8 on stdout", async () => {
    const r = await (await adapterFor("bad_utf8")).runTests();
    expect({ passed: r.passed, failed: r.failed }).toEqual({ passed: 1, failed: 1 });
    const f = r.failures[0]!;
    expect(f.capturedOutput).toContain("bad bytes:");
    expect(f.capturedOutput).toContain("\ufffd");
  });
});

describe("pytest adapter: fallbacks", () => {
  it("reads JUnit XML when the plugin is not used", async () => {
    const r = await (await adapterFor("failing", { usePlugin: false })).runTests();
    expect(r.source).toBe("junit");
    expect({ passed: r.passed, failed: r.failed, errors: r.errors }).toEqual({ passed: 2, failed: 8, errors: 2 });
    expect(failure(r, "test_key_error")).toMatchObject({ lineNumber: 25, faultFile: "shop.py", faultLine: 19 });
  });

  it("falls back to JUnit XML when the plugin cannot be imported", async () => {
    const site = join(scratch, "blocker");
    mkdirSync(site, { recursive: true });
    // sitecustomize runs at interpreter start: it makes importing the plugin fail, as a broken install would.
    writeFileSync(join(site, "sitecustomize.py"), "import sys\nsys.modules['redgreen_pytest_plugin'] = None\n");
    const r = await (await adapterFor("failing", { env: { PYTHONPATH: site } })).runTests();
    expect(r.source).toBe("junit");
    expect(r.message).toContain("plugin could not load");
    expect(r.failed).toBe(8);
  });

  it("falls back to terminal text when the JUnit XML is corrupt or missing", async () => {
    for (const mode of ["corrupt", "missing"]) {
      const r = await (await adapterFor("junit_tamper", { usePlugin: false, env: { REDGREEN_FIXTURE_JUNIT: mode } })).runTests();
      expect(r.source, mode).toBe("text");
      expect(r.status).toBe("failed");
      expect(r.failures.map((f) => f.nodeId)).toEqual(["test_two.py::test_two"]);
      expect(r.message).toMatch(mode === "corrupt" ? /not well-formed/ : /missing/);
    }
  });

  it("returns a clear error result when no source of results is readable", async () => {
    const adapter = await adapterFor("junit_tamper", { usePlugin: false, env: { REDGREEN_FIXTURE_JUNIT: "corrupt-silent" } });
    const r = await adapter.runTests();
    expect(r.status).toBe("error");
    expect(r.message).toMatch(/no readable results.*not well-formed/);
  });
});

describe("pytest adapter: bad input", () => {
  it("rejects a project folder that does not exist", async () => {
    const err = await createPytestAdapter({ projectRoot: join(scratch, "nope"), python: testPython }).catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("path_not_found");
  });

  it("rejects an interpreter that does not run", async () => {
    const err = await createPytestAdapter({ projectRoot: copies.copy("passing"), python: join(scratch, "no-python") }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedgreenError);
    expect((err as RedgreenError).code).toBe("python_missing");
  });

  it("says pytest_missing for an interpreter without pytest", async () => {
    const venv = join(scratch, "bare-venv");
    await runProcess("python3", ["-m", "venv", "--without-pip", venv], { cwd: scratch, timeoutMs: 60_000 });
    const adapter = await createPytestAdapter({ projectRoot: copies.copy("passing"), python: join(venv, "bin", "python") });
    const err = await adapter.runTests().catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("pytest_missing");
    expect((err as RedgreenError).message).toMatch(/^pytest is not installed for .*bare-venv/);
  });

  it("says not_found for a test name that does not exist", async () => {
    const adapter = await adapterFor("passing");
    const err = await adapter.runSpecificTest("tests/test_calc.py", "test_nothing_here").catch((e: unknown) => e);
    expect((err as RedgreenError).code).toBe("not_found");
  });
});
