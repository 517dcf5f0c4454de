// chooseImportSource: which offered module a missing name is imported from, and when the choice would be a guess.
import { describe, expect, it } from "vitest";
import { chooseImportSource, type ImportFacts, type ImportSource } from "../../../src/fixers/patterns/ts-import-source.js";

const source = (spec: string, over: Partial<ImportSource> = {}): ImportSource => ({
  spec,
  key: spec.startsWith(".") ? `/p/src/${spec.slice(2).replace(".js", ".ts")}` : spec.replace(/^node:/, ""),
  declares: false,
  projectDeclared: false,
  imports: 0,
  builtin: /^(?:node:)?(?:fs|path)(?:\/|$)/.test(spec),
  ...over,
});
const facts = (sources: ImportSource[], over: Partial<ImportFacts> = {}): ImportFacts => ({
  sources,
  projectDeclares: sources.some((s) => s.projectDeclared),
  nodePrefix: { with: 0, without: 0 },
  ...over,
});
const spec = (f: ImportFacts): string | null => chooseImportSource(f)?.spec ?? null;

describe("chooseImportSource", () => {
  it("prefers the declaring module over a barrel and a builtin", () => {
    const f = facts([
      source("node:path"),
      source("./index.js", { projectDeclared: true }),
      source("./paths.js", { declares: true, projectDeclared: true }),
    ]);
    expect(chooseImportSource(f)).toEqual({ spec: "./paths.js", reason: "the one project module declaring it" });
  });

  it("between two declaring modules, takes the one the project imports the name from, and declines a tie", () => {
    const a = source("./money.js", { declares: true, projectDeclared: true, imports: 2 });
    const b = source("./legacy-money.js", { declares: true, projectDeclared: true, imports: 1 });
    expect(spec(facts([b, a]))).toBe("./money.js");
    expect(
      spec(
        facts([
          { ...a, imports: 0 },
          { ...b, imports: 0 },
        ]),
      ),
    ).toBeNull();
    expect(spec(facts([{ ...a, imports: 1 }, b]))).toBeNull();
  });

  it("never takes a builtin or a package when the project declares the name but its module is not on offer", () => {
    expect(spec(facts([source("node:path"), source("path")], { projectDeclares: true }))).toBeNull();
  });

  it("takes a builtin only when nothing in the project declares the name: the module itself, spelt as the project spells builtins", () => {
    const offered = [source("fs"), source("fs/promises"), source("node:fs"), source("node:fs/promises")];
    expect(spec(facts(offered))).toBe("node:fs");
    expect(spec(facts(offered, { nodePrefix: { with: 1, without: 3 } }))).toBe("fs");
    expect(spec(facts([source("node:path"), source("node:fs")]))).toBeNull();
  });

  it("declines a builtin against a package unless the project imports the name from one of them", () => {
    const offered = [source("node:path"), source("upath")];
    expect(spec(facts(offered))).toBeNull();
    expect(spec(facts([offered[0]!, { ...offered[1]!, imports: 1 }]))).toBe("upath");
  });
});
