import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PythonHelper } from "../../src/python/client.js";
import {
  checkIndentationOf,
  findSpec,
  listImports,
  outlineSource,
  parseSource,
  resolveImports,
  stdlibModules,
} from "../../src/python/core-ops.js";
import { fixturePath } from "../helpers/python-env.js";
import { interpreters } from "./interpreters.js";

const projectRoot = fixturePath("validation", "project");

describe.each(interpreters)("the core ops on %s", (label, python) => {
  let helper: PythonHelper;
  beforeAll(async () => {
    helper = await PythonHelper.start({ python, projectRoot });
  });
  afterAll(() => helper.close());

  it("parse: ok with syntax warnings, or the error with its location", async () => {
    expect(await parseSource(helper, "x = 1\n")).toEqual({ ok: true, warnings: [] });
    expect(await parseSource(helper, "def f(:\n    pass\n")).toMatchObject({ ok: false, error: "SyntaxError", line: 1 });
    // compile() catches what the parser alone accepts
    expect(await parseSource(helper, "return 5\n")).toMatchObject({ ok: false, msg: "'return' outside function" });
    expect(await parseSource(helper, "if x:\n\tpass\n        pass\n")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/TabError|IndentationError/),
    });
    const warned = await parseSource(helper, "x = 1\nif x is 1:\n    pass\n");
    expect(warned.ok && warned.warnings[0]?.category).toBe("SyntaxWarning");
    expect(await parseSource(helper, "x = 1\0\n")).toMatchObject({ ok: false }); // null bytes
  });

  it("check_indentation: style, width and the lines that break them", async () => {
    const spaces = await checkIndentationOf(helper, "def f(x):\n    if x:\n        return 1\n    return (1,\n  2)\n");
    expect(spaces).toMatchObject({ ok: true, style: "spaces", width: 4, mixedLines: [], minorityLines: [], oddStepLines: [] });
    const tabs = await checkIndentationOf(helper, "def f(x):\n\tif x:\n\t\treturn 1\n\treturn 0\n");
    expect(tabs).toMatchObject({ ok: true, style: "tabs", width: 1 });
    const mixed = await checkIndentationOf(helper, "def f(x):\n    if x:\n        return 1\n\treturn 0\n");
    expect(mixed).toMatchObject({ ok: true, style: "mixed", minorityLines: [4] });
    const odd = await checkIndentationOf(helper, "def f(x):\n    if x:\n      return 1\n    if x:\n        return 2\n    return 0\n");
    expect(odd).toMatchObject({ ok: true, width: 4, oddStepLines: [3] });
    expect(await checkIndentationOf(helper, "def f(x):\n    return 1\n  return 2\n")).toMatchObject({ ok: false, line: 3 });
  });

  it("list_imports: statements, names, levels, and optional (guarded) imports", async () => {
    const result = await listImports(
      helper,
      "import os.path as p\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\nfrom ..pkg import (a,\n    b as c)\n",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.imports).toEqual([
      expect.objectContaining({ kind: "import", module: "os.path", asname: "p", guarded: false, line: 1 }),
      expect.objectContaining({ kind: "import", module: "ujson", guarded: true, line: 3 }),
      expect.objectContaining({
        kind: "from",
        module: "pkg",
        level: 2,
        names: [
          ["a", null],
          ["b", "c"],
        ],
        line: 6,
        endLine: 7,
      }),
    ]);
  });

  it("find_spec: project, src layout, stdlib, builtin, site-packages, and missing modules", async () => {
    expect(await findSpec(helper, "app.calc")).toMatchObject({ found: true, location: "project", isPackage: false });
    expect(await findSpec(helper, "app")).toMatchObject({ found: true, location: "project", isPackage: true });
    expect(await findSpec(helper, "extra")).toMatchObject({ found: true, location: "project" });
    expect(await findSpec(helper, "helpers", "tests/test_calc.py")).toMatchObject({ found: true, location: "project" });
    expect(await findSpec(helper, "json.decoder")).toMatchObject({ found: true, location: "stdlib" });
    expect(await findSpec(helper, "os.path")).toMatchObject({ found: true, location: "stdlib" });
    expect(await findSpec(helper, "sys")).toMatchObject({ found: true, location: "builtin" });
    expect(await findSpec(helper, "app.nothing_here")).toMatchObject({ found: false, location: null });
    expect(await findSpec(helper, "numpy_surely_not_installed")).toMatchObject({ found: false });
    if (label === "test/.venv")
      expect(await findSpec(helper, "_pytest.python_api")).toMatchObject({ found: true, location: "site-packages" });
  });

  it("find_spec sees a module created after the helper started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redgreen-spec-"));
    const late = await PythonHelper.start({ python, projectRoot: dir });
    try {
      expect(await findSpec(late, "brand_new")).toMatchObject({ found: false });
      writeFileSync(join(dir, "brand_new.py"), "X = 1\n");
      expect(await findSpec(late, "brand_new")).toMatchObject({ found: true, location: "project" });
    } finally {
      await late.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resolve_imports: checks imported names statically in the project and by import in the stdlib", async () => {
    const results = await resolveImports(
      helper,
      [
        {
          module: "app.models",
          level: 0,
          names: [
            ["Account", null],
            ["Acount", null],
          ],
        },
        {
          module: "collections",
          level: 0,
          names: [
            ["defaultdict", null],
            ["DefaultDict", null],
          ],
        },
        { module: "models", level: 1, names: [["make_account", null]] },
        { module: null, level: 1, names: [["calc", null]] },
        { module: "nope.nothing", level: 0, names: [] },
      ],
      "app/calc.py",
    );
    expect(results.map((r) => [r.module, r.found, r.location, r.missingNames])).toEqual([
      ["app.models", true, "project", ["Acount"]],
      ["collections", true, "stdlib", ["DefaultDict"]],
      [".models", true, "project", []],
      [".", true, "project", []],
      ["nope.nothing", false, null, []],
    ]);
  });

  it("outline: definitions with signatures and control-flow counts", async () => {
    const result = await outlineSource(
      helper,
      "class A:\n    def f(self, x):\n        if x:\n            return 1\n        return 2\n\n\ndef g():\n    pass\n",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.defs.map((d) => [d.name, d.kind, d.line, d.endLine])).toEqual([
      ["A", "class", 1, 5],
      ["A.f", "function", 2, 5],
      ["g", "function", 8, 9],
    ]);
    expect(result.defs[1]!.control).toEqual({ If: 1, Return: 2 });
  });

  it("stdlib_modules: the interpreter's own stdlib", async () => {
    const names = await stdlibModules(helper);
    expect(names).toEqual(expect.arrayContaining(["os", "json", "collections", "sys", "asyncio"]));
    expect(names).not.toContain("pytest");
  });
});
