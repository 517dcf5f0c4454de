// createTsProject on real fixture projects: diagnostics, per-call overrides, code fixes, local imports, refresh.
import { execFileSync } from "node:child_process";
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTsProject } from "../../src/ts-project/project.js";
import { loadTypeScript } from "../../src/ts-project/load.js";
import { loadProjectConfig } from "../../src/ts-project/config.js";
import { openTsCase, tsFixtures, type TsCase } from "./ts-case.js";

describe("createTsProject (fixture: ts-patterns/missing-import, with tsconfig.json)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("missing-import");
  });
  afterAll(() => c?.close());

  it("reports sorted diagnostics with 1-based positions", async () => {
    const t0 = performance.now();
    const diags = await c.project.diagnostics("src/cart.ts");
    const coldMs = performance.now() - t0;
    expect(diags.map((d) => [d.code, d.line, d.column, d.kind, d.category])).toEqual([
      [2304, 4, 27, "semantic", "error"],
      [2304, 8, 10, "semantic", "error"],
    ]);
    expect(diags[0]!.message).toBe("Cannot find name 'formatPrice'.");
    expect(c.read("src/cart.ts").slice(diags[0]!.start, diags[0]!.start + diags[0]!.length)).toBe("formatPrice");
    // A warm query reuses the program and the file's AST (timings are logged, not compared: single timings are noise).
    const before = await c.project.inspect!("src/cart.ts", (v) => ({ program: v.program, sourceFile: v.sourceFile }));
    const t1 = performance.now();
    await c.project.diagnostics("src/cart.ts");
    const warmMs = performance.now() - t1;
    const after = await c.project.inspect!("src/cart.ts", (v) => ({ program: v.program, sourceFile: v.sourceFile }));
    expect(after.program).toBe(before.program);
    expect(after.sourceFile).toBe(before.sourceFile);
    console.log(`[ts-project] cold diagnostics (import typescript + program) ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(2)} ms`);
  });

  it("uses replacement text for one call only", async () => {
    const fixed = `import { formatPrice } from "./money.js";\n${c.read("src/cart.ts")}`;
    expect(await c.project.diagnostics("src/cart.ts", fixed)).toEqual([]);
    const broken = await c.project.diagnostics("src/cart.ts", "export const x: number = ;\n");
    expect(broken.map((d) => [d.kind, d.code])).toEqual([["syntactic", 1109]]);
    expect((await c.project.diagnostics("src/cart.ts")).map((d) => d.code)).toEqual([2304, 2304]);
  });

  it("offers the language service's code fixes for a line range, filtered by fix name", async () => {
    const t0 = performance.now();
    const fixes = await c.project.codeFixes("src/cart.ts", { fromLine: 4, toLine: 4 });
    console.log(`[ts-project] warm codeFixes for one line ${(performance.now() - t0).toFixed(1)} ms`);
    expect(fixes.map((f) => f.fixName)).toEqual(["import", "fixMissingFunctionDeclaration"]);
    const [imp] = await c.project.codeFixes("src/cart.ts", { fromLine: 4, toLine: 4, fixNames: ["import"] });
    expect(imp!.description).toBe('Add import from "./money.js"');
    expect(imp!.changes).toEqual([{ file: "src/cart.ts", start: 39, length: 0, newText: 'import { formatPrice } from "./money.js";\n' }]);
    expect(imp!.diagnostic.line).toBe(4);
    expect(await c.project.codeFixes("src/cart.ts", { fromLine: 1, toLine: 3 })).toEqual([]);
  });

  it("lists the project modules a file imports, not packages", async () => {
    expect(await c.project.localImports("test/cart.test.ts")).toEqual(["src/cart.ts"]);
    expect(await c.project.localImports("src/cart.ts")).toEqual(["src/item.ts"]);
  });

  it("answers a query that another caller's dispose() overtook with a new service", async () => {
    await c.project.diagnostics("src/cart.ts");
    // The query's continuation runs after the dispose: the service it found is closed by then.
    const overtaken = c.project.diagnostics("src/cart.ts");
    c.project.dispose!();
    expect((await overtaken).map((d) => d.code)).toEqual([2304, 2304]);
  });

  it("sees files changed on disk, and new files after refresh()", async () => {
    writeFileSync(join(c.root, "src/extra.ts"), "export const extra: string = 1;\n");
    expect((await c.project.diagnostics("src/extra.ts")).map((d) => d.code)).toEqual([2322]);
    writeFileSync(join(c.root, "src/extra.ts"), "export const extra: string = 'one';\n");
    expect(await c.project.diagnostics("src/extra.ts")).toEqual([]);
    writeFileSync(join(c.root, "src/price.ts"), "export const formatCents = (n: number) => `${n}c`;\n");
    c.project.refresh();
    const fixes = await c.project.codeFixes("src/cart.ts", { text: "export const f = formatCents(1);\n", fixNames: ["import"] });
    expect(fixes.map((f) => f.description)).toEqual(['Add import from "./price.js"']);
  });

  it("sees a same-size rewrite that keeps the mtime (a coarse timestamp tick), with and without refresh()", async () => {
    const file = join(c.root, "src/tick.ts");
    // Whole seconds, as a file system with 1 s timestamps records them: both writes land in the same tick.
    const tick = Math.floor(Date.now() / 1000);
    const write = (text: string): void => {
      writeFileSync(file, text);
      utimesSync(file, tick, tick);
    };
    write("export const tick: string = 1;\n");
    expect((await c.project.diagnostics("src/tick.ts")).map((d) => d.code)).toEqual([2322]);
    const { mtimeMs, size } = statSync(file);
    write("export const tick: number = 1;\n");
    expect(statSync(file)).toMatchObject({ mtimeMs, size });
    expect(await c.project.diagnostics("src/tick.ts")).toEqual([]);
    expect(await c.project.codeFixes("src/tick.ts")).toEqual([]);
    write("export const tick: string = 1;\n");
    c.project.refresh();
    expect((await c.project.diagnostics("src/tick.ts")).map((d) => d.code)).toEqual([2322]);
    write("export const tick: number = 1;\n");
    c.project.refresh();
    expect(await c.project.diagnostics("src/tick.ts")).toEqual([]);
  });

  it("re-reads every file after refresh(), even one whose content did not change", async () => {
    const before = await c.project.inspect!("src/cart.ts", (v) => v.sourceFile);
    expect(await c.project.inspect!("src/cart.ts", (v) => v.sourceFile)).toBe(before);
    c.project.refresh();
    const after = await c.project.inspect!("src/cart.ts", (v) => v.sourceFile);
    expect(after).not.toBe(before);
    expect(after.text).toBe(before.text);
  });

  it("rejects paths outside the project and files that do not exist", async () => {
    await expect(c.project.diagnostics("../elsewhere.ts")).rejects.toMatchObject({ code: "usage" });
    await expect(c.project.diagnostics("src/missing.ts")).rejects.toMatchObject({ code: "not_found" });
  });

  it("checks a file that exists only as the call's text, and forgets it afterwards", async () => {
    expect((await c.project.diagnostics("src/proposed.ts", "export const n: number = 'x';\n")).map((d) => d.code)).toEqual([2322]);
    await expect(c.project.diagnostics("src/proposed.ts")).rejects.toMatchObject({ code: "not_found" });
    expect((await c.project.diagnostics("src/cart.ts")).map((d) => d.code)).toEqual([2304, 2304]);
  });

  it(
    "parses doc comments as tsc does: the declarations' are left " + "unparsed (no check reads them, they are most of lib's text)",
    async () => {
      const tsApi = await loadTypeScript();
      const seen = await c.project.inspect!("src/cart.ts", (v) => {
        const lib = v.program.getSourceFiles().find((f) => f.fileName.endsWith("/lib.es5.d.ts"))!;
        const parseInt = lib.statements.find((s) => tsApi.isFunctionDeclaration(s) && s.name?.text === "parseInt")!;
        return {
          modes: new Set(v.program.getSourceFiles().map((f) => (f as { jsDocParsingMode?: number }).jsDocParsingMode)),
          docText: lib.text.slice(parseInt.pos, parseInt.end).includes("/**"),
          parsedDoc: (parseInt as { jsDoc?: unknown[] }).jsDoc?.length ?? 0,
        };
      });
      expect(seen.modes).toEqual(new Set([tsApi.JSDocParsingMode.ParseForTypeErrors]));
      expect(seen.docText).toBe(true);
      expect(seen.parsedDoc).toBe(0);
    },
  );

  it("still checks the JSDoc types of a checked JS file, and a TS file's type errors", async () => {
    const js = "// @ts-check\n/** @type {number} */\nexport const n = 'one';\n";
    expect((await c.project.diagnostics("src/count.js", js)).map((d) => [d.code, d.line])).toEqual([[2322, 3]]);
    expect((await c.project.diagnostics("src/cart.ts")).map((d) => d.code)).toEqual([2304, 2304]);
  });
});

describe("createTsProject without tsconfig.json (fixture: ts-patterns/import-minimal)", () => {
  let c: TsCase;
  beforeAll(() => {
    c = openTsCase("import-minimal");
  });
  afterAll(() => c?.close());

  it("uses modern defaults and ignores the enclosing repository's tsconfig", async () => {
    const tsApi = await loadTypeScript();
    const inRepo = loadProjectConfig(tsApi, join(tsFixtures, "import-minimal"));
    expect(inRepo.configFile).toBeNull();
    expect(inRepo.options.moduleResolution).toBe(tsApi.ModuleResolutionKind.Bundler);
    expect(inRepo.options.allowJs).toBe(true);
    expect(inRepo.options.strict).toBe(true);
    expect(inRepo.fileNames.map((f) => f.slice(f.indexOf("import-minimal/") + 15)).sort()).toEqual([
      "src/post.ts",
      "src/slug.ts",
      "src/title.ts",
      "test/post.test.ts",
    ]);
  });

  it("writes imports the way the project does (no extension) and in its quote style", async () => {
    const [fix, ...rest] = await c.project.codeFixes("src/post.ts", { fixNames: ["import"] });
    expect(rest).toEqual([]);
    expect(fix!.changes[0]!.newText).toBe("import { slugify } from './slug'\n");
  });

  it("checks a plain JS file queried outside the program's roots (syntax only: checkJs is off)", async () => {
    writeFileSync(join(c.root, "tool.mjs"), "export const x = ;\n");
    expect((await c.project.diagnostics("tool.mjs")).map((d) => d.kind)).toEqual(["syntactic"]);
    expect(await c.project.diagnostics("tool.mjs", "export const x = undefinedThing;\n")).toEqual([]);
  });
});

describe("createTsProject with an injected typescript module", () => {
  it("uses the given module instead of importing one", async () => {
    const tsApi = await loadTypeScript();
    const project = createTsProject({ projectRoot: join(tsFixtures, "spelling"), typescript: tsApi });
    try {
      const diags = await project.diagnostics("src/checkout.ts");
      expect(diags.map((d) => d.code)).toEqual([2551, 2552]);
    } finally {
      project.dispose?.();
    }
  });
});

describe("createTsProject dispose()", () => {
  // The workflow releases the service before each full run so the run does not hold the program's memory: nothing of
  // the project may keep the program alive. Checked in a fresh process with a GC the test can force.
  it("leaves nothing holding the program: it is collected, and the heap falls back", () => {
    const built = fileURLToPath(new URL("../../dist/src/ts-project/project.js", import.meta.url));
    const script = `const { createTsProject } = await import(${JSON.stringify(built)});
      const project = createTsProject({ projectRoot: ${JSON.stringify(join(tsFixtures, "spelling"))} });
      let program;
      await project.inspect("src/checkout.ts", (view) => { program = new WeakRef(view.program); });
      const heap = () => { globalThis.gc(); return process.memoryUsage().heapUsed / 1048576; };
      const held = heap();
      project.dispose();
      await new Promise((r) => setTimeout(r, 10));
      const released = heap();
      console.log(JSON.stringify({ collected: program.deref() === undefined, held, released }));`;
    const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
    const r = JSON.parse(out) as { collected: boolean; held: number; released: number };
    expect(r.collected, out).toBe(true);
    expect(r.released, out).toBeLessThan(r.held - 5);
  }, 60_000);
});
