// TsProject.warm(): the lib files parsed into the service's registry a file per turn of the event loop, and taken by its program.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import ts from "typescript";
import { packageRoot } from "../../src/paths.js";
import { createTsProject } from "../../src/ts-project/project.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { isJsTestFile, openTsCase } from "./ts-case.js";

/** typescript with its document registries recording every source file they hand out, by path. */
function recordingTypeScript(): { typescript: typeof ts; handedOut: Map<string, ts.SourceFile[]> } {
  const handedOut = new Map<string, ts.SourceFile[]>();
  const createDocumentRegistry: typeof ts.createDocumentRegistry = (...args) => {
    const registry = ts.createDocumentRegistry(...args);
    const acquire = registry.acquireDocumentWithKey.bind(registry);
    registry.acquireDocumentWithKey = (...a) => {
      const file = acquire(...a);
      handedOut.set(a[1], [...(handedOut.get(a[1]) ?? []), file]);
      return file;
    };
    return registry;
  };
  return { typescript: { ...ts, createDocumentRegistry }, handedOut };
}

/** The lib files in the program the project checks `rel` with. */
const programLibFiles = (project: TsProject, rel: string): Promise<ts.SourceFile[]> =>
  project.inspect!(rel, (v) => v.program.getSourceFiles().filter((f) => v.program.isSourceFileDefaultLibrary(f)));

/** A temp project whose tsconfig names its `lib` (no DOM), with one file that uses the DOM. */
function libProject(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "rg-libfiles-"));
  symlinkSync(join(packageRoot, "node_modules"), join(root, "node_modules"), "dir");
  const options = { target: "ES2022", lib: ["es2020"], module: "ESNext", moduleResolution: "Bundler", strict: true, types: [] };
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: options, include: ["src"] }));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "page.ts"), "export const title: string = document.title;\nexport const n: number = [1].at(0);\n");
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

describe("TsProject.warm: the lib files ahead of the program", () => {
  const c = openTsCase("missing-import");
  afterAll(() => c.close());

  it("hands the program the very source files it parsed ahead (each lib file parsed once)", async () => {
    const { typescript, handedOut } = recordingTypeScript();
    const project = createTsProject({ projectRoot: c.root, isTestFile: isJsTestFile, typescript });
    try {
      await project.warm!();
      const libs = await programLibFiles(project, "src/cart.ts");
      expect(libs.map((f) => f.fileName.split("/").pop())).toContain("lib.dom.d.ts");
      for (const lib of libs) {
        const given = handedOut.get(lib.fileName) ?? [];
        // Once by the pre-parse, once by the program's build: the same object both times.
        expect(given.length, lib.fileName).toBe(2);
        expect(
          given.every((f) => f === lib),
          lib.fileName,
        ).toBe(true);
      }
    } finally {
      project.dispose!();
    }
  });

  it("parses the packages the test files import ahead, and a check that adds a test file takes them", async () => {
    const { typescript, handedOut } = recordingTypeScript();
    const project = createTsProject({ projectRoot: c.root, isTestFile: isJsTestFile, typescript });
    try {
      await project.warm!();
      const packages = await project.inspect!(
        "src/cart.ts",
        (v) => v.program.getSourceFiles().filter((f) => f.fileName.includes("/node_modules/vitest/")),
        undefined,
        { importers: true },
      );
      expect(packages.length).toBeGreaterThan(0);
      for (const file of packages) expect(handedOut.get(file.fileName) ?? [], file.fileName).toEqual([file, file]);
    } finally {
      project.dispose!();
    }
  });

  it("lets the event loop turn between lib files", async () => {
    const project = createTsProject({ projectRoot: c.root, isTestFile: isJsTestFile });
    try {
      let turns = 0;
      let going = true;
      const tick = (): void => {
        turns++;
        if (going) setImmediate(tick);
      };
      setImmediate(tick);
      await project.warm!();
      going = false;
      const libs = await programLibFiles(project, "src/cart.ts");
      expect(turns).toBeGreaterThanOrEqual(libs.length - 1);
    } finally {
      project.dispose!();
    }
  });

  it("gives the same diagnostics and code fixes warmed as built by the first query", async () => {
    // Errors whose messages come from the lib's declarations, beside the fixture's own missing import.
    const text = `${c.read("src/cart.ts")}\nexport const a: string = [1, 2].at(0);\nexport const b = document.body.innerHTML.nope;\n`;
    // A test file whose errors come from vitest's declarations (expect's matchers).
    const testText = `${c.read("test/cart.test.ts")}\nit("x", () => { expect(1).toBeNope(); expect<string>(2).toBe(2); });\n`;
    const answers = async (warm: boolean): Promise<unknown> => {
      const project = createTsProject({ projectRoot: c.root, isTestFile: isJsTestFile });
      try {
        if (warm) await project.warm!();
        return {
          diagnostics: await project.diagnostics("src/cart.ts", text),
          fixes: await project.codeFixes("src/cart.ts", { text }),
          onDisk: await project.diagnostics("src/cart.ts"),
          importers: await project.inspect!("test/cart.test.ts", (v) => v.diagnostics(), testText, { importers: true }),
        };
      } finally {
        project.dispose!();
      }
    };
    const cold = await answers(false);
    expect((cold as { diagnostics: ts.Diagnostic[] }).diagnostics.length).toBeGreaterThanOrEqual(4);
    expect((cold as { importers: ts.Diagnostic[] }).importers.length).toBeGreaterThanOrEqual(2);
    expect(await answers(true)).toEqual(cold);
  });
});

describe("TsProject.warm: a config that names its lib", () => {
  const p = libProject();
  afterAll(() => p.cleanup());

  it("parses that lib's files ahead, not the default lib's, with the same diagnostics", async () => {
    const { typescript, handedOut } = recordingTypeScript();
    const warmed = createTsProject({ projectRoot: p.root, typescript });
    const cold = createTsProject({ projectRoot: p.root });
    try {
      await warmed.warm!();
      const libs = await programLibFiles(warmed, "src/page.ts");
      expect(libs.map((f) => f.fileName.split("/").pop())).toContain("lib.es2020.d.ts");
      for (const lib of libs) expect(handedOut.get(lib.fileName) ?? [], lib.fileName).toEqual([lib, lib]);
      expect([...handedOut.keys()].filter((f) => f.endsWith("/lib.dom.d.ts"))).toEqual([]);
      const diagnostics = await warmed.diagnostics("src/page.ts");
      expect(diagnostics.map((d) => d.code)).toEqual([2584, 2550]);
      expect(await cold.diagnostics("src/page.ts")).toEqual(diagnostics);
    } finally {
      warmed.dispose!();
      cold.dispose!();
    }
  });
});
